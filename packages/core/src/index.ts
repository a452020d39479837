export { type CombineInputParts, createCombineInput } from './combine-input.js';
export {
  type CheckedCombineOutput,
  type CombineOutputExpectation,
  validateCombineOutput,
} from './combine-output.js';
export {
  type AfterUpdateInput,
  CONTRACT_VERSION,
  type CombineInput,
  type CombineOutput,
  type ContractVersion,
  declaredGradientSpaces,
  defineStrategy,
  type EpochSummary,
  type GradientSpace,
  type GrowableModel,
  type Json,
  type ParameterEntry,
  type ParameterLayout,
  type Strategy,
  type StrategyContext,
  type StrategyFamily,
  type StrategyNeeds,
  type StrategyPlugin,
} from './contract.js';
export { sampleDirichlet, sampleGamma } from './dirichlet.js';
export {
  DROPOUT_KERNEL,
  DROPOUT_LEVELS,
  type DropoutStream,
  dropoutStream,
  fillDropoutMask,
} from './dropout-stream.js';
export {
  ConfigError,
  type ConfigIssue,
  DataError,
  InternalError,
  isUserError,
  Mtl2rError,
  PluginError,
  UserError,
} from './errors.js';
export { decodeFloat32, encodeFloat32 } from './float-state.js';
export { gramMatrix, gramMatrixAsync } from './gram-matrix.js';
export { MemoryMetricsSink, type MetricRecord, type MetricsSink, nullMetricsSink } from './metrics-sink.js';
export { formatPath, toConfigIssue, validateWithSchema } from './options.js';
export { preferenceWeights } from './preference-weights.js';
export {
  assertStrategyPlugin,
  type CreateStrategyOptions,
  createStrategy,
  normalisePreference,
  packageNameForStrategy,
  Registry,
} from './registry.js';
export { requireGradients, requireGram } from './require-gradients.js';
export { Rng, type RngState, rngFromSavedWords } from './rng.js';
export { describeStrategy, strategyOrigin } from './strategy-origin.js';
export { CORE_VERSION } from './version.js';
