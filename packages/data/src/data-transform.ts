import { DataError } from '@mtl2r/core';
import { type DataSpec, type NormalizeMode, taskTransform } from './data-spec.js';
import { documentCount, queryCount, type RankingSplit, taskLabels } from './ranking-split.js';

/** How one task's labels are mapped, with what was fitted on the training split. */
export type LabelTransformState =
  | { kind: 'raw' }
  | { kind: 'log1p' }
  /** Values <= 0 get grade 0; positive values get 1..grades-1 by the thresholds (grade = 1 + #thresholds < value). */
  | { kind: 'quantile-grades'; grades: number; thresholds: number[] };

/** Per-column pre-scaling of `log-zscore` (allRank's recipe). */
export type ColumnLogMode = 'none' | 'log' | 'negated-log';

/**
 * Everything fitted on the training split that must be applied identically to vali/test and at prediction
 * time: plain JSON, saved with the model.
 */
export interface DataTransform {
  version: 1;
  /** The 1-based file feature ids of the input columns, in order (checked when applied). */
  featureIds: number[];
  taskNames: string[];
  normalize: NormalizeMode;
  /** Input columns (by feature id) passed through sign(x) ln(1 + |x|) first. */
  log1pFeatureIds: number[];
  /** Per input column, for log-zscore. */
  columnLog?: ColumnLogMode[];
  /** Per input column, for zscore and log-zscore. */
  mean?: number[];
  std?: number[];
  labelTransforms: LabelTransformState[];
}

/** Added to the std so constant columns map to 0 instead of dividing by zero (allRank uses the same). */
export const STD_EPSILON = 1e-6;
/** allRank's log shift: x -> ln(x + 0.01). */
export const LOG_SHIFT = 0.01;

/** Fits normalisation and label transforms on the training split. Refuses a task whose labels are constant. */
export function fitDataTransform(train: RankingSplit, spec: DataSpec): DataTransform {
  const n = documentCount(train);
  const labelTransforms = spec.tasks.map((task, k): LabelTransformState => {
    const labels = taskLabels(train, k);
    if (task.feature !== undefined && n > 0) {
      const first = labels[0] as number;
      if (labels.every((value) => value === first)) {
        throw new DataError(
          train.source,
          undefined,
          undefined,
          `task '${task.name}' takes its labels from feature ${task.feature}, which is constant (every value is ${first}) in this training split: a constant label carries no ranking signal (expected a column that varies; pick another feature)`,
        );
      }
    }
    const name = taskTransform(task);
    if (name === 'raw' || name === 'log1p') return { kind: name };
    const grades = Number(name.slice('quantile-grades:'.length));
    return { kind: 'quantile-grades', grades, thresholds: quantileThresholds(labels, grades) };
  });
  const featureIds = Array.from(train.featureIds);
  const log1pFeatureIds = spec.log1pFeatures.filter((id) => featureIds.includes(id));
  const transform: DataTransform = {
    version: 1,
    featureIds,
    taskNames: [...train.taskNames],
    normalize: spec.normalize,
    log1pFeatureIds,
    labelTransforms,
  };
  if (spec.normalize === 'zscore' || spec.normalize === 'log-zscore') {
    // Row-major passes with per-column accumulators: a column-at-a-time loop would stream the whole
    // matrix through the cache once per column.
    const f = train.featureCount;
    const features = train.features;
    const isLog1p = new Uint8Array(f);
    for (const id of log1pFeatureIds) isLog1p[featureIds.indexOf(id)] = 1;
    const modes = new Uint8Array(f);
    if (spec.normalize === 'log-zscore') {
      const min = new Float64Array(f).fill(Number.POSITIVE_INFINITY);
      const max = new Float64Array(f).fill(Number.NEGATIVE_INFINITY);
      for (let row = 0; row < n; row++) {
        const base = row * f;
        for (let j = 0; j < f; j++) {
          const x = prescale(features[base + j] as number, isLog1p[j] as number, 0);
          if (x < (min[j] as number)) min[j] = x;
          if (x > (max[j] as number)) max[j] = x;
        }
      }
      for (let j = 0; j < f; j++) modes[j] = (min[j] as number) >= 0 ? 1 : (max[j] as number) <= 0 ? 2 : 0;
      transform.columnLog = Array.from(modes, (mode) => COLUMN_LOG_MODES[mode] as ColumnLogMode);
    }
    const sum = new Float64Array(f);
    for (let row = 0; row < n; row++) {
      const base = row * f;
      for (let j = 0; j < f; j++)
        sum[j] =
          (sum[j] as number) +
          prescale(features[base + j] as number, isLog1p[j] as number, modes[j] as number);
    }
    const mean = Array.from(sum, (s) => (n > 0 ? s / n : 0));
    const squares = new Float64Array(f);
    for (let row = 0; row < n; row++) {
      const base = row * f;
      for (let j = 0; j < f; j++) {
        const d =
          prescale(features[base + j] as number, isLog1p[j] as number, modes[j] as number) -
          (mean[j] as number);
        squares[j] = (squares[j] as number) + d * d;
      }
    }
    transform.mean = mean;
    transform.std = Array.from(squares, (s) => (n > 0 ? Math.sqrt(s / n) : 0));
  }
  return transform;
}

