export { useBrowserBackend, type WasmPaths } from './backend.js';
export { type BrowserModel, loadBrowserModel } from './load-model.js';
export { type ModelFiles, type PickedFile, selectModelFiles } from './model-files.js';
export { type JsonQuery, readQueries } from './queries.js';
export { combineScores, rankDocuments, type ScoredQuery, scoreQueries } from './score.js';
