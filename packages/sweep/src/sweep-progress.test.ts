import { describe, expect, it } from 'vitest';
import { SweepProgress } from './sweep-progress.js';

describe('SweepProgress without a terminal', () => {
  it('counts done / running / failed / queued, prints a line per run, ETA from finished run times', () => {
    const lines: string[] = [];
    const progress = new SweepProgress(4, { isTty: false, write: (t) => lines.push(t), parallelism: 2 });
    expect(progress.etaSeconds()).toBeUndefined();
    progress.started();
    progress.started();
    expect(progress.snapshot()).toEqual({ done: 0, running: 2, failed: 0, queued: 2, total: 4 });
    progress.finished('a', 10);
    progress.retried('b', 'boom');
    progress.started();
    // mean 10 s x (2 queued + 1 running) / 2 workers
    expect(progress.etaSeconds()).toBe(15);
    progress.failed('b', 'boom again');
    expect(progress.snapshot()).toEqual({ done: 1, running: 0, failed: 1, queued: 2, total: 4 });
    expect(lines).toEqual([
      '[1/4] done a (10.0 s)\n',
      '[1/4] retrying b: boom\n',
      '[2/4] FAILED b: boom again\n',
    ]);
  });
});
