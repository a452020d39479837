import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, parseConfigText, readConfigFile } from './config-file.js';

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtl2r-config-'));

  it('reads YAML (comments allowed) and JSON', () => {
    writeFileSync(join(dir, 'a.yaml'), 'seed: 4 # the seed\nstrategy: { id: ls, preference: [1, 2] }\n');
    writeFileSync(join(dir, 'a.json'), '{"seed": 4, "strategy": {"id": "ls"}}');
    expect(readConfigFile(join(dir, 'a.yaml'))).toEqual({
      seed: 4,
      strategy: { id: 'ls', preference: [1, 2] },
    });
    expect(readConfigFile(join(dir, 'a.json'))).toEqual({ seed: 4, strategy: { id: 'ls' } });
  });

  it('says where YAML is broken, and when the file is missing', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'seed: 4\nstrategy: [unclosed\n');
    expect(() => readConfigFile(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml:\d+:\d+: not valid YAML/);
    expect(() => readConfigFile(join(dir, 'none.yaml'))).toThrow(/config file .*none\.yaml not found/);
    expect(() => parseConfigText('{"a": }', 'x.json')).toThrow(/x\.json: not valid JSON/);
  });
});

describe('applyOverrides', () => {
  it('sets nested values parsed as YAML, creating objects and addressing array entries', () => {
    const config = { optimizer: { name: 'adam' }, losses: [{ name: 'listNet' }] };
    applyOverrides(config, [
      'optimizer.learningRate=0.01',
      'training.epochs=3',
      'strategy.preference=[0.2, 0.8]',
      'losses.0.name=rankNet',
      'training.bucketByLength=false',
    ]);
    expect(config).toEqual({
      optimizer: { name: 'adam', learningRate: 0.01 },
      losses: [{ name: 'rankNet' }],
      training: { epochs: 3, bucketByLength: false },
      strategy: { preference: [0.2, 0.8] },
    });
  });

  it('removes a key set to null, so its default applies', () => {
    expect(
      applyOverrides({ strategy: { id: 'ls', preference: [1, 2] } }, [
        'strategy.preference=null',
        'strategy.id=mgda',
      ]),
    ).toEqual({ strategy: { id: 'mgda' } });
  });

  it('refuses overrides without = and paths through a scalar', () => {
    expect(() => applyOverrides({}, ['epochs'])).toThrow(/epochs: expected key\.path=value/);
    expect(() => applyOverrides({ seed: 1 }, ['seed.x=2'])).toThrow(
      /seed: is 1, not an object: cannot set seed\.x/,
    );
    expect(() => applyOverrides({}, ['__proto__.x=1'])).toThrow(/expected dot-separated keys/);
  });
});
