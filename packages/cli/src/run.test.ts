import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { resolvedCopies } from './commands/doctor.js';
import { memoryIo } from './io.js';
import { runCli } from './run.js';

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('mtl2r', () => {
  it('--version prints the CLI version', async () => {
    const { code, out } = await run('--version');
    expect(code).toBe(0);
    expect(out.trim()).toBe(packageJson.version);
  });

  it('strategies lists linear scalarization with its family, needs and package', async () => {
    const { code, out } = await run('strategies');
    expect(code).toBe(0);
    const row = out.split('\n').find((line) => line.startsWith('ls '));
    expect(row).toMatch(
      /^ls\s+scalarization\s+grads: none, preference\s+yes\s+@mtl2r\/strategy-ls@1\.\d+\.\d+$/,
    );
  });

  it('strategies --json gives machine-readable rows', async () => {
    const { out } = await run('strategies', '--json');
    const rows = JSON.parse(out) as { id: string; family: string; paretoFront: boolean }[];
    expect(rows.find((r) => r.id === 'ls')).toMatchObject({ family: 'scalarization', paretoFront: true });
  });

  it('doctor reports node, backend, one copy of tfjs-core and core, and the plugins', async () => {
    const { code, out, err } = await run('doctor', '--backend', 'cpu');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^node {7}\d+\.\d+\.\d+ ok$/m);
    expect(out).toMatch(/^backend {4}cpu \(requested\)$/m);
    expect(out).toMatch(/^@tensorflow\/tfjs-core\s+4\.22\.0 at [^;]+$/m);
    expect(out).toMatch(/^@mtl2r\/core\s+1\.\d+\.\d+ at [^;]+$/m);
    expect(out).toMatch(/^ls\s+@mtl2r\/strategy-ls@\S+\s+ok$/m);
    expect(out).toContain('all checks passed');
  });

  it('a user error exits 2 with the message and hint, no stack', async () => {
    const { code, err } = await run('doctor', '--backend', 'node');
    expect(code).toBe(2);
    expect(err).toContain("error: backend 'node' is not available: @tensorflow/tfjs-node is not installed");
    expect(err).toContain('hint: install it: pnpm add @tensorflow/tfjs-node@4.22.0');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('an unknown command exits 2', async () => {
    const { code, err } = await run('trian');
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'trian'");
  });
});

describe('resolvedCopies', () => {
  it('finds two different copies of a package resolved from two places', () => {
    const root = mkdtempSync(join(tmpdir(), 'mtl2r-copies-'));
    const pkg = (dir: string, version: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-core', version }));
    };
    pkg(join(root, 'node_modules', '@tensorflow', 'tfjs-core'), '4.22.0');
    pkg(join(root, 'plugin', 'node_modules', '@tensorflow', 'tfjs-core'), '4.21.0');
    const copies = resolvedCopies('@tensorflow/tfjs-core', [root, join(root, 'plugin'), join(root, 'other')]);
    expect(copies.map((c) => c.version).sort()).toEqual(['4.21.0', '4.22.0']);
    expect(copies.find((c) => c.version === '4.22.0')?.seenFrom).toEqual([root, join(root, 'other')]);
  });
});
