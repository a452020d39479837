import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('derives sub-streams that do not shift when a sibling stream draws more', () => {
    const root1 = new Rng(7);
    const root2 = new Rng(7);
    const dropout1 = root1.derive('dropout');
    const shuffle1 = root1.derive('shuffle');
    const dropout2 = root2.derive('dropout');
    const shuffle2 = root2.derive('shuffle');
    for (let i = 0; i < 100; i++) dropout1.uint32(); // one stream draws a lot
    expect(shuffle1.uint32()).toBe(shuffle2.uint32());
    expect(dropout2.uint32()).not.toBe(shuffle2.uint32());
    expect(new Rng(7).derive('a').uint32()).not.toBe(new Rng(7).derive('b').uint32());
  });

  it('float() is uniform on [0, 1): mean 1/2, variance 1/12 within sampling error', () => {
    const rng = new Rng(1);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.float();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(outside).toBe(0);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('normal() has mean 0 and variance 1 within sampling error', () => {
    const rng = new Rng(2);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sumSq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
  });

  it('int(n) covers [0, n) evenly and rejects bad n', () => {
    const rng = new Rng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => rng.int(0)).toThrow('Rng.int(n) needs an integer n in [1, 2^32], got 0');
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('shuffle is a permutation and reproducible', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = new Rng(9).shuffle([...items]);
    const b = new Rng(9).shuffle([...items]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
  });

  it('state() and fromState() continue the same stream', () => {
    const rng = new Rng('run-1');
    rng.uint32();
    const saved = rng.state();
    const expected = [rng.float(), rng.normal(), rng.int(10)];
    const restored = Rng.fromState(JSON.parse(JSON.stringify(saved)));
    expect([restored.float(), restored.normal(), restored.int(10)]).toEqual(expected);
  });

  it('setState rejects malformed state', () => {
    const rng = new Rng(1);
    expect(() => rng.setState({ s: [1, 2, 3] } as never)).toThrow('four 32-bit unsigned integers');
    expect(() => rng.setState({ s: [0, 0, 0, 0] })).toThrow('all zeros');
    expect(() => rng.setState({ s: [1, 2, 3, -1] })).toThrow(TypeError);
  });
});

describe('rngFromSavedWords', () => {
  it('restores a saved stream and refuses malformed words naming the owner', async () => {
    const { rngFromSavedWords } = await import('./rng.js');
    const rng = new Rng(5);
    rng.uint32();
    const words = JSON.parse(JSON.stringify(rng.state().s)) as unknown;
    expect(rngFromSavedWords(words, 'x').uint32()).toBe(rng.uint32());
    expect(() => rngFromSavedWords([1, 2, 3], '@acme/strategy')).toThrow(
      '@acme/strategy: cannot resume from saved random state [1,2,3]; expected four 32-bit unsigned integers, not all 0',
    );
    expect(() => rngFromSavedWords([0, 0, 0, 0], 'x')).toThrow('not all 0');
  });
});
