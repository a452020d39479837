import { scaleinvlsPlugin } from './scaleinvls.js';

export { type ScaleinvlsOptions, scaleinvlsOptions, scaleinvlsPlugin } from './scaleinvls.js';
export default scaleinvlsPlugin;
