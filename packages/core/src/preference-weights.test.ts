import { describe, expect, it } from 'vitest';
import { preferenceWeights } from './preference-weights.js';

describe('preferenceWeights', () => {
  it('uses the normalised preference by default and 1/K without one', () => {
    expect(preferenceWeights({ taskCount: 2, preference: [0.25, 0.75], rawPreference: [1, 3] })).toEqual([
      0.25, 0.75,
    ]);
    expect(preferenceWeights({ taskCount: 4 })).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("uses the preference as written under compat 'deepmtl2r', all 1s without one", () => {
    expect(
      preferenceWeights({ taskCount: 2, preference: [0.25, 0.75], rawPreference: [1, 3] }, 'deepmtl2r'),
    ).toEqual([1, 3]);
    expect(preferenceWeights({ taskCount: 3 }, 'deepmtl2r')).toEqual([1, 1, 1]);
  });

  it('returns a copy the caller may change', () => {
    const raw = [2, 5];
    const weights = preferenceWeights({ taskCount: 2, rawPreference: raw }, 'deepmtl2r');
    weights[0] = 9;
    expect(raw).toEqual([2, 5]);
  });
});
