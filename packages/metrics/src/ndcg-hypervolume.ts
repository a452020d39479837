import { hypervolume } from './hypervolume.js';

/**
 * The spec's hypervolume of a front of runs: each run is its per-task NDCG vector, measured in
 * (1 - NDCG) space (minimised) with the reference point (1, ..., 1) unless another is given (also in
 * 1 - NDCG units). Equals the hypervolume of the NDCG vectors, maximised, with reference 1 - reference.
 */
export function ndcgHypervolume(
  ndcgPerRun: readonly ArrayLike<number>[],
  reference?: ArrayLike<number>,
): number {
  if (ndcgPerRun.length === 0 && reference === undefined) return 0;
  const dimension = reference?.length ?? ndcgPerRun[0]?.length ?? 0;
  const lossReference = reference ?? new Array<number>(dimension).fill(1);
  const losses = ndcgPerRun.map((run) => Array.from(run, (value) => 1 - value));
  return hypervolume(losses, lossReference, { sense: 'min' });
}
