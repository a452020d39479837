import { describe, expect, it } from 'vitest';
import { chebyshevDeviations, chebyshevIdeal } from './chebyshev-deviations.js';

const settings = { strategyId: 'wc', method: 'weighted Chebyshev', taskNames: ['grade', 'click'], step: 7 };

describe('chebyshevIdeal', () => {
  it('is all zeros by default and a copy of the option otherwise', () => {
    expect(chebyshevIdeal(undefined, 3, 'wc')).toEqual([0, 0, 0]);
    const given = [0.5, 1];
    const ideal = chebyshevIdeal(given, 2, 'wc');
    expect(ideal).toEqual([0.5, 1]);
    expect(ideal).not.toBe(given);
  });

  it('refuses an ideal point of the wrong length with the config path', () => {
    expect(() => chebyshevIdeal([1], 2, 'soft_wc')).toThrow(
      'strategy.options.ideal: expected 2 numbers (one per task), got 1',
    );
  });
});

describe('chebyshevDeviations', () => {
  it('weights the distance to the ideal point by the preference', () => {
    const got = chebyshevDeviations(Float32Array.of(2, 0.5), {
      ...settings,
      preference: [0.25, 0.75],
      ideal: [1, 0.1],
    });
    expect(got[0]).toBeCloseTo(0.25 * (2 - 1), 12);
    expect(got[1]).toBeCloseTo(0.75 * (0.5 - 0.1), 7);
  });

  it('names the task and step of a non-finite loss', () => {
    expect(() =>
      chebyshevDeviations(Float32Array.of(1, Number.NaN), {
        ...settings,
        preference: [0.5, 0.5],
        ideal: [0, 0],
      }),
    ).toThrow("wc: the loss of task 'click' is NaN at step 7; weighted Chebyshev needs finite losses");
  });
});
