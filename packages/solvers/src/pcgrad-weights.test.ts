import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { pcgradProjections, pcgradWeights, randomPcgradOrders } from './pcgrad-weights.js';
import { combination, dot, gramOf, randomVectors, type Vectors } from './test-vectors.js';

/** PCGrad on explicit vectors, recording g_i'.g_j right after each projection against g_j. */
function explicitPcgrad(
  vectors: Vectors,
  orders: number[][],
): { projected: Float64Array[]; afterEachStep: number[] } {
  const afterEachStep: number[] = [];
  const projected = vectors.map((vector, task) => {
    const current = Float64Array.from(vector);
    const originalNorm = Math.sqrt(dot(vector, vector));
    for (const other of orders[task] as number[]) {
      const g = vectors[other] as Float64Array;
      const inner = dot(current, g);
      const normSquared = dot(g, g);
      if (inner < 0 && normSquared > 0) {
        for (let k = 0; k < current.length; k++)
          current[k] = (current[k] as number) - (inner / normSquared) * (g[k] as number);
        // Relative to the original sizes: after projection g_i' may be ~0 (colinear, opposite gradients).
        afterEachStep.push(dot(current, g) / (Math.sqrt(normSquared) * originalNorm));
      }
    }
    return current;
  });
  return { projected, afterEachStep };
}

