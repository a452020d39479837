export { installEagerGradients, uninstallEagerGradients } from './eager-gradients.js';
export { ensureGradientsRegistered } from './gradients.js';
export {
  BUILD_NATIVE_COMMAND,
  loadNativeAddon,
  type NativeGemm,
  type NativeGemmInfo,
  type NativeKernel,
  type NativeKernelChoice,
  nativeGemm,
  nativeGemmInfo,
  nativeGemmNote,
  useNativeGemm,
  useNativeKernel,
} from './native-gemm.js';
export {
  type PerTaskGradients,
  perTaskGradients,
  type RepresentationGradients,
  representationGradients,
} from './per-task-gradients.js';
export { RetainedTape, recordTape, type Seed } from './retained-tape.js';
export {
  BACKEND_NAMES,
  type BackendCandidate,
  type BackendChoice,
  type BackendName,
  type BackendSelection,
  currentBackend,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
export {
  installWasmKernels,
  stockWasmKernel,
  uninstallWasmKernels,
  WASM_KERNEL_NAMES,
} from './wasm-kernels.js';
