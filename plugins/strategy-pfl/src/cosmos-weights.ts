/**
 * The gradient in L of COSMOS's objective sum_i r_i L_i - lambda cos(r, L), which are the task weights:
 *   w = r - lambda (r / (|r| |L|) - (r . L) L / (|r| |L|^3)).
 * The cosine term pulls the loss vector towards the ray r, so the conditioned model spreads over the front
 * instead of collapsing to the extremes that a linear scalarization reaches. With |L| = 0 the cosine is
 * undefined and only the linear term remains.
 */
export function cosmosWeights(
  preference: readonly number[],
  losses: ArrayLike<number>,
  lambda: number,
): number[] {
  const k = preference.length;
  let rr = 0;
  let ll = 0;
  let rl = 0;
  for (let i = 0; i < k; i++) {
    const r = preference[i] as number;
    const l = losses[i] as number;
    rr += r * r;
    ll += l * l;
    rl += r * l;
  }
  const rNorm = Math.sqrt(rr);
  const lNorm = Math.sqrt(ll);
  if (lambda === 0 || lNorm === 0 || rNorm === 0) return [...preference];
  return preference.map((r, i) => {
    const l = losses[i] as number;
    const dCos = r / (rNorm * lNorm) - (rl * l) / (rNorm * lNorm ** 3);
    return r - lambda * dCos;
  });
}

/** cos(r, L), logged as a diagnostic (0 when either vector is zero). */
export function cosine(preference: readonly number[], losses: ArrayLike<number>): number {
  let rr = 0;
  let ll = 0;
  let rl = 0;
  preference.forEach((r, i) => {
    const l = losses[i] as number;
    rr += r * r;
    ll += l * l;
    rl += r * l;
  });
  return rr === 0 || ll === 0 ? 0 : rl / Math.sqrt(rr * ll);
}