describe('pcgradWeights', () => {
  it('matches a hand-computed two-task conflict', () => {
    // g1 = (1, 0), g2 = (-1, 1), g1.g2 = -1: g1' = g1 + g2/2 = (0.5, 0.5), g2' = g2 + g1 = (0, 1).
    // sum = (0.5, 1.5) = 2 g1 + 1.5 g2.
    const gram = [1, -1, -1, 2];
    expect(Array.from(pcgradProjections(gram, [[1], [0]]))).toEqual([1, 0.5, 1, 1]);
    expect(Array.from(pcgradWeights(gram, [[1], [0]]))).toEqual([2, 1.5]);
  });

  it('leaves non-conflicting gradients alone (weights 1)', () => {
    expect(Array.from(pcgradWeights([1, 0.2, 0.1, 0.2, 2, 0.3, 0.1, 0.3, 1], new Rng(1)))).toEqual([1, 1, 1]);
  });

  it('equals PCGrad on explicit vectors for 300 seeded random cases, and each projection clears its conflict', () => {
    const rng = new Rng('pcgrad-explicit');
    for (let trial = 0; trial < 300; trial++) {
      const size = 2 + rng.int(5);
      const vectors = randomVectors(rng, size, 1 + rng.int(10));
      const orders = randomPcgradOrders(size, rng);
      const coefficients = pcgradProjections(gramOf(vectors), orders);
      const { projected, afterEachStep } = explicitPcgrad(vectors, orders);
      projected.forEach((vector, task) => {
        const fromGram = combination(vectors, coefficients.subarray(task * size, (task + 1) * size));
        const scale =
          Math.sqrt(dot(vector, vector)) +
          Math.sqrt(dot(vectors[task] as Float64Array, vectors[task] as Float64Array));
        for (let k = 0; k < vector.length; k++)
          expect(Math.abs((fromGram[k] as number) - (vector[k] as number))).toBeLessThanOrEqual(1e-9 * scale);
      });
      // Right after projecting against g_j the two are orthogonal: the inner product is >= 0 (up to round-off).
      for (const cosine of afterEachStep) expect(cosine).toBeGreaterThanOrEqual(-1e-9);
      const weights = pcgradWeights(gramOf(vectors), orders);
      const total = combination(vectors, weights);
      const explicitTotal = projected.reduce(
        (sum, vector) => sum.map((value, k) => value + (vector[k] as number)),
        new Float64Array(vector0Length(vectors)),
      );
      for (let k = 0; k < total.length; k++) expect(total[k]).toBeCloseTo(explicitTotal[k] as number, 8);
    }
  });

  it('with two tasks, each projected gradient has a non-negative inner product with the other task', () => {
    const rng = new Rng('pcgrad-two');
    for (let trial = 0; trial < 500; trial++) {
      const vectors = randomVectors(rng, 2, 1 + rng.int(6));
      const gram = gramOf(vectors);
      const coefficients = pcgradProjections(gram, rng);
      for (const [task, other] of [
        [0, 1],
        [1, 0],
      ] as const) {
        const projected = combination(vectors, coefficients.subarray(task * 2, task * 2 + 2));
        const scale = Math.sqrt((gram[task * 3] as number) * (gram[other * 3] as number));
        expect(dot(projected, vectors[other] as Float64Array)).toBeGreaterThanOrEqual(-1e-12 * scale);
      }
    }
  });

  it('does not promise non-negativity against earlier tasks once K >= 3 (a later projection can undo it)', () => {
    // g0 = (1, 0), g1 = (-1, 1), g2 = (-1, -2); task 0 is projected against 1 then 2.
    // Against g1: g0' = (0.5, 0.5). Against g2 (g0'.g2 = -1.5, ||g2||^2 = 5): g0'' = (0.5, 0.5) + 0.3 g2 = (0.2, -0.1),
    // so g0''.g2 = 0 but g0''.g1 = -0.3.
    const vectors: Vectors = [Float64Array.of(1, 0), Float64Array.of(-1, 1), Float64Array.of(-1, -2)];
    const coefficients = pcgradProjections(gramOf(vectors), [
      [1, 2],
      [0, 2],
      [0, 1],
    ]);
    const projected = combination(vectors, coefficients.subarray(0, 3));
    // Non-negative against the last task projected on, negative against the first one.
    expect(dot(projected, vectors[2] as Float64Array)).toBeCloseTo(0, 12);
    expect(dot(projected, vectors[1] as Float64Array)).toBeCloseTo(-0.3, 12);
  });

  it('never projects on a zero gradient and gives finite weights for identical and opposite gradients', () => {
    // Zero third gradient: the others are treated as if it were not there.
    expect(
      Array.from(
        pcgradWeights(
          [1, -1, 0, -1, 2, 0, 0, 0, 0],
          [
            [1, 2],
            [0, 2],
            [0, 1],
          ],
        ),
      ),
    ).toEqual([2, 1.5, 1]);
    expect(Array.from(pcgradWeights([1, 1, 1, 1], new Rng(3)))).toEqual([1, 1]);
    // Opposite equal gradients: each is projected to 0 (coefficients 1 on itself, 1 on the other).
    const opposite = pcgradProjections([1, -1, -1, 1], [[1], [0]]);
    expect(Array.from(opposite)).toEqual([1, 1, 1, 1]);
    expect(Array.from(pcgradWeights(new Float64Array(4), new Rng(2)))).toEqual([1, 1]);
  });

  it('draws the same orders from the same seed, each a permutation of the other tasks', () => {
    const first = randomPcgradOrders(5, new Rng('orders'));
    expect(randomPcgradOrders(5, new Rng('orders'))).toEqual(first);
    first.forEach((order, task) => {
      expect([...order].sort()).toEqual([0, 1, 2, 3, 4].filter((t) => t !== task));
    });
  });

  it('rejects malformed orders', () => {
    const gram = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(() =>
      pcgradWeights(gram, [
        [1, 2],
        [0, 2],
      ]),
    ).toThrow(/expected 3 orders/);
    expect(() => pcgradWeights(gram, [[1], [0, 2], [0, 1]])).toThrow(/order\[0\] is missing task 2/);
    expect(() =>
      pcgradWeights(gram, [
        [1, 1, 2],
        [0, 2],
        [0, 1],
      ]),
    ).toThrow(/names task 1 twice/);
    expect(() =>
      pcgradWeights(gram, [
        [1, 3],
        [0, 2],
        [0, 1],
      ]),
    ).toThrow(/has 3, expected task indices in \[0, 3\)/);
    expect(() => randomPcgradOrders(0, new Rng(1))).toThrow(/positive integer/);
  });
});

function vector0Length(vectors: Vectors): number {
  return (vectors[0] as Float64Array).length;
}
