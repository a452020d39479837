import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CORE_VERSION, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import packageJson from '../package.json' with { type: 'json' };
import type { TrainConfig } from './config.js';

/** Where everything of a run lives (ARCHITECTURE.md "Runs, outputs"). */
export interface RunPaths {
  dir: string;
  config: string;
  run: string;
  metrics: string;
  best: string;
  last: string;
}

export function runPaths(dir: string): RunPaths {
  const root = resolve(dir);
  return {
    dir: root,
    config: join(root, 'config.json'),
    run: join(root, 'run.json'),
    metrics: join(root, 'metrics.jsonl'),
    best: join(root, 'checkpoints', 'best'),
    last: join(root, 'checkpoints', 'last'),
  };
}

/** `run.json`: what a run needs to be reproduced and compared. */
export interface RunInfo {
  seed: number;
  backend: { name: string; reason?: string };
  versions: Record<string, string>;
  gitSha?: string;
  startedAt: string;
  resumedAt?: string[];
}

/** Writes a file whole or not at all (temporary sibling, then rename); a failed write leaves no temporary. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    const errno = error as NodeJS.ErrnoException;
    if (typeof errno.code === 'string' && errno.path === undefined) errno.path = file; // write(2) names no file
    throw error;
  }
}

/** Creates the run directory if needed; refuses a path that exists as something else (a file). */
export function ensureRunDirectory(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UserError(`run directory ${dir} exists and is not a directory`, {
      hint: 'give --out a new or existing folder',
    });
  }
  mkdirSync(dir, { recursive: true });
}

/** Creates a run directory with `config.json` (the resolved config) and `run.json`. Refuses a used directory. */
export function createRunDirectory(dir: string, config: TrainConfig, backend: RunInfo['backend']): RunPaths {
  const paths = runPaths(dir);
  if (existsSync(paths.config)) {
    throw new UserError(`run directory ${paths.dir} already holds a run`, {
      hint: `continue it with --resume ${dir}, or pick another --out directory`,
    });
  }
  ensureRunDirectory(paths.dir);
  writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  const info: RunInfo = {
    seed: config.seed,
    backend,
    versions: versions(),
    startedAt: new Date().toISOString(),
  };
  const sha = gitSha(process.cwd());
  if (sha !== undefined) info.gitSha = sha;
  writeFileAtomic(paths.run, `${JSON.stringify(info, null, 2)}\n`);
  return paths;
}

/** Reads a run's resolved config; errors say what a run directory should hold. */
export function readRunConfig(dir: string): unknown {
  const paths = runPaths(dir);
  try {
    return JSON.parse(readFileSync(paths.config, 'utf8')) as unknown;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing
        ? `${paths.dir} is not a run directory: ${paths.config} not found`
        : `${paths.config}: ${(error as Error).message}`,
      { hint: missing ? 'pass the directory mtl2r train wrote (its --out)' : undefined },
    );
  }
}

/** Records a resume in run.json. */
export function noteResume(paths: RunPaths): void {
  let info: RunInfo;
  try {
    info = JSON.parse(readFileSync(paths.run, 'utf8')) as RunInfo;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      `${paths.run}: ${missing ? 'not found' : `damaged (${(error as Error).message})`}; it records how the run was started`,
      { hint: `restore it from a copy, or delete ${paths.dir} and start the run again` },
    );
  }
  info.resumedAt = [...(info.resumedAt ?? []), new Date().toISOString()];
  writeFileAtomic(paths.run, `${JSON.stringify(info, null, 2)}\n`);
}

function versions(): Record<string, string> {
  return {
    node: process.versions.node,
    '@tensorflow/tfjs-core': tf.version_core,
    '@mtl2r/core': CORE_VERSION,
    '@mtl2r/trainer': packageJson.version,
  };
}

/** The commit checked out in the nearest git work tree, read from .git without running git. */
function gitSha(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const head = join(dir, '.git', 'HEAD');
    if (existsSync(head)) {
      try {
        const text = readFileSync(head, 'utf8').trim();
        if (!text.startsWith('ref: ')) return text;
        const ref = join(dir, '.git', text.slice(5));
        if (existsSync(ref)) return readFileSync(ref, 'utf8').trim();
        const packed = join(dir, '.git', 'packed-refs');
        if (existsSync(packed)) {
          const line = readFileSync(packed, 'utf8')
            .split('\n')
            .find((l) => l.endsWith(` ${text.slice(5)}`));
          return line?.split(' ')[0];
        }
      } catch {
        return undefined;
      }
      return undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
