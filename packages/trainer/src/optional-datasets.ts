import { ConfigError } from '@mtl2r/core';
import type { BundledDataset, BundledDatasetName } from '@mtl2r/datasets';

type DatasetsModule = typeof import('@mtl2r/datasets');

/**
 * @mtl2r/datasets (2.4 MB of gzipped LETOR files) is an optional peer: a trainer that reads the user's own
 * files never needs it. Loaded once here; undefined when it is not installed.
 */
const datasets: DatasetsModule | undefined = await import('@mtl2r/datasets').catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : '';
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes('@mtl2r/datasets'))
    return undefined;
  throw error;
});

/** True when @mtl2r/datasets is installed. */
export const bundledDatasetsInstalled = datasets !== undefined;

/** A bundled dataset's files; a ConfigError at `path` saying what to install when the package is missing. */
export function requireBundledDataset(name: BundledDatasetName, path = 'data.dataset'): BundledDataset {
  if (datasets === undefined) {
    throw new ConfigError(
      'bundled data is not installed',
      [{ path, message: `'${name}' comes from @mtl2r/datasets, which is not installed` }],
      { hint: 'pnpm add @mtl2r/datasets (or give data.train / data.vali / data.test files instead)' },
    );
  }
  return datasets.bundledDataset(name);
}
