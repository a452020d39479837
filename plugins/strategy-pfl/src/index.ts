import { pflPlugin } from './pfl.js';

export { cosine, cosmosWeights } from './cosmos-weights.js';
export { type PflOptions, pflOptions, pflPlugin } from './pfl.js';
export default pflPlugin;
