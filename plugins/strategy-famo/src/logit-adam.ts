import { type Json, UserError } from '@mtl2r/core';

export interface LogitAdamSettings {
  learningRate: number;
  /** L2 penalty added to the gradient (torch.optim.Adam's `weight_decay`, not decoupled). */
  weightDecay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Adam on FAMO's K logits, in float64, exactly as torch.optim.Adam (weight decay added to the gradient,
 * bias-corrected moments, epsilon outside the square root). A K-vector: no tensors, trivially checkpointed.
 */
export class LogitAdam {
  readonly logits: Float64Array;
  private readonly first: Float64Array;
  private readonly second: Float64Array;
  private steps = 0;

  constructor(
    size: number,
    private readonly settings: LogitAdamSettings,
  ) {
    this.logits = new Float64Array(size);
    this.first = new Float64Array(size);
    this.second = new Float64Array(size);
  }

  /** One step against `gradient` (the logits move to lower values of the objective). */
  step(gradient: ArrayLike<number>): void {
    const { learningRate, weightDecay, beta1, beta2, epsilon } = this.settings;
    this.steps++;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2 = 1 - beta2 ** this.steps;
    for (let i = 0; i < this.logits.length; i++) {
      const g = (gradient[i] as number) + weightDecay * (this.logits[i] as number);
      this.first[i] = beta1 * (this.first[i] as number) + (1 - beta1) * g;
      this.second[i] = beta2 * (this.second[i] as number) + (1 - beta2) * g * g;
      const denominator = Math.sqrt((this.second[i] as number) / correction2) + epsilon;
      this.logits[i] =
        (this.logits[i] as number) - (learningRate * (this.first[i] as number)) / correction1 / denominator;
    }
  }

  state(): Json {
    return {
      logits: Array.from(this.logits),
      first: Array.from(this.first),
      second: Array.from(this.second),
      steps: this.steps,
    };
  }

  loadState(state: Json, owner: string): void {
    const saved = state as { logits?: unknown; first?: unknown; second?: unknown; steps?: unknown } | null;
    const size = this.logits.length;
    const vector = (value: unknown) =>
      Array.isArray(value) &&
      value.length === size &&
      value.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (
      saved === null ||
      !vector(saved.logits) ||
      !vector(saved.first) ||
      !vector(saved.second) ||
      !Number.isInteger(saved.steps) ||
      (saved.steps as number) < 0
    ) {
      throw new UserError(
        `${owner}: cannot resume from saved state ${JSON.stringify(state)}: expected { logits, first, second: ${size} finite numbers each; steps: an integer >= 0 }`,
      );
    }
    this.logits.set(saved.logits as number[]);
    this.first.set(saved.first as number[]);
    this.second.set(saved.second as number[]);
    this.steps = saved.steps as number;
  }
}
