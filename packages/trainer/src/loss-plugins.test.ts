import { fileURLToPath } from 'node:url';
import type { ConfigIssue } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { lossRegistryFor, resolveLossPluginPath } from './loss-plugins.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('losses from plugins', () => {
  it('loads a loss by file path relative to the config and registers it beside the builtins', async () => {
    const issues: ConfigIssue[] = [];
    const registry = await lossRegistryFor(
      [{ name: 'listNet' }, { name: 'meanScore', plugin: './test-fixtures/mean-score-loss.mjs' }],
      packageDir,
      issues,
    );
    expect(issues).toEqual([]);
    expect(registry.create('meanScore').name).toBe('meanScore');
    expect(registry.has('listNet')).toBe(true);
  });

  it('reports a missing package, a wrong name and a path, each at its config path', async () => {
    const issues: ConfigIssue[] = [];
    await lossRegistryFor(
      [
        { name: 'hinge', plugin: 'nosuchloss' },
        { name: 'hinge', plugin: './test-fixtures/mean-score-loss.mjs' },
      ],
      packageDir,
      issues,
    );
    expect(issues).toEqual([
      {
        path: 'losses[0].plugin',
        message: expect.stringContaining(
          "loss 'nosuchloss' is not installed: cannot find package @mtl2r/loss-nosuchloss or mtl2r-loss-nosuchloss or nosuchloss",
        ),
      },
      {
        path: 'losses[1].name',
        message: expect.stringMatching(/mean-score-loss\.mjs provides loss 'meanScore', not 'hinge'$/),
      },
    ]);
  });

  it('records file paths absolute, relative to the config folder', () => {
    expect(resolveLossPluginPath({ name: 'x', plugin: './a.js' }, '/cfg')).toEqual({
      name: 'x',
      plugin: '/cfg/a.js',
    });
    expect(resolveLossPluginPath({ name: 'x', plugin: 'mtl2r-loss-x' }, '/cfg').plugin).toBe('mtl2r-loss-x');
  });
});
