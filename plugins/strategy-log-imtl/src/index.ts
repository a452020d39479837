import { logImtlPlugin } from './log-imtl.js';

export { type LogImtlOptions, logImtlOptions, logImtlPlugin } from './log-imtl.js';
export default logImtlPlugin;
