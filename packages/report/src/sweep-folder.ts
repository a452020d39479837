import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@mtl2r/core';
import { type FailureLine, JsonLinesIndex, type ResultLine, type SweepFile } from '@mtl2r/sweep';

export const RESULTS_FILE = 'results.jsonl';
export const FAILURES_FILE = 'failures.jsonl';
export const SWEEP_FILE = 'sweep.json';

/** What a sweep folder holds that a report shows. */
export interface SweepFolder {
  dir: string;
  results: ResultLine[];
  failures: FailureLine[];
  /** The summary settings of the sweep file (sweep.json), when present. */
  summary: { metric: string; split: 'test' | 'vali' };
  /** Runs planned in sweep.json (0 when it is missing). */
  planned: number;
}

/** True when `dir` looks like a sweep folder (sweep.json or results.jsonl). */
export function isSweepFolder(dir: string): boolean {
  return existsSync(join(dir, SWEEP_FILE)) || existsSync(join(dir, RESULTS_FILE));
}

/** Reads a sweep folder through the sweep package's own readers (torn last lines are ignored as it does). */
export function readSweepFolder(dir: string): SweepFolder {
  const sweepFile = join(dir, SWEEP_FILE);
  let summary: SweepFolder['summary'] = { metric: 'ndcg@10', split: 'test' };
  let planned = 0;
  if (existsSync(sweepFile)) {
    let parsed: { sweep?: Partial<SweepFile>; runs?: unknown[] };
    try {
      parsed = JSON.parse(readFileSync(sweepFile, 'utf8')) as typeof parsed;
    } catch (error) {
      throw new DataError(sweepFile, undefined, undefined, `not valid JSON (${(error as Error).message})`);
    }
    if (parsed.sweep?.summary !== undefined) summary = parsed.sweep.summary;
    planned = Array.isArray(parsed.runs) ? parsed.runs.length : 0;
  }
  return {
    dir,
    results: new JsonLinesIndex<ResultLine>(join(dir, RESULTS_FILE)).all(),
    failures: new JsonLinesIndex<FailureLine>(join(dir, FAILURES_FILE)).all(),
    summary,
    planned,
  };
}
