import { pflPlugin } from './pfl.js';

export { cosine, cosmosWeights } from './cosmos-weights.js';
export { sampleDirichlet, sampleGamma } from './dirichlet.js';
export { type PflOptions, pflOptions, pflPlugin } from './pfl.js';
export default pflPlugin;
