import { epoPlugin } from './epo.js';

export { type EpoPluginOptions, epoOptions, epoPlugin } from './epo.js';
export default epoPlugin;
