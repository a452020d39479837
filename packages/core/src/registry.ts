import {
  CONTRACT_VERSION,
  declaredGradientSpaces,
  type Strategy,
  type StrategyContext,
  type StrategyPlugin,
} from './contract.js';
import { ConfigError, InternalError, PluginError } from './errors.js';
import { type MetricsSink, nullMetricsSink } from './metrics-sink.js';
import { validateWithSchema } from './options.js';
import { Rng } from './rng.js';
import { recordStrategyOrigin } from './strategy-origin.js';
import { CORE_VERSION } from './version.js';

const ID_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const FAMILIES = new Set(['scalarization', 'weighting', 'gradient', 'architecture']);
const SPACES = new Set(['none', 'shared', 'representation']);

/** The npm package a short strategy name maps to: `soft_wc` -> `@mtl2r/strategy-soft-wc`. */
export function packageNameForStrategy(id: string): string {
  return `@mtl2r/strategy-${id.replaceAll('_', '-')}`;
}

function describe(plugin: StrategyPlugin<unknown>): string {
  return plugin.packageName === undefined ? `'${plugin.id}'` : `'${plugin.id}' (${plugin.packageName})`;
}

/**
 * Checks that a value has the shape of a strategy plugin and speaks this core's contract version.
 * `source` says where it came from, for the error message.
 */
export function assertStrategyPlugin(
  value: unknown,
  source: string,
): asserts value is StrategyPlugin<unknown> {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object') {
    throw new PluginError(
      `${source} is not a strategy plugin: expected an object, got ${value === null ? 'null' : typeof value}`,
    );
  }
  const p = value as Record<string, unknown>;
  if (typeof p.id !== 'string' || !ID_PATTERN.test(p.id))
    problems.push(`id must be a lower-case id like 'pcgrad' or 'soft_wc' (got ${JSON.stringify(p.id)})`);
  if (typeof p.create !== 'function')
    problems.push('create must be a function (options, context) => Strategy');
  if (typeof p.family !== 'string' || !FAMILIES.has(p.family))
    problems.push(`family must be one of ${[...FAMILIES].join(', ')} (got ${JSON.stringify(p.family)})`);
  if (typeof p.paretoFront !== 'boolean') problems.push('paretoFront must be a boolean');
  const options = p.options as { '~standard'?: { validate?: unknown } } | undefined;
  if (typeof options?.['~standard']?.validate !== 'function')
    problems.push('options must be a Standard Schema (e.g. a zod schema)');
  const needs = p.needs as { grads?: unknown } | undefined;
  const grads = needs?.grads;
  const gradList = Array.isArray(grads) ? grads : [grads];
  if (gradList.length === 0 || !gradList.every((g) => typeof g === 'string' && SPACES.has(g))) {
    problems.push(
      `needs.grads must be 'none', 'shared', 'representation' or a list of them (got ${JSON.stringify(grads)})`,
    );
  }
  if (problems.length > 0) {
    throw new PluginError(`${source} is not a strategy plugin:\n  - ${problems.join('\n  - ')}`);
  }
  if (p.contractVersion !== CONTRACT_VERSION) {
    const plugin = value as StrategyPlugin<unknown>;
    throw new PluginError(
      `strategy plugin ${describe(plugin)} implements strategy contract v${String(p.contractVersion)}, but @mtl2r/core ${CORE_VERSION} implements v${CONTRACT_VERSION}`,
      {
        hint: `install a version of ${plugin.packageName ?? 'the plugin'} built for @mtl2r/core ${CORE_VERSION.split('.')[0]}.x, or a matching @mtl2r/core`,
      },
    );
  }
}

export interface CreateStrategyOptions {
  taskNames: readonly string[];
  /** Raw options from the config; validated against the plugin's schema. */
  options?: unknown;
  /** Raw preference vector; validated and normalised for plugins that declare `needs.preference`. */
  preference?: readonly number[];
  /** The strategy's random stream, or a seed to make one. */
  rng?: Rng | number;
  log?: MetricsSink;
  /** Where the options sit in the config, for error paths. */
  configPath?: string;
  /** Receives info lines (e.g. a preference the strategy does not use was dropped). */
  notice?: (message: string) => void;
  /** The epochs training will run, passed on as `StrategyContext.plannedEpochs`. */
  plannedEpochs?: number;
}

/** An explicit set of strategy plugins. Nothing is registered implicitly. */
export class Registry {
  private readonly plugins = new Map<string, StrategyPlugin<unknown>>();

