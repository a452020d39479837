import { alignedMtlPlugin } from './aligned-mtl.js';

export { type AlignedMtlOptions, alignedMtlOptions, alignedMtlPlugin } from './aligned-mtl.js';
export default alignedMtlPlugin;
