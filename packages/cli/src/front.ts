import { UserError } from '@mtl2r/core';
import { type MetricRegistry, ndcgHypervolume } from '@mtl2r/metrics';
import { deepMtl2rRows, simplexLatticeRows } from '@mtl2r/sweep';
import {
  evaluateSplit,
  type LoadForModelOptions,
  loadSplitForModel,
  type TrainedModel,
} from '@mtl2r/trainer';
import { formatTable } from './table.js';

export interface FrontPoint {
  preference: number[];
  /** The front metric per task at this preference. */
  values: number[];
}

export interface FrontEvaluation {
  metric: string;
  points: FrontPoint[];
  /** Hypervolume in (1 - metric) space with reference (1, ..., 1), the sweep's. */
  hypervolume: number;
}

/**
 * The preference rows of `--front`: `deepmtl2r` is DeepMTL2R's ten two-task rows; a number N is the sweep's
 * simplex lattice with N - 1 divisions (N rows for two tasks, C(N + K - 2, K - 1) for K tasks).
 */
export function frontRows(flag: string, taskCount: number): number[][] {
  if (flag === 'deepmtl2r') {
    if (taskCount !== 2) {
      throw new UserError(
        `--front deepmtl2r: DeepMTL2R's rows are for two tasks, the model has ${taskCount}; give a number of rows`,
      );
    }
    return deepMtl2rRows();
  }
  const count = Number(flag);
  if (!Number.isInteger(count) || count < 2) {
    throw new UserError(`--front: '${flag}' is not a whole number >= 2 of preference rows (or 'deepmtl2r')`);
  }
  return simplexLatticeRows(taskCount, count - 1);
}

/** Evaluates a conditioned model at every row on one file (loaded once): the front and its hypervolume. */
export async function evaluateFront(
  model: TrainedModel,
  file: string,
  metric: string,
  rows: readonly number[][],
  options: Omit<LoadForModelOptions, 'labels'> & { registry?: MetricRegistry } = {},
): Promise<FrontEvaluation> {
  if (!model.ranker.conditioned) {
    throw new UserError(
      `--front: ${model.dir} is not conditioned on a preference (trained without model.conditioning), so it has one point, not a front`,
      {
        hint: 'train with model.conditioning: input and strategy pfl, or sweep preferences with mtl2r sweep',
      },
    );
  }
  const split = await loadSplitForModel(model, file, { ...options, labels: true });
  const points = rows.map((preference) => {
    const results = evaluateSplit(model.ranker, split, [metric], {
      preference,
      ...(options.registry === undefined ? {} : { registry: options.registry }),
    });
    return { preference: [...preference], values: results.map((task) => task.metrics[metric] as number) };
  });
  return { metric, points, hypervolume: ndcgHypervolume(points.map((p) => p.values)) };
}

/** The front as a table: one row per preference with the metric per task, then the hypervolume. */
export function formatFront(front: FrontEvaluation, taskNames: readonly string[]): string {
  const header = ['preference', ...taskNames.map((name) => `${name} ${front.metric}`)];
  const rows = front.points.map((p) => [
    p.preference.map((r) => r.toFixed(3)).join(','),
    ...p.values.map((v) => v.toFixed(4)),
  ]);
  return [
    formatTable(header, rows),
    `hypervolume (1 - ${front.metric}, reference 1): ${front.hypervolume.toFixed(4)} over ${front.points.length} preferences`,
  ].join('\n');
}
