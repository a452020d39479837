import { rlwPlugin } from './rlw.js';

export { type RlwOptions, rlwOptions, rlwPlugin } from './rlw.js';
export default rlwPlugin;
