import { configPlugin } from './config.js';

export { type ConfigOptions, configOptions, configPlugin } from './config.js';
export default configPlugin;
