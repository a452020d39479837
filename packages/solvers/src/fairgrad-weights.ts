import { type GramInput, gramScale, multiplyGram, readGram } from './gram-input.js';
import { solveLinearSystem } from './linear-algebra.js';

export interface FairgradOptions {
  /** Stop when ||G w - w^(-1/alpha)|| <= tolerance * ||w^(-1/alpha)|| (default 1e-12). */
  tolerance?: number;
  maxIterations?: number;
}

export interface FairgradResult {
  weights: Float64Array;
  /** Relative residual ||G w - w^(-1/alpha)|| / ||w^(-1/alpha)|| at the returned weights. */
  residual: number;
  iterations: number;
  converged: boolean;
}

/**
 * FairGrad (Ban & Ji, ICML 2024): the weights w > 0 of alpha-fair utility maximisation, the root of
 * F(w) = G G^T w - w^(-1/alpha). F is strictly monotone (its Jacobian G G^T + diag(w^(-1/alpha-1) / alpha)
 * is symmetric positive definite), so the root is unique when it exists; damped Newton from w = 1/K (the
 * authors' start) with a backtracking line search on ||F|| that keeps w positive finds it to round-off.
 * A zero Gram matrix has no root (every gradient is zero): the weights are 1 and `converged` is false.
 */
export function fairgradWeights(
  gram: GramInput,
  alpha: number,
  options: FairgradOptions = {},
): FairgradResult {
  if (!(alpha > 0) || !Number.isFinite(alpha))
    throw new RangeError(`FairGrad alpha must be > 0, got ${alpha}`);
  const { gram: m, size } = readGram(gram);
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  if (gramScale(m, size) === 0) {
    return {
      weights: new Float64Array(size).fill(1),
      residual: Number.POSITIVE_INFINITY,
      iterations: 0,
      converged: false,
    };
  }
  const power = -1 / alpha;
  const residualOf = (w: Float64Array): { f: Float64Array; norm: number; relative: number } => {
    const gw = multiplyGram(m, size, w);
    let norm = 0;
    let target = 0;
    const f = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const utility = (w[i] as number) ** power;
      f[i] = (gw[i] as number) - utility;
      norm += (f[i] as number) ** 2;
      target += utility ** 2;
    }
    return { f, norm: Math.sqrt(norm), relative: Math.sqrt(norm / target) };
  };
  let w = new Float64Array(size).fill(1 / size);
  let current = residualOf(w);
  let iterations = 0;
  while (current.relative > tolerance && iterations < maxIterations) {
    iterations++;
    const jacobian = Float64Array.from(m);
    for (let i = 0; i < size; i++) {
      jacobian[i * size + i] = (jacobian[i * size + i] as number) + -power * (w[i] as number) ** (power - 1);
    }
    const direction = solveLinearSystem(
      jacobian,
      Float64Array.from(current.f, (v) => -v),
    );
    if (direction === null) break;
    // Largest step keeping every weight positive (fraction to the boundary), then backtrack on ||F||.
    let step = 1;
    for (let i = 0; i < size; i++) {
      const d = direction[i] as number;
      if (d < 0) step = Math.min(step, (-0.99 * (w[i] as number)) / d);
    }
    let accepted = false;
    for (let halving = 0; halving < 60; halving++) {
      const candidate = Float64Array.from(w, (value, i) => value + step * (direction[i] as number));
      const next = residualOf(candidate);
      if (next.norm <= (1 - 1e-4 * step) * current.norm) {
        w = candidate;
        current = next;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
  }
  return { weights: w, residual: current.relative, iterations, converged: current.relative <= tolerance };
}
