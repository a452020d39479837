import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  ConfigError,
  type ConfigIssue,
  isUserError,
  type MetricsSink,
  nullMetricsSink,
  type Registry,
  Rng,
  type Strategy,
  type StrategyPlugin,
} from '@mtl2r/core';
import { loadStrategyPlugin } from '@mtl2r/core/node';
import { type DataSpec, type LoadedSplits, loadSplits, parseDataSpec } from '@mtl2r/data';
import type { RankingLoss } from '@mtl2r/losses';
import { formatMetric, parseMetric } from '@mtl2r/metrics';
import type { TrainConfig } from './config.js';
import { lossRegistryFor, resolveLossPluginPath } from './loss-plugins.js';
import {
  canonicalConfigMetric,
  declaredPluginMetrics,
  metricNames,
  type RunMetrics,
  resolveMetricPluginPath,
  runMetricsFor,
} from './metric-plugins.js';
import { requireBundledDataset } from './optional-datasets.js';

/** Data files after bundled datasets and relative paths are resolved. */
export interface ResolvedDataFiles {
  train: string;
  vali?: string;
  test?: string;
}

/**
 * Fills in what the config leaves implicit so the run directory records exactly what ran: bundled data
 * file paths, the data spec (with the bundled dataset's feature count and label range), absolute paths
 * (relative ones are relative to the config file's directory), canonical metric names.
 */
export function resolveConfig(config: TrainConfig, configDir: string): TrainConfig {
  const data = { ...config.data };
  const issues: ConfigIssue[] = [];
  if (data.dataset !== undefined) {
    const bundled = requireBundledDataset(data.dataset);
    data.train ??= bundled.train;
    data.vali ??= bundled.vali;
    data.test ??= bundled.test;
    data.spec ??= parseDataSpec(
      { featureCount: bundled.featureCount, maxLabel: bundled.labels[1] },
      'data.spec',
    );
    data.spec.featureCount ??= bundled.featureCount;
    data.spec.maxLabel ??= bundled.labels[1];
  }
  data.spec ??= parseDataSpec({}, 'data.spec');
  for (const key of ['train', 'vali', 'test'] as const) {
    const file = data[key];
    if (file !== undefined) data[key] = isAbsolute(file) ? file : resolve(configDir, file);
  }
  if (typeof data.cacheDir === 'string' && !isAbsolute(data.cacheDir))
    data.cacheDir = resolve(configDir, data.cacheDir);
  if (data.train === undefined)
    issues.push({ path: 'data.train', message: 'no training file: give data.train or data.dataset' });
  const evaluation = { ...config.evaluation };
  // Plugin metrics are checked by checkTrainConfig once loaded; here names are only made canonical.
  const declared = declaredPluginMetrics(evaluation.metrics);
  evaluation.metrics = evaluation.metrics.map((entry, i) => {
    if (typeof entry !== 'string') return resolveMetricPluginPath(entry, configDir);
    try {
      return canonicalConfigMetric(entry, `evaluation.metrics[${i}]`, declared);
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      return entry;
    }
  });
  const earlyStopping = { ...config.earlyStopping };
  if (earlyStopping.metric !== 'delta_m') {
    try {
      earlyStopping.metric = canonicalConfigMetric(earlyStopping.metric, 'earlyStopping.metric', declared);
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
    }
  }
  earlyStopping.task ??= data.spec.tasks[0]?.name;
  if (issues.length > 0) throw new ConfigError('invalid training config', issues);
  const strategy = { ...config.strategy };
  if (
    strategy.plugin !== undefined &&
    (strategy.plugin.startsWith('.') || /\.(m?js|cjs|ts|mts)$/.test(strategy.plugin))
  ) {
    strategy.plugin = isAbsolute(strategy.plugin) ? strategy.plugin : resolve(configDir, strategy.plugin);
  }
  const losses = config.losses.map((spec) => resolveLossPluginPath(spec, configDir));
  return { ...config, data, evaluation, earlyStopping, strategy, losses };
}

/** What `checkTrainConfig` built while checking: ready for training. */
export interface CheckedSetup {
  spec: DataSpec;
  files: ResolvedDataFiles;
  taskNames: string[];
  losses: RankingLoss[];
  plugin: StrategyPlugin<unknown>;
  strategy: Strategy;
  /** `evaluation.metrics` resolved with the config's metric plugins. */
  metrics: RunMetrics;
}

