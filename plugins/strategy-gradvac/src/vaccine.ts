import type { Rng } from '@mtl2r/core';

const EPS = 1e-8;

/**
 * One GradVac pass over one parameter group, on the group's K x K Gram matrix M (row-major). Returns the
 * coefficients C (row-major K x K) of the vaccinated gradients pc_i = sum_k C_ik g_k and updates the cosine
 * targets `targets` (row-major K x K, EMA with decay beta) in place. `orders[i]` is the random order in which
 * task i visits the others (shared by every group, as in the paper's Algorithm 1).
 */
export function vaccinate(
  gram: Float64Array,
  size: number,
  targets: Float64Array,
  orders: readonly (readonly number[])[],
  beta: number,
): Float64Array {
  const c = new Float64Array(size * size);
  for (let i = 0; i < size; i++) c[i * size + i] = 1;
  const norm = (j: number) => Math.sqrt(Math.max(0, gram[j * size + j] as number));
  for (let i = 0; i < size; i++) {
    for (const j of orders[i] as readonly number[]) {
      // pc_i . g_j and ||pc_i|| from the coefficients
      let dot = 0;
      let squared = 0;
      for (let a = 0; a < size; a++) {
        const ca = c[i * size + a] as number;
        if (ca === 0) continue;
        dot += ca * (gram[a * size + j] as number);
        for (let b = 0; b < size; b++)
          squared += ca * (c[i * size + b] as number) * (gram[a * size + b] as number);
      }
      const pcNorm = Math.sqrt(Math.max(0, squared));
      const rho = dot / (pcNorm * norm(j) + EPS);
      const target = targets[i * size + j] as number;
      if (rho < target) {
        const w =
          (pcNorm *
            (target * Math.sqrt(Math.max(0, 1 - rho * rho)) -
              rho * Math.sqrt(Math.max(0, 1 - target * target)))) /
          (norm(j) * Math.sqrt(Math.max(0, 1 - target * target)) + EPS);
        c[i * size + j] = (c[i * size + j] as number) + w;
      }
      targets[i * size + j] = (1 - beta) * target + beta * rho;
    }
  }
  return c;
}

/** For each task, the other tasks in a random order from the strategy's stream. */
export function visitOrders(size: number, rng: Rng): number[][] {
  return Array.from({ length: size }, (_, i) =>
    rng.shuffle(Array.from({ length: size }, (_, j) => j).filter((j) => j !== i)),
  );
}
