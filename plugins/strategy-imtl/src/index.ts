import { imtlPlugin } from './imtl.js';

export { type ImtlOptions, imtlOptions, imtlPlugin } from './imtl.js';
export default imtlPlugin;
