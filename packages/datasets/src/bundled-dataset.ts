import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '@mtl2r/core';

export type BundledDatasetName = 'mq2008' | 'lightgbm-rank';

/** Absolute paths of a bundled dataset's gzipped LETOR files, with what a data spec needs to know. */
export interface BundledDataset {
  name: BundledDatasetName;
  train: string;
  vali: string;
  test: string;
  /** The file's feature count (largest 1-based id). */
  featureCount: number;
  /** Smallest and largest graded label. */
  labels: [number, number];
  /** The README with origin and licence. */
  readme: string;
}

const DESCRIPTIONS: Record<
  BundledDatasetName,
  { featureCount: number; labels: [number, number]; valiIsTest: boolean }
> = {
  mq2008: { featureCount: 46, labels: [0, 2], valiIsTest: false },
  // LightGBM's sample has no validation split: vali is the test file (see the README).
  'lightgbm-rank': { featureCount: 300, labels: [0, 4], valiIsTest: true },
};

export const bundledDatasetNames = Object.keys(DESCRIPTIONS) as BundledDatasetName[];

/**
 * The data folder sits beside src/ and dist/ alike, so one relative URL works from the sources
 * (tests, tsx) and from the built package.
 */
function dataPath(relative: string): string {
  return fileURLToPath(new URL(`../data/${relative}`, import.meta.url));
}

export function bundledDataset(name: BundledDatasetName): BundledDataset {
  const description = DESCRIPTIONS[name];
  if (description === undefined) {
    throw new UserError(
      `unknown bundled dataset '${String(name)}': expected one of ${bundledDatasetNames.join(', ')}`,
    );
  }
  const test = dataPath(`${name}/test.txt.gz`);
  const dataset: BundledDataset = {
    name,
    train: dataPath(`${name}/train.txt.gz`),
    vali: description.valiIsTest ? test : dataPath(`${name}/vali.txt.gz`),
    test,
    featureCount: description.featureCount,
    labels: description.labels,
    readme: dataPath('README.md'),
  };
  for (const file of [dataset.train, dataset.vali, dataset.test]) {
    if (!existsSync(file))
      throw new UserError(`bundled dataset file ${file} is missing: reinstall @mtl2r/datasets`);
  }
  return dataset;
}
