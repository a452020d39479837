import { ConfigError, Rng } from '@mtl2r/core';

/** How the preference rows of a sweep are made (the `grid.preferences` key of a sweep file). */
export type PreferenceGenerator =
  | { generator: 'deepmtl2r' }
  | { generator: 'lattice'; divisions: number }
  | { generator: 'dirichlet'; count: number; seed: number; alpha: number }
  | { generator: 'list'; rows: number[][] };

/** DeepMTL2R's two-task rows [x, 1 - x] for x = 0.001 + 0.11 k, k = 0..9 (spec §5). */
export function deepMtl2rRows(): number[][] {
  return Array.from({ length: 10 }, (_, k) => {
    const x = round(0.001 + 0.11 * k);
    return [x, round(1 - x)];
  });
}

/**
 * The simplex lattice: every vector of `taskCount` non-negative multiples of 1/divisions that sums to 1,
 * in lexicographic order of the first entries, largest first. C(divisions + K - 1, K - 1) rows.
 */
export function simplexLatticeRows(taskCount: number, divisions: number): number[][] {
  const rows: number[][] = [];
  const visit = (prefix: number[], remaining: number) => {
    if (prefix.length === taskCount - 1) {
      rows.push([...prefix, remaining].map((units) => round(units / divisions)));
      return;
    }
    for (let units = remaining; units >= 0; units--) visit([...prefix, units], remaining - units);
  };
  visit([], divisions);
  return rows;
}

/**
 * `count` rows drawn from a symmetric Dirichlet(alpha) with the core's seeded Rng: the same seed gives the
 * same rows on every machine. Gamma draws by Marsaglia-Tsang (boosted for alpha < 1).
 */
export function dirichletRows(taskCount: number, count: number, seed: number, alpha: number): number[][] {
  const rng = new Rng(seed).derive('sweep:dirichlet');
  return Array.from({ length: count }, () => {
    const draws = Array.from({ length: taskCount }, () => gamma(rng, alpha));
    const sum = draws.reduce((a, b) => a + b, 0);
    return draws.map((value) => round(value / sum));
  });
}

/** The rows a generator makes for `taskCount` tasks; errors name `path` (the key in the sweep file). */
export function preferenceRows(spec: PreferenceGenerator, taskCount: number, path: string): number[][] {
  switch (spec.generator) {
    case 'deepmtl2r':
      if (taskCount !== 2) {
        throw new ConfigError('bad sweep file', [
          {
            path: `${path}.generator`,
            message: `deepmtl2r rows are for two tasks, the base config has ${taskCount}; use lattice or dirichlet`,
          },
        ]);
      }
      return deepMtl2rRows();
    case 'lattice':
      return simplexLatticeRows(taskCount, spec.divisions);
    case 'dirichlet':
      return dirichletRows(taskCount, spec.count, spec.seed, spec.alpha);
    case 'list':
      spec.rows.forEach((row, i) => {
        if (row.length !== taskCount) {
          throw new ConfigError('bad sweep file', [
            {
              path: `${path}.rows[${i}]`,
              message: `has ${row.length} entries; expected ${taskCount}, one per task of the base config`,
            },
          ]);
        }
      });
      return spec.rows.map((row) => row.slice());
  }
}

/** Rows are written to configs and hashed: round away float noise (0.1 + 0.2) so ids are stable. */
function round(value: number): number {
  return Number(value.toFixed(10));
}

function gamma(rng: Rng, alpha: number): number {
  if (alpha < 1) return gamma(rng, alpha + 1) * rng.float() ** (1 / alpha);
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.float();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