/**
 * Every check that can fail before data is loaded or a step is taken, with the config path of each problem:
 * loss count against the tasks, each loss and its options, metrics and early stopping, baselines, the
 * strategy (unknown id, options, preference length) and its declared needs against the losses and the
 * model, and that the data files exist. All problems found are reported together.
 */
export async function checkTrainConfig(
  config: TrainConfig,
  registry: Registry,
  options: { configDir?: string; log?: MetricsSink; notice?: (message: string) => void } = {},
): Promise<CheckedSetup> {
  const issues: ConfigIssue[] = [];
  const collect = (check: () => void) => {
    try {
      check();
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
    }
  };
  const spec = config.data.spec ?? parseDataSpec({}, 'data.spec');
  const taskNames = spec.tasks.map((task) => task.name);
  const taskCount = taskNames.length;

  if (config.losses.length !== taskCount) {
    issues.push({
      path: 'losses',
      message: `${config.losses.length} loss(es) for ${taskCount} task(s) [${taskNames.join(', ')}]: give one loss per task, in the order of data.spec.tasks`,
    });
  }
  const lossRng = new Rng(config.seed).derive('losses');
  const losses: RankingLoss[] = [];
  const lossRegistry = await lossRegistryFor(config.losses, options.configDir ?? process.cwd(), issues);
  config.losses.forEach((spec, k) => {
    collect(() => {
      const loss = lossRegistry.create(spec.name, spec.options ?? {}, {
        path: `losses[${k}]`,
        rng: lossRng.derive(`${k}`),
      });
      if (loss.outputs !== 1) {
        throw new ConfigError('unsupported loss', [
          {
            path: `losses[${k}].name`,
            message: `'${spec.name}' needs ${loss.outputs} outputs per item; the ranker gives one score per task`,
          },
        ]);
      }
      losses.push(loss);
    });
  });

  const runMetrics = await runMetricsFor(
    config.evaluation.metrics,
    options.configDir ?? process.cwd(),
    issues,
  );
  const names = runMetrics?.names ?? metricNames(config.evaluation.metrics);
  if (!names.includes(config.earlyStopping.metric) && config.earlyStopping.metric !== 'delta_m') {
    issues.push({
      path: 'earlyStopping.metric',
      message: `'${config.earlyStopping.metric}' is not among evaluation.metrics [${names.join(', ')}] (or use 'delta_m')`,
    });
  }
  if (config.earlyStopping.metric === 'delta_m' && config.evaluation.baselines === undefined) {
    issues.push({
      path: 'earlyStopping.metric',
      message: "'delta_m' needs evaluation.baselines (single-task values per task and metric)",
    });
  }
  if (config.earlyStopping.task !== undefined && !taskNames.includes(config.earlyStopping.task)) {
    issues.push({
      path: 'earlyStopping.task',
      message: `unknown task '${config.earlyStopping.task}'; tasks: ${taskNames.join(', ')}`,
    });
  }
  for (const [task, metrics] of Object.entries(config.evaluation.baselines ?? {})) {
    if (!taskNames.includes(task))
      issues.push({
        path: `evaluation.baselines.${task}`,
        message: `unknown task; tasks: ${taskNames.join(', ')}`,
      });
    for (const [metric, value] of Object.entries(metrics)) {
      const canonical = safeMetricName(metric, runMetrics);
      if (canonical === undefined || !names.includes(canonical)) {
        issues.push({
          path: `evaluation.baselines.${task}.${metric}`,
          message: `not one of evaluation.metrics [${names.join(', ')}]`,
        });
      } else if (!(value > 0)) {
        issues.push({
          path: `evaluation.baselines.${task}.${metric}`,
          message: `baseline must be > 0 (delta_m divides by it), got ${value}`,
        });
      }
    }
  }

  const files: ResolvedDataFiles = { train: config.data.train ?? '' };
  for (const key of ['train', 'vali', 'test'] as const) {
    const file = config.data[key];
    if (file === undefined) continue;
    if (!existsSync(file)) issues.push({ path: `data.${key}`, message: `file not found: ${file}` });
    files[key] = file;
  }

  let plugin: StrategyPlugin<unknown> | undefined;
  let pluginProblem = false;
  if (config.strategy.plugin !== undefined) {
    const problem = await usePluginFile(
      config.strategy.plugin,
      config.strategy.id,
      registry,
      options.configDir,
    );
    if (problem !== undefined) {
      issues.push({ path: 'strategy.plugin', message: problem });
      pluginProblem = true;
    }
  }
  try {
    if (!pluginProblem) plugin = registry.get(config.strategy.id);
  } catch (error) {
    if (!isUserError(error)) throw error;
    issues.push({
      path: 'strategy.id',
      message: `${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`,
    });
  }
  if (plugin !== undefined && plugin.needs.growsModel === true && config.model.perTaskHeads !== true) {
    issues.push({
      path: 'model.perTaskHeads',
      message: `strategy '${plugin.id}' grows the model and needs per-task heads: set model.perTaskHeads: true`,
    });
  }
  if (
    plugin !== undefined &&
    (plugin.needs.conditionsModel === true) !== (config.model.conditioning !== undefined)
  ) {
    issues.push({
      path: 'model.conditioning',
      message:
        plugin.needs.conditionsModel === true
          ? `strategy '${plugin.id}' conditions the model on a preference each step: set model.conditioning: input`
          : `strategy '${plugin.id}' does not choose a preference to condition the model on: remove model.conditioning, or use a strategy that does (pfl)`,
    });
  }
  if (issues.length > 0) throw new ConfigError('invalid training config', issues);

  const resolvedPlugin = plugin as StrategyPlugin<unknown>;
  const strategy = registry.create(resolvedPlugin.id, {
    taskNames,
    options: config.strategy.options ?? {},
    preference: config.strategy.preference,
    rng: new Rng(config.seed).derive('strategy'),
    log: options.log ?? nullMetricsSink,
    configPath: 'strategy',
    plannedEpochs: config.training.epochs,
    ...(options.notice === undefined ? {} : { notice: options.notice }),
  });
  // The instance's needs count: options can add one (e.g. MGDA's loss normalisation divides by losses).
  if (strategy.needs.positiveLosses === true || resolvedPlugin.needs.positiveLosses === true) {
    losses.forEach((loss, k) => {
      if (loss.canBeNonPositive) {
        issues.push({
          path: `losses[${k}].name`,
          message: `strategy '${resolvedPlugin.id}' needs strictly positive losses (it takes their logarithms or divides by them), but '${loss.name}' can be <= 0; pick a strictly positive loss (listNet, rankNet, lambdaLoss, ...)`,
        });
      }
    });
  }
  if (issues.length > 0) {
    strategy.dispose();
    throw new ConfigError('invalid training config', issues);
  }
  return {
    spec,
    files,
    taskNames,
    losses,
    plugin: resolvedPlugin,
    strategy,
    metrics: runMetrics as RunMetrics,
  };
}

