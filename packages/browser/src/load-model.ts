import { UserError } from '@mtl2r/core';
import type { DataSpec, DataTransform } from '@mtl2r/data/browser';
import { parseRankerManifest, type Ranker, rankerFromArtifacts } from '@mtl2r/encoder/browser';
import type { ModelFiles } from './model-files.js';

/** A trained model ready to score in the page: the ranker, its tasks, and the saved data transform. */
export interface BrowserModel {
  ranker: Ranker;
  taskNames: string[];
  transform: DataTransform;
  spec: DataSpec;
  /** Where it was loaded from (the manifest's path). */
  source: string;
  dispose(): void;
}

/**
 * Rebuilds a model saved by `mtl2r train` from its files, with WebCrypto's sha256 standing in for Node's
 * to check the weights against `model.json` (a flipped byte must not load as another model).
 */
export async function loadBrowserModel(files: ModelFiles): Promise<BrowserModel> {
  const manifest = parseRankerManifest(files.manifestText, files.manifestPath);
  if (manifest.weightsSha256 !== undefined) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', files.weights.slice().buffer));
    const actual = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (actual !== manifest.weightsSha256) {
      throw new UserError(
        `${files.weightsPath}: checksum mismatch (sha256 ${actual.slice(0, 12)}..., ${files.manifestPath} records ${manifest.weightsSha256.slice(0, 12)}...): the weights file is damaged or belongs to another model`,
      );
    }
  }
  const { ranker, extras } = rankerFromArtifacts(manifest, files.weights, {
    manifest: files.manifestPath,
    weights: files.weightsPath,
  });
  const meta = extras as { taskNames?: string[]; transform?: DataTransform; spec?: DataSpec } | null;
  if (meta?.transform === undefined || meta.spec === undefined || meta.taskNames === undefined) {
    ranker.dispose();
    throw new UserError(
      `${files.manifestPath}: this model was not saved by mtl2r train (no data transform in model.json extras)`,
    );
  }
  return {
    ranker,
    taskNames: meta.taskNames,
    transform: meta.transform,
    spec: meta.spec,
    source: files.manifestPath,
    dispose: () => ranker.dispose(),
  };
}
