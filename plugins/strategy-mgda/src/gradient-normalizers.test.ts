import { UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { gradientNormalizers } from './gradient-normalizers.js';

// g_0 = (3, 4), g_1 = (0, 2): M = [[25, 8], [8, 4]], so ||g_0|| = 5 and ||g_1|| = 2.
const gram = Float64Array.of(25, 8, 8, 4);
const names = ['relevance', 'click'];

describe('gradientNormalizers', () => {
  it('none: 1; l2: ||g_i||; loss: L_i; loss+: L_i ||g_i||', () => {
    const losses = Float32Array.of(0.5, 4);
    expect(Array.from(gradientNormalizers(gram, losses, 'none', names, 0))).toEqual([1, 1]);
    expect(Array.from(gradientNormalizers(gram, losses, 'l2', names, 0))).toEqual([5, 2]);
    expect(Array.from(gradientNormalizers(gram, losses, 'loss', names, 0))).toEqual([0.5, 4]);
    // 0.5 * 5 = 2.5, 4 * 2 = 8
    expect(Array.from(gradientNormalizers(gram, losses, 'loss+', names, 0))).toEqual([2.5, 8]);
  });

  it('a zero gradient keeps divisor 1 instead of dividing by zero', () => {
    const withZero = Float64Array.of(25, 0, 0, 0);
    expect(Array.from(gradientNormalizers(withZero, Float32Array.of(1, 2), 'l2', names, 0))).toEqual([5, 1]);
    expect(Array.from(gradientNormalizers(withZero, Float32Array.of(1, 2), 'loss+', names, 0))).toEqual([
      5, 1,
    ]);
  });

  it('refuses a loss <= 0 for the loss-based normalisations, naming the task and step', () => {
    const losses = Float32Array.of(0.5, -0.25);
    expect(() => gradientNormalizers(gram, losses, 'loss', names, 12)).toThrow(UserError);
    expect(() => gradientNormalizers(gram, losses, 'loss+', names, 12)).toThrow(
      "mgda: normalization 'loss+' divides task 'click''s gradient by its loss, but the loss is -0.25 at step 12",
    );
    // The norm-based ones do not look at the losses.
    expect(Array.from(gradientNormalizers(gram, losses, 'l2', names, 12))).toEqual([5, 2]);
  });
});