/** Loads train (+ vali, test) with the spec; the transform is fitted on train. */
export function loadTrainingData(config: TrainConfig, setup: CheckedSetup): Promise<LoadedSplits> {
  const cacheDir = config.data.cacheDir;
  return loadSplits(setup.files, setup.spec, cacheDir === undefined ? {} : { cacheDir });
}

/**
 * Loads `strategy.plugin` and registers it. It must provide `strategy.id`, and must not clash with a
 * different installed plugin of that id (it would be silently ignored otherwise). Returns the problem.
 */
async function usePluginFile(
  spec: string,
  id: string,
  registry: Registry,
  configDir: string | undefined,
): Promise<string | undefined> {
  let loaded: StrategyPlugin<unknown>;
  try {
    loaded = await loadStrategyPlugin(spec, configDir ?? process.cwd());
  } catch (error) {
    if (!isUserError(error)) throw error;
    return `${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`;
  }
  if (loaded.id !== id) {
    return `${spec} provides strategy '${loaded.id}', but strategy.id is '${id}': set strategy.id to '${loaded.id}'`;
  }
  if (!registry.has(id)) {
    registry.use(loaded);
    return undefined;
  }
  if (registry.get(id) === loaded) return undefined;
  return `'${id}' is also an installed strategy, so ${spec} would be ignored: remove strategy.plugin to use the installed '${id}', or give the plugin in ${spec} an id of its own`;
}

function safeMetricName(name: string, metrics: RunMetrics | undefined): string | undefined {
  try {
    return formatMetric(parseMetric(name, '', metrics?.registry));
  } catch {
    return undefined;
  }
}
