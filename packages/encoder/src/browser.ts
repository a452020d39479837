/**
 * `@mtl2r/encoder/browser`: everything but the Node file I/O of save-load.ts (load a saved ranker in a
 * browser with `rankerFromArtifacts` on fetched or picked files).
 */
export {
  type ArtifactSources,
  MANIFEST_FILE,
  parseRankerManifest,
  RANKER_FORMAT,
  RANKER_FORMAT_VERSION,
  type RankerArtifacts,
  type RankerManifest,
  rankerFromArtifacts,
  rankerManifestSchema,
  rankerToArtifacts,
  WEIGHTS_FILE,
} from './artifacts.js';
export {
  type AttentionParameters,
  multiHeadSelfAttention,
  PADDED_KEY_BIAS,
  paddedKeyBias,
} from './attention.js';
export {
  type ConditioningKind,
  type ConditioningParameters,
  type ConditioningTensors,
  checkPreference,
  conditioningTensors,
  PREFERENCE_INPUT_WEIGHT,
} from './conditioning.js';
export {
  type LayerNormKind,
  type RankerConfig,
  type RankerConfigInput,
  rankerConfigSchema,
  resolveRankerConfig,
} from './config.js';
export { DropoutMasks } from './dropout.js';
export { linearBiasUniform, xavierUniform } from './init.js';
export { ALLRANK_LAYER_NORM_EPSILON, layerNorm, STANDARD_LAYER_NORM_EPSILON } from './layer-norm.js';
export { type LinearParameters, linear } from './linear.js';
export { pairModuleParameterCount } from './pair-module.js';
export {
  createRanker,
  type ForwardOptions,
  type NamedVariable,
  type PairModuleInfo,
  type ParameterOwner,
  Ranker,
  type TrunkOutput,
} from './ranker.js';
