import {
  CONTRACT_VERSION,
  defineStrategy,
  type Json,
  type ParameterLayout,
  PluginError,
  type Rng,
  rngFromSavedWords,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { vaccinate, visitOrders } from './vaccine.js';

export const gradvacOptions = z.strictObject({
  /** EMA decay of the cosine targets (the authors' and LibMTL's default 0.5). */
  beta: z.number().gt(0).max(1).default(0.5),
  /**
   * Parameter groups with their own targets: 'whole' the whole shared model (LibMTL's default), 'block'
   * each encoder block, 'variable' each shared variable (LibMTL's all_matrix).
   */
  granularity: z.enum(['whole', 'block', 'variable']).default('whole'),
});
export type GradvacOptions = z.infer<typeof gradvacOptions>;

const OWNER = packageJson.name;

/** Column ranges [offset, size] of each group, in layout order. */
function groupsOf(layout: ParameterLayout, granularity: GradvacOptions['granularity']): [number, number][][] {
  if (granularity === 'whole') return [[[0, layout.size]]];
  const byKey = new Map<string, [number, number][]>();
  for (const entry of layout.entries) {
    const key = granularity === 'block' ? `block${entry.block}` : entry.name;
    const ranges = byKey.get(key) ?? [];
    ranges.push([entry.offset, entry.size]);
    byKey.set(key, ranges);
  }
  return [...byKey.values()];
}

/**
 * GradVac (Wang et al., ICLR 2021): like PCGrad, but with a target cosine per task pair (and parameter
 * group) tracked as an EMA of the observed cosines: when cos(g_i', g_j) falls below its target, g_i' gets
 * the multiple of g_j that lifts the cosine exactly to the target. All of it runs on each group's K x K
 * Gram matrix; the update sum_i g_i' is returned as a direction (per group, a different combination), and
 * the task heads keep their own gradients (weights 1), as in LibMTL.
 */
export const gradvacPlugin = defineStrategy<GradvacOptions>({
  id: 'gradvac',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'GradVac: gradient vaccine, lifts conflicting cosines to adaptive EMA targets',
  packageName: OWNER,
  options: gradvacOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    let rng: Rng = context.rng;
    let targets: Float64Array[] | null = null;
    return {
      needs: { grads: 'shared' },
      combine({ grads, gram, layout }) {
        if (
          grads === undefined ||
          gram === undefined ||
          (layout === undefined && options.granularity !== 'whole')
        ) {
          throw new UserError(
            'gradvac needs the per-task gradients of the shared parameters and their layout (needs.grads = shared)',
          );
        }
        const groups = groupsOf(layout ?? { entries: [], size: grads.shape[1] }, options.granularity);
        targets ??= groups.map(() => new Float64Array(taskCount * taskCount));
        if (targets.length !== groups.length) {
          throw new PluginError(
            `${OWNER}: the checkpointed targets cover ${targets.length} groups, the model has ${groups.length}`,
          );
        }
        const grams = options.granularity === 'whole' ? [gram] : groupGrams(grads, groups);
        const orders = visitOrders(taskCount, rng);
        const coefficients = grams.map((m, g) => {
          const c = vaccinate(m, taskCount, targets?.[g] as Float64Array, orders, options.beta);
          // the update of the group: sum_i pc_i = sum_k (sum_i C_ik) g_k
          return Array.from({ length: taskCount }, (_, k) => {
            let sum = 0;
            for (let i = 0; i < taskCount; i++) sum += c[i * taskCount + k] as number;
            return sum;
          });
        });
        const direction = tf.tidy(() => {
          const parts: tf.Tensor1D[] = [];
          const pieces = groups.flatMap((ranges, g) => ranges.map(([offset, size]) => ({ offset, size, g })));
          pieces.sort((a, b) => a.offset - b.offset);
          for (const { offset, size, g } of pieces) {
            const slice = tf.slice(grads, [0, offset], [taskCount, size]);
            parts.push(
              tf.reshape(
                tf.matMul(tf.tensor2d(coefficients[g] as number[], [1, taskCount]), slice),
                [-1],
              ) as tf.Tensor1D,
            );
          }
          return parts.length === 1 ? (parts[0] as tf.Tensor1D) : (tf.concat(parts) as tf.Tensor1D);
        });
        const first = targets[0] as Float64Array;
        const diagnostics: Record<string, number> = {};
        for (let i = 0; i < taskCount; i++) {
          for (let j = i + 1; j < taskCount; j++)
            diagnostics[`target(${i},${j})`] = first[i * taskCount + j] as number;
        }
        return { weights: new Array<number>(taskCount).fill(1), direction, diagnostics };
      },
      state: (): Json => ({
        rng: rng.state().s,
        targets: targets === null ? null : targets.map((t) => Array.from(t)),
      }),
      loadState(state) {
        const saved = state as { rng?: unknown; targets?: unknown } | null;
        rng = rngFromSavedWords(saved?.rng, OWNER);
        const rows = saved?.targets;
        if (rows === null || rows === undefined) {
          targets = null;
          return;
        }
        if (
          !Array.isArray(rows) ||
          !rows.every((r) => Array.isArray(r) && r.length === taskCount * taskCount)
        ) {
          throw new PluginError(`${OWNER}: saved targets are not ${taskCount} x ${taskCount} matrices`);
        }
        targets = rows.map((r) => Float64Array.from(r as number[]));
      },
      dispose: () => {},
    };
  },
});

/** The K x K Gram matrix of each group's columns, one backend read for all groups. */
function groupGrams(grads: tf.Tensor2D, groups: [number, number][][]): Float64Array[] {
  const taskCount = grads.shape[0];
  const stacked = tf.tidy(() =>
    tf.stack(
      groups.map((ranges) =>
        ranges
          .map(([offset, size]) => {
            const slice = tf.slice(grads, [0, offset], [taskCount, size]);
            return tf.matMul(slice, slice, false, true);
          })
          .reduce((a, b) => tf.add(a, b)),
      ),
    ),
  );
  const values = stacked.dataSync();
  stacked.dispose();
  const block = taskCount * taskCount;
  return groups.map((_, g) => {
    const m = Float64Array.from(values.subarray(g * block, (g + 1) * block));
    for (let i = 0; i < taskCount; i++) {
      for (let j = i + 1; j < taskCount; j++) {
        const mean = 0.5 * ((m[i * taskCount + j] as number) + (m[j * taskCount + i] as number));
        m[i * taskCount + j] = mean;
        m[j * taskCount + i] = mean;
      }
    }
    return m;
  });
}
