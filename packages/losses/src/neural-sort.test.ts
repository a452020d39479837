import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakedTensors } from './loss-checks.js';
import { sortingRelaxation } from './neural-sort.js';

function relaxation(
  scores: number[][],
  mask: number[][],
  temperature: number,
  iterations = 50,
): number[][][] {
  return tf.tidy(() =>
    sortingRelaxation(tf.tensor2d(scores), tf.tensor2d(mask), temperature, {
      maxIterations: iterations,
      tolerance: 0,
    }).arraySync(),
  );
}

describe('sortingRelaxation (NeuralSort + Sinkhorn)', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('at a low temperature is the permutation matrix that sorts descending', () => {
    const p = relaxation([[0.5, 2, -1, 1]], [[1, 1, 1, 1]], 0.01)[0] as number[][];
    // Descending order: item 1, item 3, item 0, item 2.
    const expected = [
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [1, 0, 0, 0],
      [0, 0, 1, 0],
    ];
    for (const [r, row] of p.entries()) {
      for (const [j, value] of row.entries()) expect(value).toBeCloseTo(expected[r]?.[j] as number, 4);
    }
  });

  it('is doubly stochastic on the real block and exactly 0 elsewhere, with padding in the middle', () => {
    const p = relaxation([[0.3, 9, -0.4, 0.8, 9]], [[1, 0, 1, 1, 0]], 1)[0] as number[][];
    const realColumns = [0, 2, 3];
    p.forEach((row, r) => {
      row.forEach((value, j) => {
        if (r >= 3 || !realColumns.includes(j)) expect(value).toBe(0);
      });
      if (r < 3) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
    for (const j of realColumns)
      expect(p.slice(0, 3).reduce((sum, row) => sum + (row[j] as number), 0)).toBeCloseTo(1, 5);
  });

  it('without Sinkhorn iterations, row r is softmax(((n + 1 - 2r) s - sum_k |s - s_k|) / temperature)', () => {
    // Two items (a, b) = (1, 0): row 1 = softmax([1 - 1, 0 - 1]) = [sigmoid(1), sigmoid(-1)].
    const p = relaxation([[1, 0]], [[1, 1]], 1, 0)[0] as number[][];
    expect(p[0]?.[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(p[1]?.[0]).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
  });

  it('with a tolerance, stops once every column sums to 1 within it', () => {
    const scores = [[0.3, -1.2, 0.8, 0.1, 2.0]];
    const mask = [[1, 1, 1, 1, 1]];
    const loose = tf.tidy(() =>
      sortingRelaxation(tf.tensor2d(scores), tf.tensor2d(mask), 0.5, {
        maxIterations: 50,
        tolerance: 1e-2,
      }).arraySync(),
    )[0] as number[][];
    const full = relaxation(scores, mask, 0.5, 50)[0] as number[][];
    for (let j = 0; j < 5; j++) {
      const columnSum = loose.reduce((sum, row) => sum + (row[j] as number), 0);
      expect(Math.abs(columnSum - 1)).toBeLessThan(1e-2);
    }
    // It did stop early: the loose result is not the 50-iteration one.
    const largestGap = Math.max(
      ...loose.flatMap((row, r) => row.map((value, j) => Math.abs(value - (full[r]?.[j] as number)))),
    );
    expect(largestGap).toBeGreaterThan(1e-5);
  });

  it('releases its intermediate tensors', () => {
    const scores = tf.tensor2d([[0.3, 1, -0.4]]);
    const mask = tf.tensor2d([[1, 1, 0]]);
    expect(
      leakedTensors(() =>
        sortingRelaxation(scores, mask, 1, { maxIterations: 5, tolerance: 1e-6 }).dispose(),
      ),
    ).toBe(0);
    tf.dispose([scores, mask]);
  });
});
