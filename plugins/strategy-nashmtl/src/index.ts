import { nashmtlPlugin } from './nashmtl.js';

export { type NashmtlOptions, nashmtlOptions, nashmtlPlugin } from './nashmtl.js';
export default nashmtlPlugin;
