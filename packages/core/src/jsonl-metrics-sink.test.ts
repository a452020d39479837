import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlMetricsSink } from './jsonl-metrics-sink.js';

describe('JsonlMetricsSink', () => {
  it('writes one JSON object per line, buffered until flush', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mtl2r-sink-')), 'run', 'metrics.jsonl');
    const sink = new JsonlMetricsSink(path, 3);
    sink.write({ metric: 'loss', value: 0.5, step: 1, task: 'relevance', split: 'train' });
    sink.write({ metric: 'loss', value: 0.25, step: 2 });
    expect(() => readFileSync(path, 'utf8')).toThrow(); // nothing flushed yet
    sink.write({ metric: 'ndcg@10', value: 0.8, epoch: 0, split: 'vali' }); // third record triggers a flush
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    sink.write({ metric: 'loss', value: 0.1 });
    sink.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { metric: 'loss', value: 0.5, step: 1, task: 'relevance', split: 'train' },
      { metric: 'loss', value: 0.25, step: 2 },
      { metric: 'ndcg@10', value: 0.8, epoch: 0, split: 'vali' },
      { metric: 'loss', value: 0.1 },
    ]);
    expect(() => sink.write({ metric: 'x', value: 1 })).toThrow('is closed');
  });
});
