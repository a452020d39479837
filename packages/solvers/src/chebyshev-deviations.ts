import { ConfigError, UserError } from '@mtl2r/core';

/** The ideal point of a Chebyshev scalarization: the option as given (one number per task) or all zeros. */
export function chebyshevIdeal(
  ideal: readonly number[] | undefined,
  taskCount: number,
  strategyId: string,
): number[] {
  if (ideal === undefined) return new Array<number>(taskCount).fill(0);
  if (ideal.length !== taskCount) {
    throw new ConfigError(`strategy '${strategyId}'`, [
      {
        path: 'strategy.options.ideal',
        message: `expected ${taskCount} numbers (one per task), got ${ideal.length}`,
      },
    ]);
  }
  return ideal.slice();
}

export interface DeviationSettings {
  preference: readonly number[];
  ideal: readonly number[];
  /** Strategy id and method name for the error, e.g. `wc` and `weighted Chebyshev`. */
  strategyId: string;
  method: string;
  taskNames: readonly string[];
  step: number;
}

/**
 * The preference-weighted deviations r_i (L_i - z_i) from the ideal point that (smooth) weighted Chebyshev
 * scalarizations maximise over; a non-finite loss is refused with the task and step named.
 */
export function chebyshevDeviations(losses: ArrayLike<number>, settings: DeviationSettings): number[] {
  const { preference, ideal, strategyId, method, taskNames, step } = settings;
  return Array.from(preference, (r, i) => {
    const loss = losses[i] as number;
    if (!Number.isFinite(loss)) {
      throw new UserError(
        `${strategyId}: the loss of task '${taskNames[i]}' is ${loss} at step ${step}; ${method} needs finite losses`,
      );
    }
    return r * (loss - (ideal[i] as number));
  });
}
