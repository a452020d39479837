/** Node-only helpers (file system, dynamic import): `@mtl2r/core/node`. */
export {
  findInstalledPluginPackages,
  findInstalledStrategyPackages,
  type InstalledPluginPackage,
  type InstalledStrategyPackage,
} from './find-plugin-packages.js';
export { JsonlMetricsSink } from './jsonl-metrics-sink.js';
export { type LoadedPluginModule, loadPluginModule, loadStrategyPlugin } from './load-plugin.js';
export {
  candidatePackages,
  isPathSpec,
  isPluginPackageName,
  type PluginKind,
  packageForSpec,
} from './plugin-spec.js';
