/*
 * For this package's tests (not exported): the CLI in a real child process, from its TypeScript sources,
 * so tests can send it signals, kill it, or run two at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CliProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when stdout or stderr (so far or later) matches; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Exit code (null when killed by a signal), the signal, and the whole output. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let entry: string | undefined;

/** A module file that runs the CLI's `main` (tsx resolves the workspace from a file entry, not from `-e`). */
function entryScript(): string {
  if (entry === undefined) {
    entry = join(mkdtempSync(join(tmpdir(), 'mtl2r-cli-entry-')), 'mtl2r.mjs');
    const bin = pathToFileURL(join(import.meta.dirname, 'bin.ts')).href;
    writeFileSync(
      entry,
      `import { main } from ${JSON.stringify(bin)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
  }
  return entry;
}

/**
 * Starts `mtl2r ...args`. Its working directory is this package's (tsx reads the tsconfig there to load
 * the workspace sources), so tests pass absolute paths.
 */
export function spawnCli(args: readonly string[]): CliProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@mtl2r/source', '--import', tsx, entryScript(), ...args],
    {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    },
  );
  let stdout = '';
  let stderr = '';
  let closed = false;
  const waiters: { pattern: RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout) || waiter.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(
            `mtl2r exited (${code ?? signal}) before printing ${waiter.pattern}:\n${stdout}\n${stderr}`,
          ),
        );
      }
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout) || pattern.test(stderr)) return resolve();
        if (closed)
          return reject(new Error(`mtl2r had exited without printing ${pattern}:\n${stdout}\n${stderr}`));
        waiters.push({ pattern, resolve, reject });
      }),
    exit,
  };
}
