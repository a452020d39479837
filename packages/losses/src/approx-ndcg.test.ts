import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { approxNDCGLoss } from './approx-ndcg.js';
import { checkLossConformance } from './conformance.js';
import { lossValue } from './loss-checks.js';

const create = (alpha = 1) => approxNDCGLoss.create(approxNDCGLoss.options.parse({ alpha }));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('approxNDCG', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('is minus NDCG with smooth positions 1 + sum_j sigmoid(-alpha (s_i - s_j))', () => {
    // Scores [1, 0, 2], labels [2, 1, 0], gains [3, 1, 0], ideal DCG 3 + 1/log2(3) = 3.630930.
    // Smooth positions: item 0: 1 + sigmoid(1) + sigmoid(-1) = 2; item 1: 1 + sigmoid(-1) + sigmoid(-2) = 1.388144 + 1.223713...
    const positions = [
      1 + sigmoid(1) + sigmoid(-1),
      1 + sigmoid(1) + sigmoid(2),
      1 + sigmoid(-1) + sigmoid(-2),
    ];
    expect(positions[0]).toBeCloseTo(2, 6);
    const dcg = 3 / Math.log2(1 + (positions[0] as number)) + 1 / Math.log2(1 + (positions[1] as number));
    const expected = -dcg / (3 + 1 / Math.log2(3));
    expect(expected).toBeCloseTo(-0.669947, 5);
    expect(lossValue(create(), { scores: [[1, 0, 2]], labels: [[2, 1, 0]], mask: [[1, 1, 1]] })).toBeCloseTo(
      expected,
      5,
    );
  });

  it('approaches minus the true NDCG for a large alpha; lists without a relevant item are left out', () => {
    // True ranking by score: item 2, item 0, item 1: DCG 0 + 3/log2(3) + 1/2; NDCG 0.659002.
    const value = lossValue(create(50), {
      scores: [
        [1, 0, 2],
        [3, 1, 2],
      ],
      labels: [
        [2, 1, 0],
        [0, 0, 0],
      ],
      mask: [
        [1, 1, 1],
        [1, 1, 1],
      ],
    });
    expect(value).toBeCloseTo(-0.659002, 4);
  });

  it('declares that it can be <= 0', () => {
    expect(create().canBeNonPositive).toBe(true);
  });

  checkLossConformance(() => create(), {
    // tiedBatch: list 1 has no relevant item (left out); list 2's two items tie at label 2 with smooth positions
    // 1 + sigmoid(-1.3) and 1 + sigmoid(1.3).
    tiedValue: -(1 / Math.log2(2 + sigmoid(-1.3)) + 1 / Math.log2(2 + sigmoid(1.3))) / (1 + 1 / Math.log2(3)),
  });
});
