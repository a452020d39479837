import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, type MetricRecord } from '@mtl2r/core';

/** A module grown by an architecture strategy, as the saved model lists it. */
export interface GrownModule {
  taskA: number;
  taskB: number;
  block: number;
  parameters: number;
}

/** What a run directory holds that a report shows. */
export interface RunLog {
  dir: string;
  records: MetricRecord[];
  taskNames: string[];
  /** Modules from the last checkpoint's model.json (empty unless the model grew). */
  grownModules: GrownModule[];
}

export const METRICS_FILE = 'metrics.jsonl';

/** True when `dir` looks like a run directory (it has metrics.jsonl). */
export function isRunDirectory(dir: string): boolean {
  return existsSync(join(dir, METRICS_FILE));
}

/**
 * Reads metrics.jsonl: one MetricRecord a line. A torn last line (a run killed mid-write) is ignored; a bad
 * line elsewhere is a DataError naming file:line.
 */
export function parseMetricsLines(text: string, file: string): MetricRecord[] {
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const records: MetricRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const isLast = index === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (isLast) return;
      throw new DataError(
        file,
        index + 1,
        undefined,
        'not valid JSON; expected a record {"metric", "value", "step"?, "epoch"?, "split"?, "task"?}',
      );
    }
    const record = parsed as Partial<MetricRecord>;
    if (typeof record.metric !== 'string' || typeof record.value !== 'number') {
      throw new DataError(
        file,
        index + 1,
        undefined,
        'expected a record with a string "metric" and a number "value"',
      );
    }
    records.push(record as MetricRecord);
  });
  return records;
}

/** Reads a run directory's metrics, task names (config.json) and grown modules (last checkpoint). */
export function readRunLog(dir: string): RunLog {
  const file = join(dir, METRICS_FILE);
  const records = parseMetricsLines(readFileSync(file, 'utf8'), file);
  return { dir, records, taskNames: taskNamesOf(dir, records), grownModules: grownModulesOf(dir) };
}

function taskNamesOf(dir: string, records: readonly MetricRecord[]): string[] {
  const config = readJson(join(dir, 'config.json')) as { data?: { spec?: { tasks?: { name?: unknown }[] } } };
  const named = config?.data?.spec?.tasks
    ?.map((t) => t.name)
    .filter((n): n is string => typeof n === 'string');
  if (named !== undefined && named.length > 0) return named;
  return [...new Set(records.flatMap((r) => (r.task === undefined ? [] : [r.task])))];
}

function grownModulesOf(dir: string): GrownModule[] {
  for (const checkpoint of ['last', 'best']) {
    const model = readJson(join(dir, 'checkpoints', checkpoint, 'model', 'model.json')) as {
      pairModules?: GrownModule[];
    } | null;
    if (model !== null) return Array.isArray(model.pairModules) ? model.pairModules : [];
  }
  return [];
}

/** A JSON file's value, or null when it is absent or unreadable (optional extras of a report). */
function readJson(file: string): unknown {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}
