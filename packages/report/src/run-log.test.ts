import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { parseMetricsLines, readRunLog } from './run-log.js';

describe('reading metrics.jsonl', () => {
  it('ignores a torn last line (a run killed mid-write)', () => {
    const text = '{"metric":"loss","value":1,"epoch":0,"split":"train","task":"a"}\n{"metric":"lo';
    expect(parseMetricsLines(text, 'm.jsonl')).toEqual([
      { metric: 'loss', value: 1, epoch: 0, split: 'train', task: 'a' },
    ]);
  });

  it('names file and line of a damaged line elsewhere', () => {
    const text = '{"metric":"loss","value":1}\nnot json\n{"metric":"loss","value":2}\n';
    expect(() => parseMetricsLines(text, 'm.jsonl')).toThrow(DataError);
    expect(() => parseMetricsLines(text, 'm.jsonl')).toThrow(/^m\.jsonl:2: not valid JSON/);
    expect(() => parseMetricsLines('{"metric":"loss"}\n{"metric":"x","value":1}\n', 'm.jsonl')).toThrow(
      /m\.jsonl:1: expected a record with a string "metric" and a number "value"/,
    );
  });

  it('takes task names from config.json and grown modules from the last checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-report-runlog-'));
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      '{"metric":"loss","value":1,"epoch":0,"split":"train","task":"b"}\n',
    );
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ data: { spec: { tasks: [{ name: 'a' }, { name: 'b' }] } } }),
    );
    mkdirSync(join(dir, 'checkpoints', 'last', 'model'), { recursive: true });
    writeFileSync(
      join(dir, 'checkpoints', 'last', 'model', 'model.json'),
      JSON.stringify({ pairModules: [{ taskA: 0, taskB: 1, block: 0, parameters: 7 }] }),
    );
    const log = readRunLog(dir);
    expect(log.taskNames).toEqual(['a', 'b']);
    expect(log.grownModules).toEqual([{ taskA: 0, taskB: 1, block: 0, parameters: 7 }]);
    expect(log.records).toHaveLength(1);
  });
});
