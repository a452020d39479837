import { uwPlugin } from './uw.js';

export { type UwOptions, uwOptions, uwPlugin } from './uw.js';
export default uwPlugin;
