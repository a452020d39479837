import { SingleBar } from 'cli-progress';

/** Counts the progress line shows. */
export interface SweepCounts {
  done: number;
  running: number;
  failed: number;
  queued: number;
  total: number;
}

export interface SweepProgressOptions {
  /** Draw a live bar (on a terminal); otherwise print a line per finished or failed run. */
  isTty: boolean;
  write: (text: string) => void;
  /** The stream the bar redraws on (stderr by default, so stdout stays clean for the summary). */
  stream?: NodeJS.WriteStream;
  /** Runs that can go at once, for the ETA. */
  parallelism?: number;
}

/**
 * One overall progress bar for a sweep: done / running / failed / queued and an ETA from the mean wall time
 * of the runs finished so far (divided over the workers). Per-run training logs go to the run directories.
 */
export class SweepProgress {
  private readonly counts: SweepCounts;
  private readonly bar: SingleBar | undefined;
  private readonly wallTimes: number[] = [];

  constructor(
    total: number,
    private readonly options: SweepProgressOptions,
  ) {
    this.counts = { done: 0, running: 0, failed: 0, queued: total, total };
    if (options.isTty) {
      this.bar = new SingleBar({
        format:
          '{bar} {value}/{total} | done {done} running {running} failed {failed} queued {queued} | ETA {eta}',
        stream: options.stream ?? process.stderr,
        hideCursor: true,
        clearOnComplete: false,
      });
      this.bar.start(total, 0, this.payload());
    }
  }

  started(): void {
    this.counts.queued = Math.max(0, this.counts.queued - 1);
    this.counts.running++;
    this.update();
  }

  retried(label: string, error: string): void {
    this.counts.running = Math.max(0, this.counts.running - 1);
    this.counts.queued++;
    this.line(`retrying ${label}: ${error}`);
    this.update();
  }

  finished(label: string, wallSeconds: number): void {
    this.counts.running = Math.max(0, this.counts.running - 1);
    this.counts.done++;
    this.wallTimes.push(wallSeconds);
    this.line(`done ${label} (${wallSeconds.toFixed(1)} s)`);
    this.update();
  }

  failed(label: string, error: string): void {
    this.counts.running = Math.max(0, this.counts.running - 1);
    this.counts.failed++;
    this.line(`FAILED ${label}: ${error}`);
    this.update();
  }

  stop(): void {
    this.bar?.stop();
  }

  snapshot(): SweepCounts {
    return { ...this.counts };
  }

  /** Seconds left: mean finished-run time x runs left / parallelism. */
  etaSeconds(): number | undefined {
    if (this.wallTimes.length === 0) return undefined;
    const mean = this.wallTimes.reduce((a, b) => a + b, 0) / this.wallTimes.length;
    const left = this.counts.queued + this.counts.running;
    return (mean * left) / Math.max(1, this.options.parallelism ?? 1);
  }

  private payload(): Record<string, string | number> {
    const eta = this.etaSeconds();
    return {
      ...this.counts,
      eta: eta === undefined ? '?' : formatSeconds(eta),
    };
  }

  private update(): void {
    this.bar?.update(this.counts.done + this.counts.failed, this.payload());
  }

  private line(text: string): void {
    if (this.bar === undefined) {
      const { done, failed, total } = this.counts;
      this.options.write(`[${done + failed}/${total}] ${text}\n`);
    }
  }
}

function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
