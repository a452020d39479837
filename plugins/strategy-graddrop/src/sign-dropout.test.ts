import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/graddrop-reference.json' with { type: 'json' };
import { clipDirection, signDropout } from './sign-dropout.js';

function dropout(rows: number[][], uniforms: number[], leak = 0): number[] {
  const grads = tf.tensor2d(rows);
  const draws = tf.tensor1d(uniforms);
  const out = signDropout(grads, draws, leak);
  const values = Array.from(out.dataSync());
  tf.dispose([grads, draws, out]);
  return values;
}

describe('signDropout', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('keeps the sign the draw picks, per coordinate (worked by hand)', () => {
    // coordinate 0: both positive, P ~ 1 > U: keep both (1 + 1); coordinate 1: P = 0.5 > U = 0.3: keep the
    // positive entry (1); coordinate 2: P = 0.5 < U = 0.7: keep the negative (-2); coordinate 3: all zero.
    const rows = [
      [1, -1, 2, 0],
      [1, 1, -2, 0],
    ];
    const uniforms = [0.3, 0.3, 0.7, 0.5];
    dropout(rows, uniforms).forEach((value, k) => {
      expect(value).toBeCloseTo([2, 1, -2, 0][k] as number, 6);
    });
    // leak 0.5: a dropped entry counts half: (2, 1 - 0.5, -2 + 1, 0)
    dropout(rows, uniforms, 0.5).forEach((value, k) => {
      expect(value).toBeCloseTo([2, 0.5, -1, 0][k] as number, 6);
    });
    // leak 1 is the plain sum
    dropout(rows, uniforms, 1).forEach((value, k) => {
      expect(value).toBeCloseTo([2, 0, 0, 0][k] as number, 6);
    });
  });

  it('purity decides: U below P keeps positives, above keeps negatives (P = 0.75 here)', () => {
    // g = (3, -1): P = 0.5 (1 + 2 / 4) = 0.75
    expect(dropout([[3], [-1]], [0.74])[0]).toBeCloseTo(3, 6);
    expect(dropout([[3], [-1]], [0.76])[0]).toBeCloseTo(-1, 6);
  });

  it("matches DeepMTL2R's GradDrop on the same draws (fixture from scripts/graddrop-reference.py)", async () => {
    for (const sample of reference.cases) {
      const ours = dropout(sample.grads, sample.uniforms);
      sample.directionUnclipped.forEach((value, k) => {
        expect(ours[k], `K ${sample.grads.length} coordinate ${k}`).toBeCloseTo(value, 5);
      });
      const { direction, scale } = await clipDirection(tf.tensor1d(ours), 1);
      const clipped = Array.from(direction.dataSync());
      direction.dispose();
      expect(scale).toBeLessThan(1);
      sample.directionDeepMtl2r.forEach((value, k) => {
        expect(clipped[k]).toBeCloseTo(value, 6);
      });
    }
  });

  it('clipDirection leaves a short direction alone and rejects mismatched draws', async () => {
    const short = tf.tensor1d([0.3, 0.4]);
    const { direction, scale } = await clipDirection(short, 1);
    expect(scale).toBe(1);
    expect(direction).toBe(short);
    direction.dispose();
    const grads = tf.tensor2d([[1, 2]]);
    const draws = tf.tensor1d([0.5]);
    expect(() => signDropout(grads, draws)).toThrow('signDropout: 1 draws for 2 gradient coordinates');
    tf.dispose([grads, draws]);
  });
});
