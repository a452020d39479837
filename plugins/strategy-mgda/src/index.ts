import { mgdaPlugin } from './mgda.js';

export type { Normalization } from './gradient-normalizers.js';
export { type MgdaOptions, mgdaOptions, mgdaPlugin } from './mgda.js';
export default mgdaPlugin;
