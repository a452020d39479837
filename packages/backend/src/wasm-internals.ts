import * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of @tensorflow/tfjs-backend-wasm 4.22 that our kernels reach into. None of this is tfjs public
 * API: the version is pinned, and `wasmBackend()` checks the members exist before anything uses them.
 */
export interface WasmModule {
  /** Re-created by Emscripten when the heap grows: always read it afresh, never keep a view. */
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** (aId, aShape*, aRank, bId, bShape*, bRank, transposeA, transposeB, outId); shapes are int32 arrays. */
  _BatchMatMul(
    aId: number,
    aShape: number,
    aRank: number,
    bId: number,
    bShape: number,
    bRank: number,
    transposeA: number,
    transposeB: number,
    outId: number,
  ): void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: tf.DataType;
  refCount: number;
}

export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: tf.DataId): WasmTensorData | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  incRef(dataId: tf.DataId): void;
}

/** The wasm backend instance if it is registered and initialised, else undefined. */
export function wasmBackend(): WasmBackend | undefined {
  let backend: unknown;
  try {
    backend = tf.engine().findBackend('wasm');
  } catch {
    return undefined;
  }
  return isWasmBackend(backend) ? backend : undefined;
}

export function isWasmBackend(backend: unknown): backend is WasmBackend {
  const b = backend as Partial<WasmBackend> | null | undefined;
  return (
    b != null &&
    typeof b.makeOutput === 'function' &&
    typeof b.incRef === 'function' &&
    typeof b.dataIdNextNumber === 'number' &&
    b.wasm != null &&
    typeof b.wasm._BatchMatMul === 'function' &&
    typeof b.wasm._malloc === 'function' &&
    typeof b.wasm.tfjs?.registerTensor === 'function'
  );
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: WasmBackend, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data == null) throw new Error('tensor is not on the wasm backend');
  return data.memoryOffset;
}

export function tensorId(backend: WasmBackend, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data == null) throw new Error('tensor is not on the wasm backend');
  return data.id;
}

/**
 * Registers views of heap ranges under fresh tensor ids so C++ kernels can run on a part of a tensor
 * without copying it. Releasing a view only unregisters the id (which also drops any XNNPACK operator
 * cached on it); the memory stays owned by the tensor it belongs to.
 */
export class HeapViews {
  private readonly ids: number[] = [];

  constructor(private readonly backend: WasmBackend) {}

  view(byteOffset: number, size: number): number {
    const id = this.backend.dataIdNextNumber++;
    this.backend.wasm.tfjs.registerTensor(id, size, byteOffset);
    this.ids.push(id);
    return id;
  }

  release(): void {
    for (const id of this.ids) this.backend.wasm.tfjs.disposeData(id);
    this.ids.length = 0;
  }
}

const SLOTS = 4;
const SLOT_INTS = 8;
const scratch = new WeakMap<WasmBackend, number>();

/**
 * Writes a shape (rank <= 8) as int32 into one of 4 reusable heap slots per backend and returns its pointer:
 * C++ kernels take shapes by pointer, and a fixed buffer avoids a malloc per call.
 */
export function writeShape(backend: WasmBackend, slot: number, values: readonly number[]): number {
  if (slot >= SLOTS || values.length > SLOT_INTS)
    throw new Error(`shape scratch: slot ${slot} rank ${values.length}`);
  let base = scratch.get(backend);
  if (base === undefined) {
    base = backend.wasm._malloc(SLOTS * SLOT_INTS * 4) >>> 0;
    scratch.set(backend, base);
  }
  const at = base + slot * SLOT_INTS * 4;
  const view = new Int32Array(backend.wasm.HEAPU8.buffer, at, values.length);
  for (let i = 0; i < values.length; i++) view[i] = values[i] ?? 0;
  return at;
}
