import { dbMtlPlugin } from './db-mtl.js';

export { type DbMtlOptions, dbMtlOptions, dbMtlPlugin } from './db-mtl.js';
export default dbMtlPlugin;