/** Applies a fitted transform to a split, in place (an MSLR matrix is not copied), and returns it. */
export function applyDataTransform(split: RankingSplit, transform: DataTransform): RankingSplit {
  const ids = Array.from(split.featureIds);
  if (ids.length !== transform.featureIds.length || ids.some((id, j) => id !== transform.featureIds[j])) {
    throw new DataError(
      split.source,
      undefined,
      undefined,
      `input columns do not match the fitted transform: the split has features [${abbreviate(ids)}], expected [${abbreviate(transform.featureIds)}] (load every split with the same data spec)`,
    );
  }
  if (split.taskNames.join('\u0000') !== transform.taskNames.join('\u0000')) {
    throw new DataError(
      split.source,
      undefined,
      undefined,
      `tasks [${split.taskNames.join(', ')}] do not match the fitted transform's [${transform.taskNames.join(', ')}]`,
    );
  }
  transformFeatures(split, transform);
  transform.labelTransforms.forEach((state, k) => {
    const labels = taskLabels(split, k);
    for (let i = 0; i < labels.length; i++) labels[i] = transformLabel(labels[i] as number, state);
  });
  return split;
}

export function transformLabel(value: number, state: LabelTransformState): number {
  if (state.kind === 'raw') return value;
  if (state.kind === 'log1p') return signedLog1p(value);
  if (value <= 0) return 0;
  let grade = 1;
  for (const threshold of state.thresholds) if (value > threshold) grade++;
  return grade;
}

function transformFeatures(split: RankingSplit, transform: DataTransform): void {
  const f = split.featureCount;
  const n = documentCount(split);
  const features = split.features;
  for (const id of transform.log1pFeatureIds) {
    const j = transform.featureIds.indexOf(id);
    for (let at = j, row = 0; row < n; row++, at += f) features[at] = signedLog1p(features[at] as number);
  }
  const { normalize } = transform;
  if (normalize === 'zscore' || normalize === 'log-zscore') {
    const mean = Float64Array.from(transform.mean ?? []);
    const scale = Float64Array.from(transform.std ?? [], (sd) => 1 / (sd + STD_EPSILON));
    const modes = Uint8Array.from(transform.columnLog ?? new Array<ColumnLogMode>(f).fill('none'), (mode) =>
      COLUMN_LOG_MODES.indexOf(mode),
    );
    for (let row = 0; row < n; row++) {
      const base = row * f;
      for (let j = 0; j < f; j++) {
        features[base + j] =
          (prescale(features[base + j] as number, 0, modes[j] as number) - (mean[j] as number)) *
          (scale[j] as number);
      }
    }
  } else if (normalize === 'query-minmax' || normalize === 'query-zscore') {
    const offsets = split.queryOffsets;
    for (let q = 0; q < queryCount(split); q++) {
      const start = offsets[q] as number;
      const end = offsets[q + 1] as number;
      for (let j = 0; j < f; j++) {
        if (normalize === 'query-minmax') {
          let min = Number.POSITIVE_INFINITY;
          let max = Number.NEGATIVE_INFINITY;
          for (let row = start; row < end; row++) {
            const x = features[row * f + j] as number;
            if (x < min) min = x;
            if (x > max) max = x;
          }
          const range = max - min;
          for (let row = start; row < end; row++)
            features[row * f + j] = range > 0 ? ((features[row * f + j] as number) - min) / range : 0;
        } else {
          let sum = 0;
          for (let row = start; row < end; row++) sum += features[row * f + j] as number;
          const m = sum / (end - start);
          let squares = 0;
          for (let row = start; row < end; row++) squares += ((features[row * f + j] as number) - m) ** 2;
          const sd = Math.sqrt(squares / (end - start));
          for (let row = start; row < end; row++)
            features[row * f + j] = sd > 0 ? ((features[row * f + j] as number) - m) / sd : 0;
        }
      }
    }
  }
}

/** The column pre-scaling used by both fitting and applying (the same function, so they cannot drift). */
function prescale(x: number, log1p: number, mode: number): number {
  const v = log1p === 1 ? signedLog1p(x) : x;
  // A vali/test value below the train minimum could go under -0.01: clamp so the log stays finite.
  if (mode === 1) return Math.log(Math.max(v + LOG_SHIFT, 1e-12));
  if (mode === 2) return Math.log(Math.max(-v + LOG_SHIFT, 1e-12));
  return v;
}

const COLUMN_LOG_MODES: readonly ColumnLogMode[] = ['none', 'log', 'negated-log'];

export function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/**
 * Cut points splitting the positive values into grades-1 equally filled bins: the linearly interpolated
 * quantiles (numpy's default) at k/(grades-1), k = 1..grades-2.
 */
export function quantileThresholds(values: Float32Array, grades: number): number[] {
  let positives = 0;
  for (const v of values) if (v > 0) positives++;
  const sorted = new Float64Array(positives);
  let i = 0;
  for (const v of values) if (v > 0) sorted[i++] = v;
  sorted.sort();
  const thresholds: number[] = [];
  for (let k = 1; k <= grades - 2; k++)
    thresholds.push(positives === 0 ? 0 : interpolatedQuantile(sorted, k / (grades - 1)));
  return thresholds;
}

function interpolatedQuantile(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (position - low);
}

function abbreviate(ids: readonly number[]): string {
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')}, ... (${ids.length} ids)`;
}
