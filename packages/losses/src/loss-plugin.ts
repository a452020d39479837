import { PluginError } from '@mtl2r/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { LossCreationSettings, RankingLoss } from './ranking-loss.js';

/** The loss contract version this package implements; a plugin built for another is refused by name. */
export const LOSS_CONTRACT_VERSION = 1 as const;

const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9]*(?:[-_][a-zA-Z0-9]+)*$/;

/**
 * A ranking loss as a plugin: the same shape as a strategy plugin, so a loss can come from another
 * package or a file (`losses: [{ name: 'squaredHinge', plugin: 'mtl2r-loss-squared-hinge' }]`).
 * `create` returns a masked `RankingLoss`: padded items must not change its value or get gradient, which
 * the loss conformance suite (`describeLossConformance` in @mtl2r/strategy-testkit) checks.
 */
export interface LossPlugin<Options = unknown> {
  /** The config name, e.g. 'squaredHinge'. */
  name: string;
  contractVersion: typeof LOSS_CONTRACT_VERSION;
  /** Options schema (any Standard Schema library; zod v4 in mtl2r's own losses). Must accept `{}`. */
  options: StandardSchemaV1<unknown, Options>;
  /** npm package that provides it, for error messages. */
  packageName?: string;
  description?: string;
  create(options: Options, settings: LossCreationSettings): RankingLoss;
}

/** Identity helper that types a loss plugin's options from its schema. */
export function defineLoss<Options>(plugin: LossPlugin<Options>): LossPlugin<Options> {
  return plugin;
}

/** Checks that a value has the shape of a loss plugin for this contract version; `source` says where it came from. */
export function assertLossPlugin(value: unknown, source: string): asserts value is LossPlugin<unknown> {
  if (value === null || typeof value !== 'object') {
    throw new PluginError(
      `${source} is not a loss plugin: expected an object, got ${value === null ? 'null' : typeof value}`,
    );
  }
  const p = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof p.name !== 'string' || !NAME_PATTERN.test(p.name))
    problems.push(`name must be an identifier like 'squaredHinge' (got ${JSON.stringify(p.name)})`);
  if (typeof p.create !== 'function')
    problems.push('create must be a function (options, settings) => RankingLoss');
  const options = p.options as { '~standard'?: { validate?: unknown } } | undefined;
  if (typeof options?.['~standard']?.validate !== 'function')
    problems.push('options must be a Standard Schema (e.g. a zod schema)');
  if (problems.length > 0)
    throw new PluginError(`${source} is not a loss plugin:\n  - ${problems.join('\n  - ')}`);
  if (p.contractVersion !== LOSS_CONTRACT_VERSION) {
    throw new PluginError(
      `loss plugin '${String(p.name)}' implements loss contract v${String(p.contractVersion)}, but @mtl2r/losses implements v${LOSS_CONTRACT_VERSION}`,
    );
  }
}
