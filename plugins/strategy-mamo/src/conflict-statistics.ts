import { type Json, PluginError } from '@mtl2r/core';

/**
 * The search phase's statistics per (block, pair): Q = the number of steps with a negative cosine, and
 * the summed magnitude |cos| of those negative cosines (so the mean conflict strength can be logged).
 * Plain numbers, so `toJson` / `fromJson` round-trip exactly.
 */
export class ConflictStatistics {
  readonly negativeCounts: number[];
  readonly negativeMagnitudes: number[];
  steps = 0;

  constructor(
    readonly blockCount: number,
    readonly pairCount: number,
  ) {
    this.negativeCounts = new Array<number>(blockCount * pairCount).fill(0);
    this.negativeMagnitudes = new Array<number>(blockCount * pairCount).fill(0);
  }

  /** Adds one step's cosines (blockCount rows of pairCount). */
  add(cosines: readonly Float64Array[]): void {
    cosines.forEach((row, block) => {
      row.forEach((cosine, pair) => {
        if (cosine >= 0) return;
        const at = block * this.pairCount + pair;
        this.negativeCounts[at] = (this.negativeCounts[at] as number) + 1;
        this.negativeMagnitudes[at] = (this.negativeMagnitudes[at] as number) - cosine;
      });
    });
    this.steps += 1;
  }

  count(block: number, pair: number): number {
    return this.negativeCounts[block * this.pairCount + pair] as number;
  }

  /** Mean |cos| over the steps where the cosine was negative (0 when it never was). */
  meanNegativeMagnitude(block: number, pair: number): number {
    const count = this.count(block, pair);
    return count === 0 ? 0 : (this.negativeMagnitudes[block * this.pairCount + pair] as number) / count;
  }

  toJson(): Json {
    return {
      steps: this.steps,
      negativeCounts: this.negativeCounts,
      negativeMagnitudes: this.negativeMagnitudes,
    };
  }

  static fromJson(value: Json, blockCount: number, pairCount: number, source: string): ConflictStatistics {
    const stats = new ConflictStatistics(blockCount, pairCount);
    const record = value as { steps?: unknown; negativeCounts?: unknown; negativeMagnitudes?: unknown };
    const size = blockCount * pairCount;
    const numbers = (v: unknown) =>
      Array.isArray(v) && v.length === size && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof record.steps !== 'number' ||
      !numbers(record.negativeCounts) ||
      !numbers(record.negativeMagnitudes)
    ) {
      throw new PluginError(
        `${source}: expected { steps, negativeCounts, negativeMagnitudes } with ${size} numbers each (${blockCount} blocks x ${pairCount} pairs)`,
      );
    }
    stats.steps = record.steps;
    stats.negativeCounts.splice(0, size, ...(record.negativeCounts as number[]));
    stats.negativeMagnitudes.splice(0, size, ...(record.negativeMagnitudes as number[]));
    return stats;
  }
}
