import { UserError } from '@mtl2r/core';

/**
 * Training produced a NaN or infinite loss or gradient. Nothing was updated and no checkpoint is written
 * for this step, so the previous checkpoint stays the one to resume from.
 */
export class NonFiniteError extends UserError {
  override name = 'NonFiniteError';
  readonly step: number;
  /** The task whose loss or gradient is not finite, when it can be told apart. */
  readonly task: string | undefined;

  constructor(what: 'loss' | 'gradient', step: number, task: string | undefined, value: number) {
    super(
      `non-finite ${what} at step ${step}${task === undefined ? '' : ` for task '${task}'`}: ${value}; training stopped before the update, no checkpoint was written for this step`,
      {
        hint:
          what === 'loss'
            ? 'lower optimizer.learningRate, set optimizer.clipNorm, check the labels of this task (data.spec.tasks[].transform), or pick a loss that cannot diverge'
            : 'set optimizer.clipNorm (e.g. 1), lower optimizer.learningRate, or normalise the features (data.spec.normalize)',
      },
    );
    this.step = step;
    this.task = task;
  }
}

/** Throws NonFiniteError for the first task whose loss is NaN or infinite. */
export function assertFiniteLosses(losses: Float32Array, step: number, taskNames: readonly string[]): void {
  losses.forEach((value, k) => {
    if (!Number.isFinite(value)) throw new NonFiniteError('loss', step, taskNames[k] ?? `#${k}`, value);
  });
}
