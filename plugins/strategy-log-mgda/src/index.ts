import { logMgdaPlugin } from './log-mgda.js';

export { type LogMgdaOptions, logMgdaOptions, logMgdaPlugin } from './log-mgda.js';
export default logMgdaPlugin;
