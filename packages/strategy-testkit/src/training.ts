/** `@mtl2r/strategy-testkit/training`: a short real training run for a plugin's tests (needs the trainer). */
export {
  type LoggedRun,
  type LoggedStep,
  SHORT_RUN_TASKS,
  type ShortRunOptions,
  trainOnMq2008Subset,
} from './training-run.js';
