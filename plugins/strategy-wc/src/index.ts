import { wcPlugin } from './wc.js';

export { type WcOptions, wcOptions, wcPlugin } from './wc.js';
export default wcPlugin;
