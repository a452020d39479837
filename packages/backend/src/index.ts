export { ensureGradientsRegistered } from './gradients.js';
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
