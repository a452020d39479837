/** Small helpers shared by the bench scripts: timing, medians and a plain-text table. */
import os from 'node:os';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : 0.5 * ((sorted[mid - 1] as number) + (sorted[mid] as number));
}

/** Milliseconds taken by `f` (awaited). */
export async function timeMs(f: () => unknown): Promise<number> {
  const started = performance.now();
  await f();
  return performance.now() - started;
}

/** Enough digits to tell microsecond-scale costs apart from millisecond-scale ones. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0.1) return ms.toFixed(4);
  if (ms < 10) return ms.toFixed(2);
  return ms.toFixed(1);
}

/** Right-aligned columns, first column left-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** An integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

/** The 1-minute load average and core count, so a printed table says how busy the machine was. */
export function loadNote(): string {
  const [one, five] = os.loadavg();
  return `load average ${(one ?? 0).toFixed(1)} (1 min), ${(five ?? 0).toFixed(1)} (5 min) on ${os.cpus().length} cores`;
}
