import { excessMtlPlugin } from './excess-mtl.js';

export { type ExcessMtlOptions, excessMtlOptions, excessMtlPlugin } from './excess-mtl.js';
export default excessMtlPlugin;
