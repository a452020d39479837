// Everything that runs in a browser, plus the Node file I/O of saved rankers.
export * from './browser.js';
export { loadRanker, saveRanker } from './save-load.js';
