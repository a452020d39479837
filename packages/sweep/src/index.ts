export type { ExecutorEvents, SweepExecutor } from './executor.js';
export {
  BASELINE_STRATEGY,
  EPSILON_STRATEGY,
  type ExpandOptions,
  expandGrid,
  type StrategyCatalog,
} from './expand-grid.js';
export { type ChildMessage, type RunMessage, serveJobs } from './job-child.js';
export { LocalExecutor } from './local-executor.js';
export {
  deepMtl2rRows,
  dirichletRows,
  type PreferenceGenerator,
  preferenceRows,
  simplexLatticeRows,
} from './preference-rows.js';
export { ProcessPool, type ProcessPoolOptions, RunFailedError } from './process-pool.js';
export { QueueExecutor, type QueueExecutorOptions } from './queue-executor.js';
export {
  DEFAULT_QUEUE_NAME,
  incompatibility,
  type QueuedRun,
  type WorkerCapabilities,
} from './queue-protocol.js';
export { type QueueWorker, type QueueWorkerOptions, startQueueWorker } from './queue-worker.js';
export { assertRedisReachable, parseQueueUrl } from './redis-connection.js';
export { type FailureLine, JsonLinesIndex, type ResultLine } from './results-file.js';
export { canonicalJson, runId } from './run-id.js';
export {
  executeSweep,
  FAILED_RUNS_EXIT_CODE,
  type PlannedSweep,
  planSweep,
  type SweepOutcome,
  SweepRunsFailed,
} from './run-sweep.js';
export { RUN_LOG, type RunRequest, runTrainingJob } from './run-training-job.js';
export { starterSweepYaml } from './starter-sweep.js';
export {
  formatSummary,
  HYPERVOLUME_REFERENCE,
  type MethodSummary,
  runDeltaM,
  type SweepSummary,
  splitResults,
  summariseSweep,
} from './summarise.js';
export {
  type LoadedSweepFile,
  loadSweepFile,
  parseSweepFile,
  type SweepFile,
  sweepFileSchema,
} from './sweep-file.js';
export type { RunCoordinates, RunSummary, SweepJob, TaskMetrics } from './sweep-job.js';
export { type SweepCounts, SweepProgress, type SweepProgressOptions } from './sweep-progress.js';
