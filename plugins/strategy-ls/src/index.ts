import { lsPlugin } from './ls.js';

export { type LsOptions, lsOptions, lsPlugin } from './ls.js';
export default lsPlugin;
