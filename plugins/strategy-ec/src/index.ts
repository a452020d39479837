import { ecPlugin } from './ec.js';

export { type EcOptions, ecOptions, ecPlugin } from './ec.js';
export default ecPlugin;
