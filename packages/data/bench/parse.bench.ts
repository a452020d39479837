/**
 * Parse throughput and peak memory on a generated MSLR-shaped file of at least 1 GB, side by side with
 * scikit-learn's load_svmlight_file on the same file, plus cache load vs parse.
 *   pnpm --filter @mtl2r/data bench            (BENCH_QUERIES=n to change the size)
 * Each measurement runs in its own process so peak RSS is its own. Goals: >= 2x sklearn's speed,
 * peak RSS <= 1.5x the float32 feature matrix, cache load >= 10x faster than parsing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSplit, readSvmlight, writeSynthMslr } from '../src/index.js';

interface Measurement {
  seconds: number;
  /** User + system CPU seconds of the measured call: fairer than wall time on a busy machine. */
  cpuSeconds: number;
  documents: number;
  peakRssMb: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const mode = process.argv[2];

if (mode === '--parse') {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const { table } = await readSvmlight(process.argv[3] as string);
  const seconds = (performance.now() - start) / 1000;
  report({
    seconds,
    cpuSeconds: cpuSeconds(cpu),
    documents: table.labels.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
} else if (mode === '--cache') {
  const file = process.argv[3] as string;
  const cacheDir = process.argv[4] as string;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const split = await loadSplit(file, { featureCount: 136 }, { cacheDir });
  const seconds = (performance.now() - start) / 1000;
  report({
    cpuSeconds: cpuSeconds(cpu),
    seconds,
    documents: split.queryOffsets[split.queryOffsets.length - 1] as number,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  });
} else {
  await main();
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function report(measurement: Measurement): void {
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

function child(args: string[]): Measurement {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Measurement;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mtl2r-data-bench-'));
  try {
    const file = join(dir, 'mslr-synth.txt');
    const queries = Number(process.env.BENCH_QUERIES ?? 8000);
    process.stderr.write(`generating ${queries} MSLR-shaped queries in ${dir} ...\n`);
    const generated = await writeSynthMslr(file, { queries, seed: 1 });
    const bytes = statSync(file).size;
    const megabytes = bytes / 1e6;
    process.stderr.write(`${(bytes / 1e9).toFixed(2)} GB, ${generated.documents} documents, 136 features\n`);
    const matrixMb = (generated.documents * 136 * 4) / 2 ** 20;

    process.stderr.write('mtl2r parse (best of 2) ...\n');
    const ours = [child(['--parse', file]), child(['--parse', file])].sort(
      (a, b) => a.seconds - b.seconds,
    )[0] as Measurement;
    process.stderr.write('scikit-learn load_svmlight_file ...\n');
    let sklearn: Measurement | undefined;
    try {
      const out = execFileSync('/usr/bin/python3', [join(here, 'sklearn_parse.py'), file], {
        encoding: 'utf8',
      });
      sklearn = JSON.parse(out.trim()) as Measurement;
    } catch (error) {
      process.stderr.write(
        `sklearn run failed (apt-get install python3-sklearn): ${(error as Error).message}\n`,
      );
    }
    process.stderr.write('cache: first load (parse + write), second load (read) ...\n');
    const cacheDir = join(dir, 'cache');
    const cold = child(['--cache', file, cacheDir]);
    const warm = child(['--cache', file, cacheDir]);

    const row = (name: string, m: Measurement): string[] => [
      name,
      m.seconds.toFixed(2),
      m.cpuSeconds.toFixed(2),
      (megabytes / m.seconds).toFixed(1),
      (megabytes / m.cpuSeconds).toFixed(1),
      Math.round(m.documents / m.seconds).toLocaleString('en-US'),
      m.peakRssMb.toFixed(0),
      (m.peakRssMb / matrixMb).toFixed(2),
    ];
    const rows = [row('mtl2r readSvmlight', ours)];
    if (sklearn) rows.push(row('sklearn load_svmlight_file', sklearn));
    rows.push(row('mtl2r loadSplit (parse + cache write)', cold), row('mtl2r loadSplit (cache hit)', warm));
    const header = [
      'parser',
      'wall s',
      'cpu s',
      'MB/s (wall)',
      'MB/s (cpu)',
      'docs/s (wall)',
      'peak RSS MB',
      'RSS / f32 matrix',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const line = (cells: string[]): string =>
      `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
    console.log(
      `\nfile: ${megabytes.toFixed(0)} MB, ${generated.documents} docs, ${queries} queries; float32 feature matrix ${matrixMb.toFixed(0)} MB`,
    );
    console.log(line(header));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) console.log(line(r));
    if (sklearn) {
      const wall = sklearn.seconds / ours.seconds;
      const cpu = sklearn.cpuSeconds / ours.cpuSeconds;
      console.log(`speed vs sklearn: ${wall.toFixed(1)}x wall, ${cpu.toFixed(1)}x cpu (goal >= 2x)`);
    }
    console.log(`peak RSS / float32 matrix: ${(ours.peakRssMb / matrixMb).toFixed(2)} (goal <= 1.5)`);
    const cacheWall = ours.seconds / warm.seconds;
    const cacheCpu = ours.cpuSeconds / warm.cpuSeconds;
    console.log(
      `cache hit vs parse: ${cacheWall.toFixed(1)}x wall, ${cacheCpu.toFixed(1)}x cpu faster (goal >= 10x)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
