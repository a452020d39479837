import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { binaryListNetLoss } from './binary-list-net.js';
import { checkLossConformance } from './conformance.js';
import { lossValue } from './loss-checks.js';

const create = () => binaryListNetLoss.create(binaryListNetLoss.options.parse({}));

describe('binaryListNet', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('is the cross-entropy of labels / sum(labels) against softmax(scores); lists without a relevant item are left out', () => {
    // List 1: target [1/2, 0, 1/2], log q = [1, 2, 0] - ln(e + e^2 + 1):
    //   -(1/2)(1 - 2.4076) - (1/2)(0 - 2.4076) = 1.907606. List 2 has no relevant item: not in the mean.
    const value = lossValue(create(), {
      scores: [
        [1, 2, 0],
        [5, -3, 0],
      ],
      labels: [
        [1, 0, 1],
        [0, 0, 0],
      ],
      mask: [
        [1, 1, 1],
        [1, 1, 1],
      ],
    });
    expect(value).toBeCloseTo(1.907606, 5);
  });

  checkLossConformance(create, {
    tiedValue: (() => {
      // tiedBatch: list 1 has no relevant item (left out); list 2 has target [1/2, 1/2] over scores [1.5, 0.2]:
      // -(1/2)(log sigmoid(1.3) + log sigmoid(-1.3)) = (softplus(-1.3) + softplus(1.3)) / 2.
      const softplus = (x: number) => Math.log1p(Math.exp(x));
      return (softplus(-1.3) + softplus(1.3)) / 2;
    })(),
  });
});
