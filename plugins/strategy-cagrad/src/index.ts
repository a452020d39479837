import { cagradPlugin } from './cagrad.js';

export { type CagradOptions, cagradOptions, cagradPlugin, DEEPMTL2R_MAX_NORM } from './cagrad.js';
export default cagradPlugin;
