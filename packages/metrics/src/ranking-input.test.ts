import { ConfigError, UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { checkRankingInput, noRelevantValue, resolveCutoff } from './ranking-input.js';

describe('checkRankingInput', () => {
  it('accepts consistent input, including infinite scores and empty queries', () => {
    expect(() =>
      checkRankingInput([1, Number.NEGATIVE_INFINITY, 0], [0, 1, 2], [0, 2, 2, 3], true),
    ).not.toThrow();
  });

  it('names the document and query of a bad value', () => {
    expect(() => checkRankingInput([1, 2, 3], [0, 1, Number.NaN], [0, 1, 3], false)).toThrow(
      /labels\[2\] \(query 1, document 1\) is NaN; expected a finite number/,
    );
    expect(() => checkRankingInput([1, 2, 3], [0, -2, 1], [0, 1, 3], true)).toThrow(UserError);
    expect(() => checkRankingInput([1, 2, 3], [0, 1, 1], [], false)).toThrow(
      /must start with 0.*an empty array/,
    );
  });
});

describe('resolveCutoff and noRelevantValue', () => {
  it('maps an omitted cut-off to the whole list and rejects bad ones', () => {
    expect(resolveCutoff(undefined, 'k')).toBe(Number.POSITIVE_INFINITY);
    expect(resolveCutoff(7, 'k')).toBe(7);
    expect(() => resolveCutoff(0, 'metrics[2].k')).toThrow(ConfigError);
    expect(() => resolveCutoff(Number.POSITIVE_INFINITY, 'k')).toThrow(/got Infinity/);
  });

  it('gives 1, 0 and NaN', () => {
    expect(noRelevantValue('one')).toBe(1);
    expect(noRelevantValue('zero')).toBe(0);
    expect(noRelevantValue('skip')).toBeNaN();
  });
});
