import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTrainConfig, parseTrainConfig, readConfigFile, resolveConfig } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';
import { installedRegistry } from './train.js';

describe('mtl2r init', () => {
  it('writes a commented starter config that passes every pre-training check with the installed strategies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-init-'));
    const io = memoryIo(dir);
    expect(await runCli(['init'], io)).toBe(0);
    expect(io.out.join('')).toContain('train with: mtl2r train -c mtl2r.yaml');
    const text = readFileSync(join(dir, 'mtl2r.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    expect(text).toContain('# one loss per task');
    const config = resolveConfig(parseTrainConfig(readConfigFile(join(dir, 'mtl2r.yaml'))), dir);
    expect(config.data.spec?.tasks.map((t) => t.name)).toEqual(['relevance', 'pagerank', 'inlinks']);
    const setup = await checkTrainConfig(config, await installedRegistry(dir), { configDir: dir });
    expect(setup.plugin.id).toBe('ls');
  });

  it('does not overwrite a file unless --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-init-'));
    expect(await runCli(['init', 'my.yaml'], memoryIo(dir))).toBe(0);
    const io = memoryIo(dir);
    expect(await runCli(['init', 'my.yaml'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/error: .*my\.yaml already exists\nhint: pass --force/);
    expect(await runCli(['init', 'my.yaml', '--force'], memoryIo(dir))).toBe(0);
  });

  it('creates missing folders (runs/ in a fresh clone) and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-init-'));
    expect(await runCli(['init', 'runs/nested/job.yaml'], memoryIo(dir))).toBe(0);
    expect(readFileSync(join(dir, 'runs/nested/job.yaml'), 'utf8')).toContain('# one loss per task');
    expect(readdirSync(join(dir, 'runs/nested'))).toEqual(['job.yaml']);
  });
});
