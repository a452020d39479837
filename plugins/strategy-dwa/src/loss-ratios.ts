/**
 * w_i = newer_i / older_i, the relative descending rate of each task's loss. DWA assumes positive losses:
 * a ratio involving a loss <= 0 (or a non-finite one) carries no rate information and counts as 1.
 */
export function lossRatios(newer: readonly number[], older: readonly number[]): number[] {
  return newer.map((value, i) => {
    const previous = older[i] as number;
    const ratio = value / previous;
    return value > 0 && previous > 0 && Number.isFinite(ratio) ? ratio : 1;
  });
}

/** Mean of each column of a list of K-vectors. */
export function columnMeans(rows: readonly (readonly number[])[]): number[] {
  const sums = new Array<number>((rows[0] as readonly number[]).length).fill(0);
  for (const row of rows) {
    row.forEach((v, i) => {
      sums[i] = (sums[i] as number) + v;
    });
  }
  return sums.map((s) => s / rows.length);
}
