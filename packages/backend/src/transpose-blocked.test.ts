import { describe, expect, it } from 'vitest';
import { transposeBlocked } from './transpose-blocked.js';

describe('transposeBlocked', () => {
  it.each([
    [1, 2, 3],
    [2, 3, 2],
    [3, 37, 70], // several tiles with ragged edges
  ])('transposes %i matrices of %i x %i', (batch, rows, cols) => {
    const x = Float32Array.from({ length: batch * rows * cols }, (_, i) => i);
    const out = new Float32Array(x.length);
    transposeBlocked(x, out, batch, rows, cols);
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++)
          expect(out[b * rows * cols + c * rows + r]).toBe(x[b * rows * cols + r * cols + c]);
      }
    }
  });
});
