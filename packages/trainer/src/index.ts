export { type SubsetFiles, writeBundledSubset } from './bundled-subset.js';
export {
  type CheckpointContents,
  type LoadedCheckpoint,
  NoCheckpointError,
  type ReadCheckpointOptions,
  readCheckpoint,
  type TrainerProgress,
  writeCheckpoint,
} from './checkpoint.js';
export {
  type LossSpec,
  type MetricConfigEntry,
  type OptimizerConfig,
  parseTrainConfig,
  type ScheduleConfig,
  type TrainConfig,
  type TrainConfigInput,
  trainConfigSchema,
} from './config.js';
export { applyOverrides, parseConfigText, readConfigFile } from './config-file.js';
export { trainConfigJsonSchema } from './config-json-schema.js';
export { balancedPreference, evaluateSplit, scoreSplit, type TaskEvaluation } from './evaluate.js';
export {
  ARCHITECTURE_FILE,
  formatGrownArchitecture,
  type GrownArchitecture,
  grownArchitecture,
  writeGrownArchitecture,
} from './grown-architecture.js';
export { learningRateAt } from './learning-rate.js';
export {
  loadRunMetrics,
  metricEntryName,
  metricHigherIsBetter,
  metricNames,
  metricRegistryFor,
  type RunMetrics,
  runMetricsFor,
} from './metric-plugins.js';
export { sliceLists, splitIntoMicroBatches } from './micro-batches.js';
export { assertFiniteLosses, NonFiniteError, type NonFiniteQuantity } from './non-finite-error.js';
export { Optimizer, type OptimizerState, type ParameterUpdate } from './optimizer.js';
export {
  describeModel,
  evaluateFile,
  type ListScores,
  type LoadForModelOptions,
  loadSplitForModel,
  loadTrainedModel,
  type PreferenceOption,
  predict,
  predictFile,
  type TrainedModel,
} from './predict.js';
export {
  type CheckedSetup,
  checkTrainConfig,
  loadTrainingData,
  type ResolvedDataFiles,
  resolveConfig,
} from './prepare.js';
export { formatEvaluation, type ProgressOptions, progressReporter } from './progress.js';
export { createRunDirectory, type RunInfo, type RunPaths, readRunConfig, runPaths } from './run-directory.js';
export { acquireRunLock, RUN_LOCK_FILE, type RunLock, type RunLockHolder } from './run-lock.js';
export {
  type LoggedRun,
  type LoggedStep,
  SHORT_RUN_TASKS,
  type ShortRunOptions,
  trainOnMq2008Subset,
} from './short-run.js';
export { starterConfigYaml } from './starter-config.js';
export {
  batchLosses,
  computeStepGradients,
  type MicroBatch,
  type StepGradients,
  type StepModel,
} from './step-gradients.js';
export {
  type BatchTensors,
  disposeBatchTensors,
  taskLossesFromScores,
  taskScores,
  toBatchTensors,
  trainingLosses,
} from './task-losses.js';
export { type TrainingEvent, type TrainOptions, type TrainResult, train } from './trainer.js';
