import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError, UserError } from '@mtl2r/core';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/** Reads a JSON or YAML config file into a plain value (not yet validated). Errors name file:line:column. */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `config file ${file} not found`
        : `cannot read config file ${file}: ${(error as Error).message}`,
      { hint: code === 'ENOENT' ? 'write a starter config with: mtl2r init' : undefined },
    );
  }
  return parseConfigText(text, file);
}

/** Parses config text: JSON for `.json` files, YAML (a superset of JSON) otherwise. */
export function parseConfigText(text: string, source: string): unknown {
  if (extname(source).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UserError(`${source}: not valid JSON (${(error as Error).message})`);
    }
  }
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at === undefined ? source : `${source}:${at.line}:${at.col}`;
      throw new UserError(`${where}: not valid YAML (${error.message.split('\n')[0]})`);
    }
    throw error;
  }
}

/**
 * Applies `key.path=value` overrides (`--set optimizer.learningRate=0.01`) to a config value, in place.
 * Values are read as YAML scalars or flow collections, so `3`, `true`, `[0.2, 0.8]` and `adamw` all work.
 * Array entries are addressed by index: `losses.0.name=rankNet`. `key=null` removes the key.
 */
export function applyOverrides(config: unknown, overrides: readonly string[]): unknown {
  const root = (config ?? {}) as Record<string, unknown>;
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError('bad --set override', [
        { path: override, message: 'expected key.path=value, e.g. optimizer.learningRate=0.01' },
      ]);
    }
    const path = override.slice(0, eq).trim();
    const keys = path.split('.');
    if (
      keys.some((key) => key === '' || key === '__proto__' || key === 'constructor' || key === 'prototype')
    ) {
      throw new ConfigError('bad --set override', [
        { path, message: 'expected dot-separated keys, e.g. training.epochs' },
      ]);
    }
    const value = parseConfigText(override.slice(eq + 1), `--set ${path}`);
    let node: Record<string, unknown> = root;
    keys.slice(0, -1).forEach((key, i) => {
      const next = node[key];
      if (next === undefined || next === null) {
        node[key] = {};
      } else if (typeof next !== 'object') {
        throw new ConfigError('bad --set override', [
          {
            path: keys.slice(0, i + 1).join('.'),
            message: `is ${JSON.stringify(next)}, not an object: cannot set ${path}`,
          },
        ]);
      }
      node = node[key] as Record<string, unknown>;
    });
    // No config value is null, so null (`key=null` or `key=~`) removes the key: back to its default.
    if (value === null) delete node[keys[keys.length - 1] as string];
    else node[keys[keys.length - 1] as string] = value;
  }
  return root;
}
