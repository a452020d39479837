import { installWasmKernels, loadNativeAddon, selectBackend } from '@mtl2r/backend';
import { DROPOUT_KERNEL } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropoutMasks } from './dropout.js';
import { batch, disposeRankers, make } from './ranker-test-support.js';

// In CI the addon must load (the install builds it): a missing addon fails these tests instead of skipping.
const addon = loadNativeAddon();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const nativeOn = process.env.MTL2R_NATIVE_GEMM !== '0';

const bits = (x: tf.Tensor) => Array.from(new Uint32Array((x.dataSync() as Float32Array).slice().buffer));

/** Loss, every gradient and the kernels run, of one training forward/backward pass of a small ranker. */
async function trainingPass(useKernel: boolean) {
  if (useKernel) installWasmKernels();
  else if (tf.getKernel(DROPOUT_KERNEL, 'wasm') !== undefined) tf.unregisterKernel(DROPOUT_KERNEL, 'wasm');
  // Odd sizes at every dropout site: probabilities 3 x 3 x 37 x 37, hidden 3 x 37 x 33, residual 3 x 37 x 15.
  const ranker = make(
    { featureCount: 6, modelDim: 15, blocks: 2, heads: 3, ffnDim: 33, dropout: 0.3, taskCount: 2 },
    'dropout-native',
  );
  const { x, mask } = batch([37, 30, 12], 37, 6);
  const features = tf.tensor3d(x);
  const valid = tf.tensor2d(mask);
  const kernels: string[] = [];
  const profile = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() =>
      tf.sum(tf.square(ranker.apply(features, valid, { training: true, dropoutSeed: 17 }))),
    );
    const result = [
      bits(value),
      ...Object.keys(grads)
        .sort()
        .map((k) => bits(grads[k] as tf.Tensor)),
    ];
    tf.dispose([value, ...Object.values(grads)]);
    return result as unknown as tf.TensorContainer;
  });
  for (const k of profile.kernels) kernels.push(k.name);
  const result = profile.result as unknown as number[][];
  tf.dispose([features, valid]);
  disposeRankers();
  return { result, kernels };
}

describe('dropout on the wasm backend', () => {
  // The native kernel runs when the addon loads (MTL2R_NATIVE_GEMM=0 tests the JS masks alone).
  const kernelExpected = nativeOn && addon.gemm !== undefined;
  beforeAll(async () => {
    if (nativeOn && required && addon.gemm === undefined) {
      throw new Error(`native addon required under CI: ${addon.note}`);
    }
    await selectBackend({ backend: 'wasm' });
  });
  afterAll(() => {
    installWasmKernels();
  });

  it('trains bit-identically through the native kernel and the JS masks: same loss and gradients', async () => {
    const js = await trainingPass(false);
    expect(js.kernels).not.toContain(DROPOUT_KERNEL);
    const installed = await trainingPass(true);
    expect(installed.result).toEqual(js.result);
    if (!kernelExpected) {
      expect(tf.getKernel(DROPOUT_KERNEL, 'wasm')).toBeUndefined();
      expect(installed.kernels).toEqual(js.kernels);
      return;
    }
    // 2 blocks x 4 sites, each forward and backward, and no mask tensors multiplied in.
    expect(installed.kernels.filter((k) => k === DROPOUT_KERNEL)).toHaveLength(16);
    expect(installed.kernels.filter((k) => k === tf.Multiply).length).toBe(
      js.kernels.filter((k) => k === tf.Multiply).length - 16,
    );
  });

  it('apply gives x * maskValues for an odd size', () => {
    const masks = new DropoutMasks(3, 0.25);
    const x = tf.range(1, 2 * 1001 + 1).reshape([2, 1001]);
    const y = masks.apply(x, 'ffn');
    const expected = masks.maskValues('ffn', 2002).map((m, i) => m * (i + 1));
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected));
    tf.dispose([x, y]);
  });
});
