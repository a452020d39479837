import { describe, expect, it } from 'vitest';
import { objectiveSigns, toMinimisation } from './objective-points.js';

describe('toMinimisation', () => {
  it('negates maximised objectives and copies the rest', () => {
    const input = [[0.8, 3]];
    const [point] = toMinimisation(input, ['max', 'min'], 2);
    expect(Array.from(point ?? [])).toEqual([-0.8, 3]);
    expect(input[0]).toEqual([0.8, 3]);
    expect(Array.from(objectiveSigns('max', 3))).toEqual([-1, -1, -1]);
  });

  it('names the point and coordinate that is wrong', () => {
    expect(() =>
      toMinimisation(
        [
          [1, 2],
          [1, Number.POSITIVE_INFINITY],
        ],
        'min',
        2,
      ),
    ).toThrow(/points\[1\]\[1\]: got Infinity/);
    expect(() => toMinimisation([[1, 2, 3]], 'min', 2, 'front')).toThrow(
      /front\[0\]: has 3 objectives; expected 2/,
    );
  });
});
