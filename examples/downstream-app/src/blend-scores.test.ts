import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blendLosses } from './blend-scores.js';

describe('downstream app', () => {
  it('depends only on @mtl2r/core and one plugin (plus the tfjs-core peer)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      '@mtl2r/core',
      '@mtl2r/strategy-ls',
      '@tensorflow/tfjs-core',
    ]);
  });

  it('blends losses with the preference-weighted sum', async () => {
    const { weights, total } = await blendLosses({ relevance: 0.42, click: 1.3, dwell: 0.8 }, [2, 1, 1]);
    expect(weights.relevance).toBeCloseTo(0.5, 6);
    expect(weights.click).toBeCloseTo(0.25, 6);
    expect(total).toBeCloseTo(0.5 * 0.42 + 0.25 * 1.3 + 0.25 * 0.8, 5);
  });

  it('a preference of the wrong length is refused', async () => {
    await expect(blendLosses({ a: 1, b: 2 }, [1])).rejects.toThrow(
      'expected 2 numbers (one per task), got 1',
    );
  });
});
