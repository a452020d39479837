export {
  type DataSpec,
  type DataSpecInput,
  dataSpecSchema,
  type LabelTransformName,
  mq2008Spec,
  mslrWeb30kSpec,
  type NormalizeMode,
  normalizeModes,
  parseDataSpec,
  type TaskSpec,
  taskSpecSchema,
  taskTransform,
} from './data-spec.js';
export {
  applyDataTransform,
  type ColumnLogMode,
  type DataTransform,
  fitDataTransform,
  type LabelTransformState,
  LOG_SHIFT,
  quantileThresholds,
  STD_EPSILON,
  signedLog1p,
  transformLabel,
} from './data-transform.js';
export { type InspectOptions, type InspectReport, inspectSvmlight } from './inspect-svmlight.js';
export { type LoadedSplits, type LoadSplitOptions, loadSplit, loadSplits } from './load-split.js';
export {
  assertTaskColumnsPresent,
  describeMissingFeatures,
  type MissingColumns,
  missingColumns,
} from './missing-columns.js';
export { documentCount, queryCount, type RankingSplit, taskLabels } from './ranking-split.js';
export {
  type ReadProgress,
  type ReadSvmlightOptions,
  type ReadSvmlightResult,
  readSvmlight,
} from './read-svmlight.js';
export { shapeSplit } from './shape-split.js';
export {
  buildSlateBatch,
  type EvaluationBatchOptions,
  evaluationBatches,
  type SlateBatch,
} from './slate-batch.js';
export {
  type CacheMiss,
  cacheFilePath,
  defaultCacheDir,
  readSplitCache,
  type SourceFingerprint,
  specCacheKey,
  writeSplitCache,
} from './split-cache.js';
export { type SvmlightParseOptions, SvmlightParser, type SvmlightTable } from './svmlight-parser.js';
export { type SynthMslrOptions, type SynthMslrResult, writeSynthMslr } from './synth-mslr.js';
export { type BatcherPosition, TrainingBatcher, type TrainingBatcherOptions } from './training-batcher.js';
