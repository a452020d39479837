import { UserError } from '@mtl2r/core';

/** A file picked in the page (or fetched): its path inside the chosen folder and its bytes. */
export interface PickedFile {
  /** `webkitRelativePath` or the plain name, e.g. `run/checkpoints/best/model/model.json`. */
  path: string;
  bytes: Uint8Array;
}

export interface ModelFiles {
  manifestText: string;
  weights: Uint8Array;
  /** Paths for error messages. */
  manifestPath: string;
  weightsPath: string;
}

/**
 * Finds a saved model among the files of a picked folder, the way `mtl2r predict` finds one in a directory:
 * a model folder itself, a checkpoint (`model/`), or a run directory (`checkpoints/best/model`, else
 * `checkpoints/last/model`). The weights file is the one beside the chosen `model.json`.
 */
export function selectModelFiles(files: readonly PickedFile[], which: 'best' | 'last' = 'best'): ModelFiles {
  const manifests = files.filter((f) => baseName(f.path) === 'model.json');
  if (manifests.length === 0) {
    throw new UserError(
      `no trained model among the ${files.length} file(s) picked: expected a run directory (checkpoints/${which}/model), a checkpoint or a model directory with model.json and weights.bin`,
    );
  }
  const rank = (path: string): number => {
    if (path.includes(`checkpoints/${which}/model/`)) return 0;
    if (path.includes('checkpoints/best/model/')) return 1;
    if (path.includes('checkpoints/last/model/')) return 2;
    if (path.includes('.previous/')) return 4;
    return 3;
  };
  const manifest = [...manifests].sort((a, b) => rank(a.path) - rank(b.path))[0] as PickedFile;
  const folder = manifest.path.slice(0, manifest.path.length - 'model.json'.length);
  const weightsPath = `${folder}weights.bin`;
  const weights = files.find((f) => f.path === weightsPath);
  if (weights === undefined) {
    throw new UserError(
      `${weightsPath}: not found; expected a ranker directory written by saveRanker (model.json and weights.bin)`,
    );
  }
  return {
    manifestText: new TextDecoder().decode(manifest.bytes),
    weights: weights.bytes,
    manifestPath: manifest.path,
    weightsPath,
  };
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}
