import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { createRanker } from '@mtl2r/encoder';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatGrownArchitecture, grownArchitecture, writeGrownArchitecture } from './grown-architecture.js';
import { progressReporter } from './progress.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

describe('grown architecture', () => {
  it('describes the modules with task names and parameter totals, writes them as JSON and prints them', () => {
    const ranker = createRanker(
      {
        featureCount: 3,
        taskCount: 3,
        modelDim: 4,
        blocks: 2,
        heads: 2,
        ffnDim: 5,
        perTaskHeads: true,
        pairModuleDim: 3,
      },
      1,
    );
    const names = ['relevance', 'pagerank', 'inlinks'];
    expect(grownArchitecture(ranker, names)).toBeUndefined();
    const base = ranker.parameterCount();
    ranker.addPairModule(2, 1, 1);
    const architecture = grownArchitecture(ranker, names);
    // 3 d r + r + d + 2 = 36 + 3 + 4 + 2 with d 4, r 3.
    expect(architecture).toEqual({
      blocks: 2,
      baseParameters: base,
      parametersAdded: 45,
      totalParameters: base + 45,
      modules: [{ tasks: ['pagerank', 'inlinks'], taskA: 1, taskB: 2, block: 1, parameters: 45 }],
    });
    const text = formatGrownArchitecture(architecture!);
    expect(text).toBe(
      `grown architecture: 1 pair module(s)\n  pagerank ~ inlinks at block 1: 45 parameters\n  parameters ${base} + 45 added = ${base + 45} (+${((100 * 45) / base).toFixed(1)}%)\n`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-arch-'));
    try {
      const file = writeGrownArchitecture(dir, architecture!);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(architecture);
      let printed = '';
      progressReporter({ write: (t) => (printed += t), isTty: false })({
        type: 'architecture',
        architecture: architecture!,
        file,
      });
      expect(printed).toBe(`${text}  written to ${file}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      ranker.dispose();
    }
  });
});
