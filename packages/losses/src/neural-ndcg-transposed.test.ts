import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance, standardBatch } from './conformance.js';
import { lossValue, lossValueAndGradient, maxAbsDifference } from './loss-checks.js';
import { type NeuralNDCGOptions, neuralNDCGLoss } from './neural-ndcg.js';
import { neuralNDCGTransposedLoss } from './neural-ndcg-transposed.js';

const create = (options: Partial<NeuralNDCGOptions> = {}) =>
  neuralNDCGTransposedLoss.create(neuralNDCGTransposedLoss.options.parse(options));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('neuralNDCGTransposed', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('on two items weights each gain by its expected discount', () => {
    // Item 0 sits at rank 1 with probability sigmoid(1): expected discount sigmoid(1) + sigmoid(-1) / log2(3).
    const expected = -(sigmoid(1) + sigmoid(-1) / Math.log2(3));
    expect(lossValue(create(), { scores: [[1, 0]], labels: [[1, 0]], mask: [[1, 1]] })).toBeCloseTo(
      expected,
      5,
    );
  });

  it('agrees with the row form in value and gradient (both are d^T P g)', () => {
    const rowForm = neuralNDCGLoss.create(neuralNDCGLoss.options.parse({ k: 3 }));
    const transposed = create({ k: 3 });
    const a = lossValueAndGradient(rowForm, standardBatch);
    const b = lossValueAndGradient(transposed, standardBatch);
    expect(b.value).toBeCloseTo(a.value, 5);
    expect(maxAbsDifference(a.gradient, b.gradient)).toBeLessThan(1e-5);
  });

  checkLossConformance(() => create(), { gradientTolerance: 3e-3 });
});
