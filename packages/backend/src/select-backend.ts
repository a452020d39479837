import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { installEagerGradients } from './eager-gradients.js';
import { ensureGradientsRegistered } from './gradients.js';
import { installShapeOnlySaves } from './shape-only-saves.js';
import { installWasmKernels } from './wasm-kernels.js';

export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export const BACKEND_NAMES: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

interface BackendInfo {
  /** npm package that provides it. */
  package: string;
  /** The name tfjs registers it under. */
  tfjsName: string;
}

const BACKENDS: Record<BackendName, BackendInfo> = {
  'node-gpu': { package: '@tensorflow/tfjs-node-gpu', tfjsName: 'tensorflow' },
  node: { package: '@tensorflow/tfjs-node', tfjsName: 'tensorflow' },
  wasm: { package: '@tensorflow/tfjs-backend-wasm', tfjsName: 'wasm' },
  cpu: { package: '@tensorflow/tfjs-backend-cpu', tfjsName: 'cpu' },
};

export interface BackendCandidate {
  name: BackendName;
  package: string;
  available: boolean;
  /** Why it is or is not usable ("not installed", "failed to initialise: ..."). */
  note: string;
}

export interface BackendSelection {
  name: BackendName;
  /** The tfjs backend name (`tensorflow`, `wasm`, `cpu`). */
  tfjsName: string;
  /** Why this backend: "requested", or "auto: ... not installed". */
  reason: string;
  candidates: BackendCandidate[];
}

export interface SelectBackendOptions {
  backend?: BackendChoice;
  /** Injected for tests: loads a backend package, throwing when it is not installed. */
  importPackage?: (name: string) => Promise<unknown>;
}

let current: BackendSelection | undefined;

/** The backend picked by the last `selectBackend` call, if any. */
export function currentBackend(): BackendSelection | undefined {
  return current;
}

/**
 * Initialises tfjs with an explicit backend, or with the best installed one (`auto`: tfjs-node-gpu, then
 * tfjs-node, then wasm, then cpu). Also registers tfjs gradients, which tfjs-core's Node build lacks.
 * Asking for a backend that is not installed is a UserError naming the package to install.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const choice = options.backend ?? 'auto';
  const importPackage = options.importPackage ?? ((name: string) => import(name));
  if (choice !== 'auto' && !(choice in BACKENDS)) {
    throw new UserError(
      `unknown backend '${String(choice)}'; expected one of auto, ${BACKEND_NAMES.join(', ')}`,
    );
  }
  await ensureGradientsRegistered();
  // Stock tfjs backprop keeps every intermediate gradient until the end: too much for the 4 GiB wasm heap.
  installEagerGradients();
  // ... and keeps the inputs of every Add, Reshape, Sum, ... though their gradients read only shapes.
  installShapeOnlySaves();
  const order: BackendName[] = choice === 'auto' ? [...BACKEND_NAMES] : [choice];
  const candidates: BackendCandidate[] = [];
  for (const name of order) {
    const info = BACKENDS[name];
    const loaded = await tryImport(importPackage, info.package);
    if (!loaded.ok) {
      candidates.push({ name, package: info.package, available: false, note: loaded.note });
      if (choice !== 'auto') {
        throw new UserError(`backend '${name}' is not available: ${loaded.note}`, {
          hint: loaded.missing ? `install it: pnpm add ${info.package}@${tf.version_core}` : undefined,
        });
      }
      continue;
    }
    let ok = false;
    let note = 'initialised';
    try {
      ok = await tf.setBackend(info.tfjsName);
      if (!ok) note = 'tfjs could not initialise it';
    } catch (error) {
      note = `failed to initialise: ${(error as Error).message}`;
    }
    candidates.push({ name, package: info.package, available: ok, note });
    if (!ok) {
      if (choice !== 'auto') throw new UserError(`backend '${name}' ${note}`);
      continue;
    }
    await tf.ready();
    // The stock wasm BatchMatMul is a naive loop for every batched or transposed product (all of backprop).
    if (name === 'wasm') installWasmKernels();
    const skipped = candidates.filter((c) => !c.available).map((c) => `${c.name}: ${c.note}`);
    current = {
      name,
      tfjsName: info.tfjsName,
      reason:
        choice === 'auto'
          ? `auto${skipped.length > 0 ? ` (${skipped.join('; ')})` : ': first in order'}`
          : 'requested',
      candidates,
    };
    return current;
  }
  throw new UserError('no tfjs backend could be initialised', {
    hint: `install @tensorflow/tfjs-backend-wasm or @tensorflow/tfjs-backend-cpu (${candidates.map((c) => `${c.name}: ${c.note}`).join('; ')})`,
  });
}

async function tryImport(
  importPackage: (name: string) => Promise<unknown>,
  name: string,
): Promise<{ ok: true } | { ok: false; missing: boolean; note: string }> {
  try {
    await importPackage(name);
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message ?? String(error);
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners phrase it their own way.
    const missing =
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      new RegExp(`(Cannot find (package|module)|Could not resolve) ["']${name}["']`).test(message);
    return {
      ok: false,
      missing,
      note: missing ? `${name} is not installed` : `${name} failed to load: ${message.split('\n')[0]}`,
    };
  }
}
