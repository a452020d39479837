import { UserError } from './errors.js';

/**
 * A small seeded random number generator (xoshiro128**), with named, independent sub-streams.
 *
 * One seed in the config drives everything: `rng.derive('init')`, `rng.derive('dropout')`,
 * `rng.derive('shuffle')`, `rng.derive('strategy')` give streams that do not shift when another stream
 * draws more or fewer numbers, so adding dropout does not change the data order. The whole state is four
 * 32-bit words, saved in checkpoints so a resumed run draws the same numbers.
 */
export interface RngState {
  /** The four xoshiro128** state words. */
  s: [number, number, number, number];
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | string) {
    const words = seedWords(typeof seed === 'number' ? `n:${seed}` : `s:${seed}`);
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /** A new generator whose stream depends only on this generator's current state and the label. */
  derive(label: string): Rng {
    const child = new Rng(0);
    const [a, b, c, d] = this.state().s;
    const words = seedWords(`${a},${b},${c},${d}/${label}`);
    [child.s0, child.s1, child.s2, child.s3] = words;
    return child;
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.uint32() >>> 5; // 27 bits
    const low = this.uint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Standard normal draw (Box-Muller; one draw per call so the state stays four words). */
  normal(): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(`Rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A 31-bit non-negative integer, for APIs that take a numeric seed (tfjs random ops). */
  seed31(): number {
    return this.uint32() >>> 1;
  }

  state(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] };
  }

  setState(state: RngState): void {
    const words = state?.s;
    if (
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)
    ) {
      throw new TypeError('Rng state must be { s: [four 32-bit unsigned integers] }');
    }
    if (words.every((w) => w === 0)) throw new TypeError('Rng state cannot be all zeros');
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }
}

/**
 * Restores an Rng from the four state words a strategy saved in its checkpoint state (`rng.state().s`),
 * with a UserError naming the owner when the words are not a valid state (an edited or foreign checkpoint).
 */
export function rngFromSavedWords(words: unknown, owner: string): Rng {
  if (
    !Array.isArray(words) ||
    words.length !== 4 ||
    !words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) ||
    words.every((w) => w === 0)
  ) {
    throw new UserError(
      `${owner}: cannot resume from saved random state ${JSON.stringify(words)}; expected four 32-bit unsigned integers, not all 0`,
      { hint: `the checkpoint was not written by ${owner}, or it was edited` },
    );
  }
  return Rng.fromState({ s: words as [number, number, number, number] });
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Hashes a string into four well-mixed, not-all-zero 32-bit words (four FNV-1a lanes, then a finaliser). */
function seedWords(text: string): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    out[lane] = (h ^ (h >>> 16)) >>> 0;
  }
  if (out.every((w) => w === 0)) out[0] = 1;
  return out;
}
