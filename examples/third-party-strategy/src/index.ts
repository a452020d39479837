import { unitNorm } from './unitnorm.js';

export { unitNormWeights } from './unitnorm.js';
export default unitNorm;
