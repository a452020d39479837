import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunCoordinates, RunSummary } from './sweep-job.js';

/** One line of results.jsonl: a finished run. */
export interface ResultLine extends RunCoordinates, RunSummary {
  /** The run directory relative to the sweep folder. */
  runDir: string;
  /** delta_m% of the run's test (or validation) metrics against the STL baselines, when they are known. */
  deltaM?: number;
  finishedAt: string;
}

/** One line of failures.jsonl: a run that failed every attempt. */
export interface FailureLine extends RunCoordinates {
  id: string;
  runDir: string;
  error: string;
  attempts: number;
  failedAt: string;
}

/**
 * An append-only JSON-lines file keyed by run id. Each record is one `write` of a whole line (O_APPEND),
 * so a crash leaves at most a torn last line, which reading ignores; `append` refuses an id already
 * present, so no run is recorded twice.
 */
export class JsonLinesIndex<Line extends { id: string }> {
  private readonly lines = new Map<string, Line>();

  constructor(readonly file: string) {
    if (!existsSync(file)) return;
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (text.trim() === '') continue;
      try {
        const line = JSON.parse(text) as Line;
        if (typeof line.id === 'string' && !this.lines.has(line.id)) this.lines.set(line.id, line);
      } catch {
        // a torn last line from a crash mid-write: the run is simply not recorded
      }
    }
  }

  has(id: string): boolean {
    return this.lines.has(id);
  }

  get(id: string): Line | undefined {
    return this.lines.get(id);
  }

  all(): Line[] {
    return [...this.lines.values()];
  }

  /** Appends `line` unless its id is recorded; returns whether it was written. */
  append(line: Line): boolean {
    if (this.lines.has(line.id)) return false;
    mkdirSync(dirname(this.file), { recursive: true });
    // A torn line from an earlier crash must not glue onto this one.
    const needsNewline = existsSync(this.file) && !endsWithNewline(this.file);
    appendFileSync(this.file, `${needsNewline ? '\n' : ''}${JSON.stringify(line)}\n`);
    this.lines.set(line.id, line);
    return true;
  }
}

function endsWithNewline(file: string): boolean {
  const text = readFileSync(file);
  return text.length === 0 || text[text.length - 1] === 0x0a;
}
