import type { TaskEvaluation } from './evaluate.js';
import { formatGrownArchitecture } from './grown-architecture.js';
import type { TrainingEvent } from './training-events.js';

export interface ProgressOptions {
  write: (text: string) => void;
  /** Redraw one line in place (a terminal); otherwise print plain lines now and then. */
  isTty: boolean;
  /** Print nothing but the final results. */
  quiet?: boolean;
  /** Plain mode: lines per epoch (default 4). */
  linesPerEpoch?: number;
  /** Clock, for the ETA (tests pass a fake). */
  now?: () => number;
  /** Where warnings go (default: `write`); printed even when quiet. */
  warn?: (text: string) => void;
}

/**
 * Turns training events into a progress display: on a TTY a live bar (epoch, batch, loss per task, ETA)
 * redrawn in place; otherwise a few plain lines per epoch; with `quiet` only the test results.
 */
export function progressReporter(options: ProgressOptions): (event: TrainingEvent) => void {
  const now = options.now ?? Date.now;
  const linesPerEpoch = options.linesPerEpoch ?? 4;
  let taskNames: readonly string[] = [];
  let epochs = 0;
  let batches = 0;
  let startedAt = now();
  let firstStep = 0;
  let totalSteps = 0;
  let onBar = false;
  const endBar = () => {
    if (onBar) options.write('\n');
    onBar = false;
  };
  return (event) => {
    if (event.type === 'warning') {
      endBar();
      (options.warn ?? options.write)(`warning: ${event.message}\n`);
      return;
    }
    if (event.type === 'note') {
      endBar();
      options.write(`note: ${event.message}\n`);
      return;
    }
    if (event.type === 'test') {
      endBar();
      options.write(`test\n${formatEvaluation(event.results)}\n`);
      return;
    }
    if (options.quiet === true) return;
    switch (event.type) {
      case 'start':
        ({ taskNames, epochs, batchesPerEpoch: batches } = event);
        startedAt = now();
        firstStep = event.step;
        totalSteps = epochs * batches;
        options.write(
          `${event.resumed ? 'resuming' : 'training'} ${taskNames.length} task(s) [${taskNames.join(', ')}], ${epochs} epochs x ${batches} batches${event.step > 0 ? `, from step ${event.step}` : ''}\n`,
        );
        return;
      case 'step': {
        const done = event.step - firstStep;
        const rate = done / Math.max(1, now() - startedAt);
        const eta = rate > 0 ? (totalSteps - event.step) / rate : Number.NaN;
        const losses = taskNames
          .map((name, k) => `${name} ${(event.losses[k] ?? Number.NaN).toFixed(4)}`)
          .join('  ');
        const head = `epoch ${event.epoch + 1}/${epochs} batch ${event.batch}/${event.batches}`;
        if (options.isTty) {
          const width = 20;
          const filled = Math.round((width * event.batch) / Math.max(1, event.batches));
          options.write(
            `\r\x1b[2K${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] loss ${losses}  ETA ${formatDuration(eta)}`,
          );
          onBar = true;
        } else {
          const every = Math.max(1, Math.ceil(event.batches / linesPerEpoch));
          if (event.batch % every === 0 || event.batch === event.batches)
            options.write(`${head} loss ${losses} ETA ${formatDuration(eta)}\n`);
        }
        return;
      }
      case 'epoch': {
        endBar();
        const train = taskNames
          .map((name, k) => `${name} ${(event.trainLosses[k] ?? Number.NaN).toFixed(4)}`)
          .join('  ');
        let line = `epoch ${event.epoch + 1}/${epochs} train loss ${train}`;
        if (event.validation !== undefined)
          line += `\n  vali ${event.validation.map((r) => `${r.task} ${firstMetric(r)}`).join('  ')}`;
        if (event.deltaM !== undefined) line += `  delta_m ${event.deltaM.toFixed(2)}%`;
        if (event.improved && event.validation !== undefined) line += '  (best)';
        options.write(`${line}\n`);
        return;
      }
      case 'checkpoint':
        return;
      case 'architecture':
        endBar();
        options.write(`${formatGrownArchitecture(event.architecture)}  written to ${event.file}\n`);
        return;
    }
  };
}

function firstMetric(result: TaskEvaluation): string {
  return Object.entries(result.metrics)
    .map(([name, value]) => `${name} ${value.toFixed(4)}`)
    .join(' ');
}

/** A per-task metrics table: one row per task, one column per metric (and the loss when known). */
export function formatEvaluation(results: readonly TaskEvaluation[]): string {
  const metrics = [...new Set(results.flatMap((r) => Object.keys(r.metrics)))];
  const withLoss = results.some((r) => r.loss !== undefined);
  const header = ['task', ...metrics, ...(withLoss ? ['loss'] : [])];
  const rows = results.map((r) => [
    r.task,
    ...metrics.map((m) => (r.metrics[m] ?? Number.NaN).toFixed(4)),
    ...(withLoss ? [r.loss === undefined ? '' : r.loss.toFixed(4)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '--:--';
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const mm = String(minutes % 60).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
