import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type BackendChoice, nativeGemmNote, selectBackend } from '@mtl2r/backend';
import { UserError } from '@mtl2r/core';
import { Command } from 'commander';
import { cliDir, installedStrategies } from '../installed-strategies.js';
import type { CliIo } from '../io.js';
import { formatTable } from '../table.js';

const MIN_NODE = [20, 19] as const;

export interface PackageCopy {
  dir: string;
  version: string;
  /** The directories that resolve to this copy. */
  seenFrom: string[];
}

/** Every distinct copy of `name` that Node resolves from the given directories (by real path). */
export function resolvedCopies(name: string, fromDirs: readonly string[]): PackageCopy[] {
  const copies = new Map<string, PackageCopy>();
  for (const from of fromDirs) {
    let manifest: string;
    try {
      manifest = realpathSync(createRequire(join(from, 'noop.js')).resolve(`${name}/package.json`));
    } catch {
      continue;
    }
    const dir = dirname(manifest);
    const copy = copies.get(dir) ?? {
      dir,
      version: (createRequire(manifest)(manifest) as { version: string }).version,
      seenFrom: [],
    };
    copy.seenFrom.push(from);
    copies.set(dir, copy);
  }
  return [...copies.values()];
}

/** `mtl2r doctor`: Node version, backend choice, duplicate tfjs-core / @mtl2r/core copies, installed plugins. */
export function doctorCommand(io: CliIo): Command {
  return new Command('doctor')
    .description('check the environment: Node, tfjs backend, duplicate packages, installed strategies')
    .option('--backend <name>', 'backend to try: auto, node-gpu, node, wasm, cpu', 'auto')
    .action(async (options: { backend: string }) => {
      const problems: string[] = [];
      const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
      const nodeOk = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
      if (!nodeOk)
        problems.push(`Node ${process.versions.node} is too old: mtl2r needs Node >= ${MIN_NODE.join('.')}`);
      io.stdout(`node       ${process.versions.node} ${nodeOk ? 'ok' : 'TOO OLD'}\n`);

      const selection = await selectBackend({ backend: options.backend as BackendChoice });
      io.stdout(`backend    ${selection.name} (${selection.reason})\n`);
      if (selection.name === 'wasm') io.stdout(`matmul     ${nativeGemmNote()}\n`);

      const strategies = await installedStrategies(io.cwd);
      const backendDir = dirname(
        createRequire(join(cliDir, 'noop.js')).resolve('@mtl2r/backend/package.json'),
      );
      const fromDirs = [io.cwd, cliDir, backendDir, ...strategies.map((s) => s.package.dir)];
      for (const name of ['@tensorflow/tfjs-core', '@mtl2r/core']) {
        const copies = resolvedCopies(name, fromDirs);
        io.stdout(
          `${name.padEnd(22)} ${copies.map((c) => `${c.version} at ${c.dir}`).join('; ') || 'not found'}\n`,
        );
        if (copies.length > 1) {
          problems.push(
            `${copies.length} copies of ${name} are installed (${copies.map((c) => `${c.version} at ${c.dir}`).join(', ')}); tensors and plugins from different copies do not mix. Deduplicate them (pnpm dedupe, or align versions).`,
          );
        }
      }

      io.stdout('\nstrategies\n');
      const rows = strategies.map((s) => [
        s.plugin?.id ?? '(broken)',
        `${s.package.name}@${s.package.version}`,
        s.error ?? 'ok',
      ]);
      io.stdout(
        rows.length === 0 ? '  none installed\n' : `${formatTable(['id', 'package', 'status'], rows)}\n`,
      );
      for (const s of strategies) if (s.error !== undefined) problems.push(`${s.package.name}: ${s.error}`);

      if (problems.length > 0) {
        throw new UserError(`doctor found ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
      }
      io.stdout('\nall checks passed\n');
    });
}
