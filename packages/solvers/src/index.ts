// Public API of @mtl2r/solvers (re-exports only, sorted by module).
// Tensor side (large P, G stays on the backend): gram-matrix, row-norms, cosine-matrix, scale-rows,
// combine-rows, flatten-gradients, unflatten. Small-K side (Float64Array numerics on the Gram matrix
// M = G G^T, row-major K*K): everything else.

// The Gram matrix of a [K, P] tensor lives in core (the trainer hands it to every strategy); re-exported.
export { gramMatrix, gramMatrixAsync } from '@mtl2r/core';
export { type AlignedMtlResult, alignedMtlWeights } from './aligned-mtl-weights.js';
export { type BoundedQPResult, solveBoundedQP } from './bounded-qp.js';
export { type CagradDeepmtl2rResult, cagradDeepmtl2rWeights } from './cagrad-deepmtl2r.js';
export {
  type CagradOptions,
  type CagradRescale,
  type CagradResult,
  cagradWeights,
} from './cagrad-weights.js';
export { chebyshevDeviations, chebyshevIdeal, type DeviationSettings } from './chebyshev-deviations.js';
export { type ClippedCombination, clippedCombination } from './clip-combination.js';
export { combineRows } from './combine-rows.js';
export { type ConfigResult, configWeights } from './config-weights.js';
export { cosineMatrix } from './cosine-matrix.js';
export { type EpoDeepMtl2rResult, epoDeepMtl2rWeights } from './epo-deepmtl2r-weights.js';
export { type EpoMode, type EpoOptions, type EpoResult, epoWeights } from './epo-weights.js';
export { type FairgradOptions, type FairgradResult, fairgradWeights } from './fairgrad-weights.js';
export { flattenGradients, type GradientSet, stackGradients } from './flatten-gradients.js';
export { type GramInput, gramSize } from './gram-input.js';
export { cosineFromGram, gramNorms } from './gram-statistics.js';
export { imtlProjection } from './imtl-projection.js';
export { imtlWeights } from './imtl-weights.js';
export { solveLinearSystem } from './linear-algebra.js';
export { type LogLossSpace, type LogLossSpaceOptions, logLossSpace } from './log-loss-space.js';
export {
  type MinNormDeepmtl2rOptions,
  type MinNormDeepmtl2rResult,
  minNormPointDeepmtl2r,
} from './min-norm-deepmtl2r.js';
export { type MinNormPairResult, minNormPair } from './min-norm-pair.js';
export {
  type MinNormMethod,
  type MinNormOptions,
  type MinNormResult,
  minNormPoint,
} from './min-norm-point.js';
export { type NashOptions, type NashResult, type NashStatus, nashWeights } from './nash-weights.js';
export { type PcgradOrders, pcgradProjections, pcgradWeights, randomPcgradOrders } from './pcgrad-weights.js';
export { projectToSimplex } from './project-to-simplex.js';
export { rowNorms } from './row-norms.js';
export { scaleRows } from './scale-rows.js';
export { type SdmgradOptions, type SdmgradResult, sdmgradWeights } from './sdmgrad-weights.js';

export {
  type SimplexLinearNormOptions,
  type SimplexLinearNormResult,
  solveSimplexLinearNorm,
} from './simplex-linear-norm.js';
export {
  type SimplexLPConstraints,
  type SimplexLPResult,
  type SimplexLPStatus,
  solveSimplexLP,
} from './simplex-lp.js';
export { type SimplexQPOptions, type SimplexQPResult, solveSimplexQP } from './simplex-qp.js';
export {
  numericalRank,
  pseudoInverseSymmetric,
  type SymmetricEigen,
  symmetricEigen,
} from './symmetric-eigen.js';
export { unflatten } from './unflatten.js';
export { type UpgradOptions, upgradWeights } from './upgrad-weights.js';
export { type WcMgdaOptions, type WcMgdaResult, wcMgdaWeights } from './wc-mgda-weights.js';
// Task-weight vectors for the scalarization and weighting strategies (wc, soft_wc, rlw, stl).
export { argmax, normaliseToSimplex, oneHot, softmax } from './weight-vectors.js';
