import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gramMatrix, gramMatrixAsync } from './gram-matrix.js';
import { Rng } from './rng.js';

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function randomRows(rng: Rng, rows: number, columns: number): Float32Array {
  return Float32Array.from({ length: rows * columns }, () => rng.normal());
}

describe('gramMatrix', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('equals the explicit inner products of the rows, read back as a symmetric K*K array', async () => {
    const rng = new Rng('gram');
    for (const [rows, columns] of [
      [1, 7],
      [2, 1000],
      [5, 4096],
      [12, 300],
    ] as const) {
      const values = randomRows(rng, rows, columns);
      const grads = tf.tensor2d(values, [rows, columns]);
      const gram = gramMatrix(grads);
      const gramAsync = await gramMatrixAsync(grads);
      grads.dispose();
      expect(gram).toBeInstanceOf(Float64Array);
      expect(gram.length).toBe(rows * rows);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < rows; j++) {
          const expected = dot(
            values.subarray(i * columns, (i + 1) * columns),
            values.subarray(j * columns, (j + 1) * columns),
          );
          // float32 accumulation over `columns` terms.
          expect(Math.abs((gram[i * rows + j] as number) - expected)).toBeLessThanOrEqual(1e-5 * columns);
          expect(gram[i * rows + j]).toBe(gram[j * rows + i]);
          expect(gramAsync[i * rows + j]).toBe(gram[i * rows + j]);
        }
      }
    }
  });

  it('is a single matMul on the backend and leaks no tensor', async () => {
    const grads = tf.tensor2d(randomRows(new Rng('gram-profile'), 4, 2048), [4, 2048]);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      gramMatrix(grads);
    });
    expect(profile.kernelNames.filter((name) => name.includes('MatMul'))).toEqual(['BatchMatMul']);
    expect(profile.kernelNames.length).toBe(1);
    gramMatrix(grads);
    await gramMatrixAsync(grads);
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });

  it('casts integer gradients and rejects tensors that are not [K, P]', () => {
    const ints = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    expect(Array.from(gramMatrix(ints))).toEqual([5, 11, 11, 25]);
    ints.dispose();
    const vector = tf.tensor1d([1, 2]);
    expect(() => gramMatrix(vector as unknown as tf.Tensor2D)).toThrow(
      /rank-2 tensor \[K, P\], got shape \[2\]/,
    );
    vector.dispose();
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    expect(() => gramMatrix(empty)).toThrow(/K >= 1/);
    empty.dispose();
  });
});
