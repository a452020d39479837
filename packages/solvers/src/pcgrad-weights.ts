import type { Rng } from '@mtl2r/core';
import { type GramInput, gramScale, readGram } from './gram-input.js';

/** For each task i, the order in which it is projected against the other tasks (i itself is skipped). */
export type PcgradOrders = readonly (readonly number[])[];

/** One random order per task, as PCGrad draws them each step: a shuffle of the other K - 1 tasks. */
export function randomPcgradOrders(taskCount: number, rng: Rng): number[][] {
  if (!Number.isInteger(taskCount) || taskCount < 1) {
    throw new RangeError(`randomPcgradOrders: taskCount must be a positive integer, got ${taskCount}`);
  }
  const orders: number[][] = [];
  for (let task = 0; task < taskCount; task++) {
    const others: number[] = [];
    for (let other = 0; other < taskCount; other++) if (other !== task) others.push(other);
    orders.push(rng.shuffle(others));
  }
  return orders;
}

/**
 * PCGrad's projected gradients (Yu et al. 2020) as coefficients on the original gradients, from the Gram
 * matrix alone. Task i starts from g_i' = g_i; for each j in its order, if g_i'.g_j < 0 then
 * g_i' -= (g_i'.g_j / ||g_j||^2) g_j. Every step subtracts a multiple of an original g_j, so g_i' = sum_j C_ij g_j;
 * returns C as a row-major K*K array. A zero gradient g_j (||g_j||^2 <= 1e-12 max_k ||g_k||^2) is never
 * projected against (there is no plane to project on).
 */
export function pcgradProjections(gram: GramInput, orders: PcgradOrders | Rng): Float64Array {
  const { gram: matrix, size } = readGram(gram, 'pcgrad: Gram matrix');
  const taskOrders = isOrders(orders) ? checkOrders(orders, size) : randomPcgradOrders(size, orders);
  const negligible = 1e-12 * gramScale(matrix, size);
  const coefficients = new Float64Array(size * size);
  for (let task = 0; task < size; task++) {
    const row = new Float64Array(size);
    row[task] = 1;
    for (const other of taskOrders[task] as readonly number[]) {
      if (other === task) continue;
      const otherNormSquared = matrix[other * size + other] as number;
      if (!(otherNormSquared > negligible)) continue;
      let inner = 0;
      for (let k = 0; k < size; k++) inner += (row[k] as number) * (matrix[k * size + other] as number);
      if (inner < 0) row[other] = (row[other] as number) - inner / otherNormSquared;
    }
    coefficients.set(row, task * size);
  }
  return coefficients;
}

/**
 * PCGrad's aggregate sum_i g_i' as K weights on the original gradients: the column sums of
 * `pcgradProjections`. Give explicit orders, or an Rng to draw them (`randomPcgradOrders`).
 */
export function pcgradWeights(gram: GramInput, orders: PcgradOrders | Rng): Float64Array {
  const projections = pcgradProjections(gram, orders);
  const size = Math.round(Math.sqrt(projections.length));
  const weights = new Float64Array(size);
  for (let task = 0; task < size; task++) {
    for (let k = 0; k < size; k++)
      weights[k] = (weights[k] as number) + (projections[task * size + k] as number);
  }
  return weights;
}

function isOrders(orders: PcgradOrders | Rng): orders is PcgradOrders {
  return Array.isArray(orders);
}

/** Each order must name every other task exactly once; the task itself may appear (it is skipped). */
function checkOrders(orders: PcgradOrders, size: number): PcgradOrders {
  if (orders.length !== size)
    throw new RangeError(`pcgrad: expected ${size} orders (one per task), got ${orders.length}`);
  orders.forEach((order, task) => {
    const seen = new Set<number>();
    for (const other of order) {
      if (!Number.isInteger(other) || other < 0 || other >= size) {
        throw new RangeError(`pcgrad: order[${task}] has ${other}, expected task indices in [0, ${size})`);
      }
      if (seen.has(other)) throw new RangeError(`pcgrad: order[${task}] names task ${other} twice`);
      seen.add(other);
    }
    for (let other = 0; other < size; other++) {
      if (other !== task && !seen.has(other))
        throw new RangeError(`pcgrad: order[${task}] is missing task ${other}`);
    }
  });
  return orders;
}
