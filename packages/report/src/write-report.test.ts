import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { failureLine, resultLine } from './testing/result-lines.js';
import { reportContent } from './write-report.js';

const root = mkdtempSync(join(tmpdir(), 'mtl2r-report-input-'));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

function userError(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('what a report is made from', () => {
  it('a folder that is neither a run nor a sweep: exit 2, naming the files it looked for', () => {
    const dir = folder('neither', { 'notes.txt': 'hello' });
    const error = userError(() => reportContent(dir));
    expect(error.message).toBe(
      `${dir} is neither a run directory (no metrics.jsonl) nor a sweep folder (no sweep.json or results.jsonl)`,
    );
    expect(error.exitCode).toBe(2);
    expect(userError(() => reportContent(join(root, 'missing'))).message).toBe(
      `${join(root, 'missing')}: no such directory`,
    );
  });

  it('a run with no finished epoch: exit 2', () => {
    const dir = folder('fresh-run', {
      'metrics.jsonl': '{"metric":"weight","value":0.5,"step":1,"epoch":0,"task":"a"}\n',
    });
    const error = userError(() => reportContent(dir));
    expect(error.message).toBe(
      `${dir}: the run has no finished epoch yet (metrics.jsonl has no per-epoch training loss)`,
    );
    expect(error.exitCode).toBe(2);
  });

  it('a sweep with failed runs is reported (they are listed); one with only failures is not', () => {
    const results = [
      resultLine('a1', 'ls', { rel: 0.6, pr: 0.5 }, { preference: [0.5, 0.5] }),
      resultLine('a2', 'ls', { rel: 0.5, pr: 0.6 }, { preference: [0.2, 0.8] }),
    ];
    const failures = [failureLine('f1', 'ls', { preference: [0.8, 0.2] })];
    const jsonl = (lines: readonly object[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');
    const partial = folder('partial-sweep', {
      'results.jsonl': jsonl(results),
      'failures.jsonl': jsonl(failures),
    });
    const content = reportContent(partial);
    expect(content.kind).toBe('sweep');
    expect(content.warnings).toHaveLength(1);
    expect(content.warnings[0]).toContain('failed, not plotted: ls [0.8, 0.2] seed 1');
    const onlyFailures = folder('failed-sweep', { 'results.jsonl': '', 'failures.jsonl': jsonl(failures) });
    const error = userError(() => reportContent(onlyFailures));
    expect(error.message).toBe(
      `${onlyFailures}: every recorded run failed (1 in failures.jsonl), nothing to plot`,
    );
    expect(error.exitCode).toBe(2);
  });
});
