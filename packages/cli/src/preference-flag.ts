import { UserError } from '@mtl2r/core';
import { checkPreference } from '@mtl2r/encoder';
import type { TrainedModel } from '@mtl2r/trainer';

/**
 * The `--preference r1,r2,...` of predict/eval, checked against the model: a conditioned model needs one,
 * an unconditioned one refuses one (its scores cannot move). Returned normalised to sum 1.
 */
export function preferenceForModel(flag: string | undefined, model: TrainedModel): number[] | undefined {
  const { ranker, taskNames } = model;
  if (!ranker.conditioned) {
    if (flag === undefined) return undefined;
    throw new UserError(
      `--preference: ${model.dir} is not conditioned on a preference (trained without model.conditioning), so its scores are the same at every preference`,
      {
        hint: 'omit --preference, or train one model for every trade-off with model.conditioning: input and strategy pfl',
      },
    );
  }
  if (flag === undefined) {
    throw new UserError(
      `${model.dir} is conditioned on a preference (trained with model.conditioning): it needs --preference with ${taskNames.length} numbers, one per task (${taskNames.join(', ')})`,
      { hint: `e.g. --preference ${taskNames.map(() => (1 / taskNames.length).toFixed(2)).join(',')}` },
    );
  }
  const values = flag.split(',').map((part, i) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value)) {
      throw new UserError(`--preference: entry ${i + 1} is '${part}'; expected a number (e.g. 0.3,0.7)`);
    }
    return value;
  });
  return checkPreference(values, ranker.config, '--preference');
}
