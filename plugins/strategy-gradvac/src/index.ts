import { gradvacPlugin } from './gradvac.js';

export { type GradvacOptions, gradvacOptions, gradvacPlugin } from './gradvac.js';
export default gradvacPlugin;
