import { describe, expect, it } from 'vitest';
import { DROPOUT_LEVELS, dropoutStream, fillDropoutMask } from './dropout-stream.js';
import { Rng } from './rng.js';

/** xorshift128 written out again with BigInt words, as an independent reference for the mask sequence. */
function referenceMask(
  state: readonly number[],
  threshold: number,
  keepScale: number,
  size: number,
): number[] {
  const mask32 = 0xffffffffn;
  let [a, b, c, d] = state.map((w) => BigInt(w)) as [bigint, bigint, bigint, bigint];
  const out: number[] = [];
  while (out.length < size) {
    const t = (a ^ (a << 11n)) & mask32;
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >> 19n) ^ t ^ (t >> 8n)) & mask32;
    for (const draw of [Number(d & 0xffffn), Number(d >> 16n)]) {
      if (out.length < size) out.push(draw < threshold ? 0 : keepScale);
    }
  }
  return out;
}

describe('dropoutStream', () => {
  it('keys the stream by (seed, site) and quantises the rate to 1/65536', () => {
    const stream = dropoutStream(42, 'blocks.0.attn.probs', 0.3);
    expect(stream.state).toEqual(new Rng('dropout:42:blocks.0.attn.probs').state().s.map((w) => w >>> 0));
    expect(stream.threshold).toBe(19661); // round(0.3 * 65536)
    expect(stream.keepScale).toBe(Math.fround(65536 / (65536 - 19661)));
    expect(dropoutStream(42, 'other', 0.3).state).not.toEqual(stream.state);
    expect(dropoutStream(0, 's', 0).threshold).toBe(0);
  });

  it('refuses a rate outside [0, 1) and a non-finite seed', () => {
    expect(() => dropoutStream(1, 's', 1)).toThrow(/rate must be in \[0, 1\), got 1/);
    expect(() => dropoutStream(1, 's', -0.1)).toThrow(/rate must be in \[0, 1\)/);
    expect(() => dropoutStream(Number.NaN, 's', 0.1)).toThrow(/seed must be a finite number, got NaN/);
  });
});

describe('fillDropoutMask', () => {
  it('draws the xorshift128 sequence, low then high 16 bits of each word, for odd and even sizes', () => {
    for (const [seed, rate, size] of [
      [1, 0.3, 1],
      [2, 0.5, 2],
      [3, 0.1, 37],
      [4, 0.9, 64],
      [5, 0.25, 1001],
    ] as const) {
      const stream = dropoutStream(seed, 'site', rate);
      const out = new Float32Array(size);
      fillDropoutMask(stream, out);
      expect(Array.from(out)).toEqual(referenceMask(stream.state, stream.threshold, stream.keepScale, size));
    }
  });

  it('keeps about 1 - rate of the elements, so the mean of the mask is 1', () => {
    const stream = dropoutStream(7, 's', 0.3);
    const out = new Float32Array(200_000);
    fillDropoutMask(stream, out);
    const dropped = out.filter((v) => v === 0).length / out.length;
    expect(Math.abs(dropped - stream.threshold / DROPOUT_LEVELS)).toBeLessThan(0.005);
    expect(Math.abs(out.reduce((s, v) => s + v, 0) / out.length - 1)).toBeLessThan(0.01);
  });
});
