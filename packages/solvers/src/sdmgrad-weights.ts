import { type GramInput, multiplyGram, readGram, readVector } from './gram-input.js';
import { projectToSimplex } from './project-to-simplex.js';

export interface SdmgradOptions {
  /** Projected gradient steps on w per call; default 20 (the reference). */
  steps?: number;
  /** Step size on the normalised Gram matrix; default 10 (the reference). */
  learningRate?: number;
  /** Heavy-ball momentum within a call; default 0.5 (the reference's SGD). 0 gives plain projected gradient. */
  momentum?: number;
  /** The Gram matrix is divided by (mean_i sqrt(||g_i||^2 + normEpsilon))^2; default 1e-4 (the reference). */
  normEpsilon?: number;
  /** Warm start: the previous step's simplex weights (the reference keeps w across steps); default uniform. */
  init?: ArrayLike<number>;
}

export interface SdmgradResult {
  /** Coefficients on the original gradients: d = (g_w + lambda g0) / (1 + lambda) = sum_i weights_i g_i. */
  weights: Float64Array;
  /** w on the simplex after the steps; pass it back as `init` next step. */
  simplexWeights: Float64Array;
}

/**
 * SDMGrad (Xiao, Ban, Ji 2023, "Direction-oriented Multi-objective Learning: Simple and Provable Stochastic
 * Algorithms"): simplex weights w approximately minimising ||G^T w + lambda g0||^2 (g0 the mean gradient), the
 * dual of finding the direction closest to lambda-scaled g0 that improves every task, by a fixed number of
 * projected gradient steps from a warm start; then d = (G^T w + lambda g0) / (1 + lambda).
 * The steps follow the gradient of half that objective, M (w + lambda/K 1) with the normalised Gram matrix
 * M, as the paper's Algorithm 1 and both reference implementations do (the step size assumes it).
 * Degenerate inputs (zero, identical, opposite gradients) only change M; the steps stay finite.
 */
export function sdmgradWeights(gram: GramInput, lambda = 0.6, options: SdmgradOptions = {}): SdmgradResult {
  const { gram: matrix, size } = readGram(gram, 'sdmgrad: Gram matrix');
  if (!Number.isFinite(lambda) || lambda < 0)
    throw new RangeError(`sdmgrad: lambda must be a finite number >= 0, got ${lambda}`);
  const steps = options.steps ?? 20;
  const learningRate = options.learningRate ?? 10;
  const momentum = options.momentum ?? 0.5;
  const normEpsilon = options.normEpsilon ?? 1e-4;
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`sdmgrad: steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(learningRate) || learningRate <= 0)
    throw new RangeError(`sdmgrad: learningRate must be > 0, got ${learningRate}`);
  if (!Number.isFinite(momentum) || momentum < 0 || momentum >= 1)
    throw new RangeError(`sdmgrad: momentum must be in [0, 1), got ${momentum}`);
  if (!Number.isFinite(normEpsilon) || normEpsilon < 0)
    throw new RangeError(`sdmgrad: normEpsilon must be >= 0, got ${normEpsilon}`);

  // Normalising by the mean gradient norm makes the step size independent of the loss scale.
  let meanNorm = 0;
  for (let i = 0; i < size; i++) meanNorm += Math.sqrt((matrix[i * size + i] as number) + normEpsilon) / size;
  const normaliser = meanNorm > 0 ? 1 / (meanNorm * meanNorm) : 0;

  let w =
    options.init === undefined
      ? new Float64Array(size).fill(1 / size)
      : projectToSimplex(readVector(options.init, size, 'sdmgrad: init'));
  const velocity = new Float64Array(size);
  for (let step = 0; step < steps; step++) {
    const shifted = new Float64Array(size);
    for (let i = 0; i < size; i++) shifted[i] = (w[i] as number) + lambda / size;
    const product = multiplyGram(matrix, size, shifted);
    const next = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const gradient = normaliser * (product[i] as number);
      velocity[i] = step === 0 ? gradient : momentum * (velocity[i] as number) + gradient;
      next[i] = (w[i] as number) - learningRate * (velocity[i] as number);
    }
    w = projectToSimplex(next);
  }
  const weights = new Float64Array(size);
  for (let i = 0; i < size; i++) weights[i] = ((w[i] as number) + lambda / size) / (1 + lambda);
  return { weights, simplexWeights: w };
}
