import { wcMgdaPlugin } from './wc-mgda.js';

export { type WcMgdaPluginOptions, wcMgdaOptions, wcMgdaPlugin } from './wc-mgda.js';
export default wcMgdaPlugin;
