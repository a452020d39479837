import type { OptimizerConfig } from './config.js';

/**
 * The learning rate of a step: the schedule's value for the epoch, times a linear warm-up over the first
 * `warmupSteps` steps. `epochs` is the run's total, for the cosine schedule.
 */
export function learningRateAt(config: OptimizerConfig, step: number, epoch: number, epochs: number): number {
  const { learningRate: base, schedule } = config;
  let rate = base;
  switch (schedule.kind) {
    case 'constant':
      break;
    case 'step':
      rate = base * schedule.gamma ** Math.floor(epoch / schedule.stepEpochs);
      break;
    case 'exponential':
      rate = base * schedule.gamma ** epoch;
      break;
    case 'cosine': {
      const progress = epochs <= 1 ? 0 : Math.min(1, epoch / (epochs - 1));
      rate =
        schedule.minLearningRate +
        0.5 * (base - schedule.minLearningRate) * (1 + Math.cos(Math.PI * progress));
      break;
    }
  }
  if (schedule.warmupSteps > 0 && step < schedule.warmupSteps) rate *= (step + 1) / schedule.warmupSteps;
  return rate;
}
