import { ConfigError } from '@mtl2r/core';

/** Whether an objective is minimised or maximised. */
export type ObjectiveSense = 'min' | 'max';
/** One sense for every objective, or one per objective. */
export type ObjectiveSenses = ObjectiveSense | readonly ObjectiveSense[];

/**
 * Checks that every point has the same number of finite coordinates and returns copies in minimisation
 * form (maximised objectives negated), so the Pareto and hypervolume code only handles minimisation.
 */
export function toMinimisation(
  points: readonly ArrayLike<number>[],
  senses: ObjectiveSenses,
  dimension: number,
  where = 'points',
): Float64Array[] {
  const signs = objectiveSigns(senses, dimension);
  return points.map((point, i) => toMinimisationPoint(point, signs, `${where}[${i}]`));
}

/** The sign that maps each objective to minimisation: +1 for `min`, -1 for `max`. */
export function objectiveSigns(senses: ObjectiveSenses, dimension: number): Float64Array {
  const list = typeof senses === 'string' ? new Array<ObjectiveSense>(dimension).fill(senses) : senses;
  if (list.length !== dimension) {
    throw new ConfigError('Objective senses do not match the points', [
      {
        path: 'sense',
        message: `got ${list.length} senses for ${dimension} objectives; expected one per objective`,
      },
    ]);
  }
  return Float64Array.from(list, (sense, i) => {
    if (sense !== 'min' && sense !== 'max') {
      throw new ConfigError('Bad objective sense', [
        { path: `sense[${i}]`, message: `got ${JSON.stringify(sense)}; expected "min" or "max"` },
      ]);
    }
    return sense === 'min' ? 1 : -1;
  });
}

/** One point's minimisation form; `where` names it in errors (e.g. `points[3]`). */
export function toMinimisationPoint(
  point: ArrayLike<number>,
  signs: Float64Array,
  where: string,
): Float64Array {
  if (point.length !== signs.length) {
    throw new ConfigError('Objective vectors differ in length', [
      { path: where, message: `has ${point.length} objectives; expected ${signs.length}` },
    ]);
  }
  const out = new Float64Array(point.length);
  for (let j = 0; j < point.length; j++) {
    const value = point[j] as number;
    if (!Number.isFinite(value)) {
      throw new ConfigError('Objective value is not a finite number', [
        { path: `${where}[${j}]`, message: `got ${value}` },
      ]);
    }
    out[j] = (signs[j] as number) * value;
  }
  return out;
}
