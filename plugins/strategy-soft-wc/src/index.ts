import { softWcPlugin } from './soft-wc.js';

export { type SoftWcOptions, softWcOptions, softWcPlugin } from './soft-wc.js';
export default softWcPlugin;
