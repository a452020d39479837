import * as tf from '@tensorflow/tfjs-core';
import { type AttentionParameters, multiHeadSelfAttention, paddedKeyBias } from './attention.js';
import type { ConditioningTensors } from './conditioning.js';
import type { RankerConfig } from './config.js';
import type { DropoutMasks } from './dropout.js';
import { layerNorm } from './layer-norm.js';
import { type LinearParameters, linear } from './linear.js';
import type { NormParameters, VariableStore } from './variable-store.js';

/** The trunk's output with the residual stream after every block (what growth strategies inspect). */
export interface TrunkOutput {
  /** [B, L, d] after the final LayerNorm: the shared representation the heads read. */
  representation: tf.Tensor3D;
  /** blockCount tensors [B, L, d], the residual stream after each block (before the final norm). */
  blockOutputs: tf.Tensor3D[];
}

interface BlockParameters {
  attentionNorm: NormParameters;
  attention: AttentionParameters;
  ffnNorm: NormParameters;
  ffnHidden: LinearParameters;
  ffnOutput: LinearParameters;
}

export interface TrunkParameters {
  input: LinearParameters;
  blocks: BlockParameters[];
  finalNorm: NormParameters;
}

/** Creates the trunk's variables in the store, in the order (and so the layout) the ranker has always used. */
export function createTrunkParameters(store: VariableStore, config: RankerConfig): TrunkParameters {
  const { featureCount: f, modelDim: d, ffnDim, blocks } = config;
  const input = store.linear('input', -1, 'shared', f, d);
  const blockParameters: BlockParameters[] = [];
  for (let l = 0; l < blocks; l++) {
    const at = `blocks.${l}`;
    blockParameters.push({
      attentionNorm: store.norm(`${at}.attn_norm`, l, d),
      attention: {
        q: store.linear(`${at}.attn.q`, l, 'shared', d, d),
        k: store.linear(`${at}.attn.k`, l, 'shared', d, d),
        v: store.linear(`${at}.attn.v`, l, 'shared', d, d),
        o: store.linear(`${at}.attn.o`, l, 'shared', d, d),
      },
      ffnNorm: store.norm(`${at}.ffn_norm`, l, d),
      ffnHidden: store.linear(`${at}.ffn.hidden`, l, 'shared', d, ffnDim),
      ffnOutput: store.linear(`${at}.ffn.output`, l, 'shared', ffnDim, d),
    });
  }
  return { input, blocks: blockParameters, finalNorm: store.norm('norm', blocks, d) };
}

/**
 * Input projection, N pre-norm blocks [x + Drop(MHA(LN x)); x + Drop(FFN(LN x))] and the final LN.
 * `keepBlocks` also returns the residual stream after each block (the pair modules read it);
 * `conditioning` holds a preference-conditioned ranker's input shift or per-block scale and shift.
 */
export function runTrunk(
  parameters: TrunkParameters,
  config: RankerConfig,
  features: tf.Tensor3D,
  mask: tf.Tensor2D,
  dropout: DropoutMasks | undefined,
  keepBlocks: boolean,
  conditioning?: ConditioningTensors,
): TrunkOutput {
  return tf.tidy(() => {
    const keyBias = paddedKeyBias(mask);
    const drop = (x: tf.Tensor, site: string) => (dropout === undefined ? x : dropout.apply(x, site));
    const { layerNorm: kind, heads } = config;
    const norm = (x: tf.Tensor, p: NormParameters) =>
      layerNorm(x, p.gamma as tf.Tensor1D, p.beta as tf.Tensor1D, kind) as tf.Tensor3D;
    // Zero the padded items' features so even NaN or Infinity there cannot reach a real item (0 * NaN is NaN).
    const realItems = tf.expandDims(tf.cast(mask, 'bool'), 2);
    const cleanFeatures = tf.where(realItems, features, tf.zerosLike(features));
    let x = linear(cleanFeatures, parameters.input) as tf.Tensor3D;
    // A preference-conditioned ranker (conditioning.ts): r appended to every item's features is r W_r here.
    const inputShift = conditioning?.inputShift;
    if (inputShift !== undefined) x = tf.add(x, inputShift);
    const blockOutputs: tf.Tensor3D[] = [];
    parameters.blocks.forEach((block, l) => {
      const input = x;
      // One tidy per block: its intermediates go when the block ends (the tape keeps what backward needs).
      x = tf.tidy(() => {
        const attended = multiHeadSelfAttention(
          norm(input, block.attentionNorm),
          block.attention,
          keyBias,
          heads,
          dropout,
          `blocks.${l}.attn`,
        );
        const mid = tf.add(input, drop(attended, `blocks.${l}.attn.residual`));
        const hidden = drop(
          tf.relu(linear(norm(mid, block.ffnNorm), block.ffnHidden)),
          `blocks.${l}.ffn.hidden`,
        );
        const out = tf.add(mid, drop(linear(hidden, block.ffnOutput), `blocks.${l}.ffn.residual`));
        const film = conditioning?.film?.[l];
        return (film === undefined ? out : tf.add(tf.mul(out, film.scale), film.shift)) as tf.Tensor3D;
      });
      if (keepBlocks) blockOutputs.push(x);
    });
    return { representation: norm(x, parameters.finalNorm), blockOutputs };
  });
}
