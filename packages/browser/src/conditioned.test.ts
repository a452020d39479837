import { readFileSync, rmSync } from 'node:fs';
import pfl from '@mtl2r/strategy-pfl';
import { loadTrainedModel, predictFile } from '@mtl2r/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBrowserModel, readQueries, scoreQueries, selectModelFiles } from './index.js';
import { pickFolder, trainTestRun } from './test-run.js';

let dir: string;
let runDir: string;
let testFile: string;

beforeAll(async () => {
  ({ dir, runDir, testFile } = await trainTestRun(
    pfl,
    { train: 16, vali: 4, test: 6 },
    { conditioning: 'input' },
  ));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@mtl2r/browser with a preference-conditioned model', () => {
  it('re-scores at the slider preference exactly as mtl2r predict --preference does', async () => {
    const model = await loadBrowserModel(selectModelFiles(pickFolder(runDir)));
    const node = await loadTrainedModel(runDir);
    try {
      const split = readQueries(model, readFileSync(testFile, 'utf8'), 'test.txt');
      const atA = scoreQueries(model, split, { preference: [0.2, 0.8] });
      const reference = await predictFile(node, testFile, undefined, { preference: [0.2, 0.8] });
      atA.forEach((query, q) => {
        const start = reference.split.queryOffsets[q] as number;
        query.scores.forEach((row, d) => {
          row.forEach((value, h) => {
            expect(
              Math.abs(value - ((reference.scores[h] as Float32Array)[start + d] as number)),
            ).toBeLessThan(1e-6);
          });
        });
      });
      const atB = scoreQueries(model, split, { preference: [0.9, 0.1] });
      expect(atB[0]?.scores).not.toEqual(atA[0]?.scores);
      expect(() => scoreQueries(model, split)).toThrow(/conditioned on a preference: give one/);
    } finally {
      model.dispose();
      node.dispose();
    }
  });
});