  /** Registers a plugin. The same object twice is a no-op; another plugin with the same id is an error. */
  use<Options>(plugin: StrategyPlugin<Options>): this {
    assertStrategyPlugin(plugin, `registry.use(${describeValue(plugin)})`);
    const existing = this.plugins.get(plugin.id);
    if (existing === (plugin as StrategyPlugin<unknown>)) return this;
    if (existing !== undefined) {
      throw new PluginError(
        `cannot register strategy ${describe(plugin as StrategyPlugin<unknown>)}: id '${plugin.id}' is already registered by ${existing.packageName ?? 'another plugin object'}`,
        { hint: 'two packages provide the same strategy id; register only one of them' },
      );
    }
    this.plugins.set(plugin.id, plugin as StrategyPlugin<unknown>);
    return this;
  }

  has(id: string): boolean {
    return this.plugins.has(id);
  }

  get(id: string): StrategyPlugin<unknown> {
    const plugin = this.plugins.get(id);
    if (plugin === undefined) {
      const known = this.list().map((p) => p.id);
      throw new PluginError(
        `unknown strategy '${id}'; registered: ${known.length === 0 ? '(none)' : known.join(', ')}`,
        { hint: `install and register ${packageNameForStrategy(id)}, or pick one of the registered ids` },
      );
    }
    return plugin;
  }

  /** Registered plugins sorted by id. */
  list(): StrategyPlugin<unknown>[] {
    return [...this.plugins.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Validates options and preference and creates a strategy instance of a registered plugin. */
  create(id: string, request: CreateStrategyOptions): Strategy {
    return createStrategy(this.get(id), request);
  }
}

/** Validates options and preference against a plugin and creates a strategy instance. */
export function createStrategy<Options>(
  plugin: StrategyPlugin<Options>,
  request: CreateStrategyOptions,
): Strategy {
  const where = request.configPath ?? 'strategy';
  const taskCount = request.taskNames.length;
  if (taskCount < 1)
    throw new ConfigError(`strategy '${plugin.id}'`, [{ path: where, message: 'needs at least one task' }]);
  const options = validateWithSchema(
    plugin.options,
    request.options ?? {},
    `invalid options for strategy '${plugin.id}'`,
    `${where}.options`,
  );
  const context: StrategyContext = {
    taskCount,
    taskNames: request.taskNames,
    rng: request.rng instanceof Rng ? request.rng : new Rng(request.rng ?? 0).derive('strategy'),
    log: request.log ?? nullMetricsSink,
  };
  if (request.plannedEpochs !== undefined) context.plannedEpochs = request.plannedEpochs;
  if (plugin.needs.preference === true) {
    context.preference = normalisePreference(request.preference, taskCount, `${where}.preference`, plugin.id);
    if (request.preference !== undefined) context.rawPreference = request.preference.slice();
  } else if (request.preference !== undefined) {
    // Switching strategies from one config (--set strategy.id=mgda) must just work: drop it, say so.
    request.notice?.(
      `${where}.preference is not used by strategy '${plugin.id}' (it takes no preference vector); ignoring it`,
    );
  }
  const strategy = plugin.create(options, context);
  const spaces = declaredGradientSpaces(plugin as StrategyPlugin<unknown>);
  if (strategy?.needs === undefined || !spaces.includes(strategy.needs.grads)) {
    throw new InternalError(
      `strategy ${describe(plugin as StrategyPlugin<unknown>)} created an instance whose needs.grads (${String(strategy?.needs?.grads)}) is not one it declares (${spaces.join(', ')})`,
    );
  }
  recordStrategyOrigin(strategy, plugin as StrategyPlugin<unknown>);
  return strategy;
}

/** Uniform when absent; otherwise length K, finite, non-negative, not all zero; scaled to sum 1. */
export function normalisePreference(
  preference: readonly number[] | undefined,
  taskCount: number,
  path: string,
  strategyId: string,
): number[] {
  if (preference === undefined) return Array.from({ length: taskCount }, () => 1 / taskCount);
  const what = `preference vector for strategy '${strategyId}'`;
  if (!Array.isArray(preference) || preference.length !== taskCount) {
    throw new ConfigError(what, [
      {
        path,
        message: `expected ${taskCount} numbers (one per task), got ${Array.isArray(preference) ? preference.length : typeof preference}`,
      },
    ]);
  }
  preference.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(what, [
        { path: `${path}[${i}]`, message: `expected a finite number >= 0, got ${JSON.stringify(value)}` },
      ]);
    }
  });
  const sum = preference.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new ConfigError(what, [{ path, message: 'expected at least one positive entry' }]);
  return preference.map((v) => v / sum);
}

function describeValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return `'${(value as { id: string }).id}'`;
  }
  return typeof value;
}
