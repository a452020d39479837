import { UserError } from '@mtl2r/core';

/** What turned non-finite: a task loss, a gradient (the model's or a strategy variable's), or an update. */
export type NonFiniteQuantity = 'loss' | 'gradient' | 'update';

/**
 * Training produced a NaN or infinite loss, gradient or parameter. No checkpoint is written for this step,
 * so the previous checkpoint stays the one to resume from.
 */
export class NonFiniteError extends UserError {
  override name = 'NonFiniteError';
  readonly step: number;
  /** The task whose loss or gradient is not finite, when it can be told apart. */
  readonly task: string | undefined;

  /** `of` names what the quantity belongs to when it is not the model's (e.g. "strategy 'uw' variables"). */
  constructor(what: NonFiniteQuantity, step: number, task: string | undefined, value: number, of?: string) {
    const subject = `non-finite ${what}${of === undefined ? '' : ` of ${of}`}`;
    const stopped =
      what === 'update'
        ? 'training stopped, no checkpoint was written for this step'
        : 'training stopped before the update, no checkpoint was written for this step';
    super(
      `${subject} at step ${step}${task === undefined ? '' : ` for task '${task}'`}: ${value}; ${stopped}`,
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
