/** Node-only helpers (file system, dynamic import): `@mtl2r/core/node`. */
export { JsonlMetricsSink } from './jsonl-metrics-sink.js';
export {
  findInstalledStrategyPackages,
  type InstalledStrategyPackage,
  loadStrategyPlugin,
  packageForSpec,
} from './load-plugin.js';
