import { stlPlugin } from './stl.js';

export { type StlOptions, stlOptions, stlPlugin } from './stl.js';
export default stlPlugin;
