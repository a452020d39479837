import { dwaPlugin } from './dwa.js';

export { type DwaOptions, dwaOptions, dwaPlugin } from './dwa.js';
export default dwaPlugin;
