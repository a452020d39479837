import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonLinesIndex } from './results-file.js';

describe('JsonLinesIndex (results.jsonl)', () => {
  it('appends whole lines, never the same id twice, and survives a torn last line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mtl2r-jsonl-')), 'results.jsonl');
    const index = new JsonLinesIndex<{ id: string; v: number }>(file);
    expect(index.append({ id: 'a', v: 1 })).toBe(true);
    expect(index.append({ id: 'a', v: 2 })).toBe(false);
    // a crash in the middle of a write leaves a torn line
    appendFileSync(file, '{"id":"b","v":');
    const reopened = new JsonLinesIndex<{ id: string; v: number }>(file);
    expect(reopened.all()).toEqual([{ id: 'a', v: 1 }]);
    expect(reopened.has('b')).toBe(false);
    expect(reopened.append({ id: 'b', v: 3 })).toBe(true);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toEqual(['{"id":"a","v":1}', '{"id":"b","v":', '{"id":"b","v":3}', '']);
    expect(new JsonLinesIndex<{ id: string; v: number }>(file).get('b')).toEqual({ id: 'b', v: 3 });
  });

  it('keeps the first line of an id written twice by hand', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mtl2r-jsonl-')), 'results.jsonl');
    writeFileSync(file, '{"id":"a","v":1}\n{"id":"a","v":2}\n');
    expect(new JsonLinesIndex<{ id: string; v: number }>(file).all()).toEqual([{ id: 'a', v: 1 }]);
  });
});
