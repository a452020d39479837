import { join } from 'node:path';
import { ConfigError, type ConfigIssue } from '@mtl2r/core';
import { parseTrainConfig, resolveConfig, type TrainConfig } from '@mtl2r/trainer';
import { type PreferenceGenerator, preferenceRows } from './preference-rows.js';
import { runId } from './run-id.js';
import type { SweepFile, SweepStrategyEntry } from './sweep-file.js';
import type { RunCoordinates, SweepJob } from './sweep-job.js';

/** What the sweep needs to know of the installed strategies. */
export interface StrategyCatalog {
  /** Installed strategy ids. */
  ids(): readonly string[];
  /** Whether the strategy declares `needs.preference`. */
  needsPreference(id: string): boolean;
}

/** The epsilon-constraint strategy: it sweeps epsilon grids instead of preference rows. */
export const EPSILON_STRATEGY = 'ec';
/** The single-task strategy: the delta_m baselines. */
export const BASELINE_STRATEGY = 'stl';

export interface ExpandOptions {
  /** Folder of the sweep file: relative data paths in `base` are relative to it. */
  sweepDir: string;
  /** The sweep's output folder; runs go to `<outDir>/runs/<method>-<id>`. */
  outDir: string;
  catalog: StrategyCatalog;
}

/**
 * Every run of a sweep, STL baselines first (delta_m needs them), then each method x rows x seeds. Checks
 * everything before anything runs (unknown strategies, row lengths, EC without epsilons, every run's
 * resolved training config); errors name the sweep file's key path. Runs with equal configs appear once.
 */
export function expandGrid(sweep: SweepFile, options: ExpandOptions): SweepJob[] {
  // The base config needs no strategy of its own: every run sets one.
  const firstStrategy = { id: sweep.grid.strategies[0]?.id ?? BASELINE_STRATEGY };
  const base = withBasePrefix('bad sweep file: invalid base training config', () =>
    parseTrainConfig({ strategy: firstStrategy, ...sweep.base }, 'base'),
  );
  const taskNames = (base.data.spec?.tasks ?? []).map((task, i) => task.name ?? `task${i}`);
  const taskCount = base.losses.length;
  checkStrategies(sweep, options.catalog);

  const needRows = sweep.grid.strategies.some(
    (entry) => entry.id !== EPSILON_STRATEGY && options.catalog.needsPreference(entry.id),
  );
  const generator: PreferenceGenerator =
    sweep.grid.preferences ??
    (taskCount === 2 ? { generator: 'deepmtl2r' } : { generator: 'lattice', divisions: 2 });
  const rows = needRows ? preferenceRows(generator, taskCount, 'grid.preferences') : [];
  const seeds = sweep.grid.seeds ?? [base.seed];

  const runs: RunCoordinates[] = [];
  for (const seed of sweep.grid.baselines ? seeds : []) {
    for (let k = 0; k < taskCount; k++) {
      const baselineTask = taskNames[k] ?? `task${k}`;
      const preference = Array.from({ length: taskCount }, (_, j) => (j === k ? 1 : 0));
      runs.push({
        method: BASELINE_STRATEGY,
        strategy: BASELINE_STRATEGY,
        options: {},
        preference,
        seed,
        baselineTask,
      });
    }
  }
  for (const entry of sweep.grid.strategies) {
    const method = methodLabel(entry);
    const strategyOptions = entry.options ?? {};
    for (const seed of seeds) {
      if (entry.id === EPSILON_STRATEGY) {
        for (const epsilon of entry.epsilons ?? sweep.grid.epsilons ?? [])
          runs.push({ method, strategy: entry.id, options: { ...strategyOptions, epsilon }, epsilon, seed });
      } else if (options.catalog.needsPreference(entry.id)) {
        for (const preference of rows)
          runs.push({ method, strategy: entry.id, options: strategyOptions, preference, seed });
      } else {
        runs.push({ method, strategy: entry.id, options: strategyOptions, seed });
      }
    }
  }
  return toJobs(runs, sweep, options);
}

function checkStrategies(sweep: SweepFile, catalog: StrategyCatalog): void {
  const issues: ConfigIssue[] = [];
  const installed = new Set(catalog.ids());
  sweep.grid.strategies.forEach((entry, i) => {
    if (!installed.has(entry.id)) {
      issues.push({
        path: `grid.strategies[${i}].id`,
        message: `unknown strategy '${entry.id}'; installed: ${[...installed].sort().join(', ')}`,
      });
    } else if (entry.id === EPSILON_STRATEGY && (entry.epsilons ?? sweep.grid.epsilons) === undefined) {
      issues.push({
        path: `grid.strategies[${i}]`,
        message: 'ec needs an epsilon grid: give grid.epsilons or an epsilons list on this entry',
      });
    } else if (entry.epsilons !== undefined && entry.id !== EPSILON_STRATEGY) {
      issues.push({
        path: `grid.strategies[${i}].epsilons`,
        message: `only ec takes epsilons, not '${entry.id}'`,
      });
    }
  });
  if (sweep.grid.baselines && !installed.has(BASELINE_STRATEGY)) {
    issues.push({
      path: 'grid.baselines',
      message: "needs the 'stl' strategy plugin, which is not installed",
    });
  }
  if (issues.length > 0) throw new ConfigError('bad sweep file', issues);
}

/** `pcgrad`, or `ls{"x":1}` when options are given, unless the entry names itself. */
function methodLabel(entry: SweepStrategyEntry): string {
  if (entry.label !== undefined) return entry.label;
  const options = entry.options ?? {};
  return Object.keys(options).length === 0 ? entry.id : `${entry.id}${JSON.stringify(options)}`;
}

function toJobs(runs: readonly RunCoordinates[], sweep: SweepFile, options: ExpandOptions): SweepJob[] {
  const jobs = new Map<string, SweepJob>();
  for (const run of runs) {
    const config = resolvedRunConfig(sweep.base, run, options.sweepDir);
    const id = runId(config);
    if (jobs.has(id)) continue;
    const runPath = join('runs', `${run.method.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40)}-${id}`);
    jobs.set(id, { ...run, id, config, runPath, runDir: join(options.outDir, runPath) });
  }
  return [...jobs.values()];
}

/** The base config with the run's strategy, preference and seed, validated and with absolute paths. */
function resolvedRunConfig(
  base: Record<string, unknown>,
  run: RunCoordinates,
  sweepDir: string,
): TrainConfig {
  const strategy: Record<string, unknown> = { id: run.strategy, options: run.options };
  const plugin = (base.strategy as { plugin?: unknown } | undefined)?.plugin;
  if (plugin !== undefined && run.strategy === (base.strategy as { id?: unknown }).id)
    strategy.plugin = plugin;
  if (run.preference !== undefined) strategy.preference = run.preference;
  const value = { ...structuredClone(base), seed: run.seed, strategy };
  return withBasePrefix(
    `bad sweep file: the ${run.method} run (seed ${run.seed}) has an invalid training config`,
    () => resolveConfig(parseTrainConfig(value, 'base'), sweepDir),
  );
}

/** Runs `make`; a ConfigError's paths are re-rooted at the sweep file's `base` key. */
function withBasePrefix<T>(what: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      what,
      error.issues.map((issue) => ({ ...issue, path: issue.path === '' ? 'base' : `base.${issue.path}` })),
    );
  }
}
