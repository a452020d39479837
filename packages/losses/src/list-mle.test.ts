import { selectBackend } from '@mtl2r/backend';
import { Rng } from '@mtl2r/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { listMLELoss } from './list-mle.js';
import { lossValue } from './loss-checks.js';

const create = (options: { seed?: number } = {}) => listMLELoss.create(listMLELoss.options.parse(options));

// Scores [1, 0, 2]. The Plackett-Luce NLL of an order is sum over positions of log(sum of exp(scores) still
// to place) - score placed.
const orderFirstThenSecond = Math.log(Math.E + 1 + Math.E ** 2) - 1 + Math.log(1 + Math.E ** 2); // 3.534534
const orderSecondThenFirst = Math.log(Math.E + 1 + Math.E ** 2) + Math.log(Math.E + Math.E ** 2) - 1; // 3.720868

describe('listMLE', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('is the Plackett-Luce negative log-likelihood of the label order', () => {
    const value = lossValue(create(), { scores: [[1, 0, 2]], labels: [[2, 1, 0]], mask: [[1, 1, 1]] });
    expect(value).toBeCloseTo(orderFirstThenSecond, 5);
    expect(orderFirstThenSecond).toBeCloseTo(3.534534, 5);
  });

  it('breaks ties at random, reproducibly from the seed, and reaches both orders', () => {
    const tied = { scores: [[1, 0, 2]], labels: [[1, 1, 0]], mask: [[1, 1, 1]] };
    const seen = new Set<string>();
    for (let seed = 0; seed < 16; seed++) {
      const value = lossValue(create({ seed }), tied);
      expect(lossValue(create({ seed }), tied)).toBe(value);
      const matchesFirst = Math.abs(value - orderFirstThenSecond) < 1e-5;
      const matchesSecond = Math.abs(value - orderSecondThenFirst) < 1e-5;
      expect(matchesFirst || matchesSecond).toBe(true);
      seen.add(matchesFirst ? 'first' : 'second');
    }
    expect(seen.size).toBe(2);
  });

  it('a per-call rng overrides the loss stream and replays identically', () => {
    const loss = create({ seed: 1 });
    const tied = { scores: [[1, 0, 2, 0.5, -1]], labels: [[1, 1, 0, 1, 1]], mask: [[1, 1, 1, 1, 1]] };
    const a = lossValue(loss, { ...tied, context: { rng: new Rng(42) } });
    const b = lossValue(loss, { ...tied, context: { rng: new Rng(42) } });
    expect(a).toBe(b);
  });

  checkLossConformance(() => create({ seed: 3 }), { makeContext: () => ({ rng: new Rng(7) }) });
});
