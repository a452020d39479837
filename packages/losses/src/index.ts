export {
  type ApproxNDCGOptions,
  approxNDCGLoss,
  approxNDCGOptionsSchema,
  approxNDCGValue,
} from './approx-ndcg.js';
export {
  type BinaryListNetOptions,
  binaryListNetLoss,
  binaryListNetOptionsSchema,
  binaryListNetValue,
} from './binary-list-net.js';
export {
  LAMBDA_LOSS_WEIGHTINGS,
  type LambdaLossOptions,
  type LambdaLossWeighting,
  lambdaLoss,
  lambdaLossOptionsSchema,
  lambdaLossValue,
} from './lambda-loss.js';
export {
  type ListMLEOptions,
  listMLELoss,
  listMLEOptionsSchema,
  listMLEValue,
  tieBreakNoise,
} from './list-mle.js';
export { type ListNetOptions, listNetLoss, listNetOptionsSchema, listNetValue } from './list-net.js';
export { assertLossPlugin, defineLoss, LOSS_CONTRACT_VERSION, type LossPlugin } from './loss-plugin.js';
export {
  builtinLossPlugins,
  LossRegistry,
  type LossRegistryCreateSettings,
} from './loss-registry.js';
export type { PairReduction } from './masking.js';
export {
  type NeuralNDCGOptions,
  neuralNDCGLoss,
  neuralNDCGOptionsSchema,
  neuralNDCGValue,
} from './neural-ndcg.js';
export {
  type NeuralNDCGTransposedOptions,
  neuralNDCGTransposedLoss,
  neuralNDCGTransposedOptionsSchema,
  neuralNDCGTransposedValue,
} from './neural-ndcg-transposed.js';
export { type SinkhornSettings, sortingRelaxation } from './neural-sort.js';
export { type OrdinalOptions, ordinalLoss, ordinalOptionsSchema, ordinalValue } from './ordinal.js';
export {
  type PointwiseBCEOptions,
  pointwiseBCELoss,
  pointwiseBCEOptionsSchema,
  pointwiseBCEValue,
} from './pointwise-bce.js';
export {
  type PointwiseRMSEOptions,
  pointwiseRMSELoss,
  pointwiseRMSEOptionsSchema,
  pointwiseRMSEValue,
} from './pointwise-rmse.js';
export { type RankNetOptions, rankNetLoss, rankNetOptionsSchema, rankNetValue } from './rank-net.js';
export type {
  LossComputeContext,
  LossCreationSettings,
  LossDefinition,
  LossScores,
  RankingLoss,
} from './ranking-loss.js';
export {
  type CreateLossSettings,
  createLoss,
  isLossName,
  type LossName,
  type LossOptions,
  type LossOptionsInput,
  lossNames,
  lossOptionsSchema,
} from './registry.js';
