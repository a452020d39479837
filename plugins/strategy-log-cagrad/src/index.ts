import { logCagradPlugin } from './log-cagrad.js';

export { type LogCagradOptions, logCagradOptions, logCagradPlugin } from './log-cagrad.js';
export default logCagradPlugin;
