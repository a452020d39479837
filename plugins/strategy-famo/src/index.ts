import { famoPlugin } from './famo.js';

export { type FamoOptions, famoOptions, famoPlugin } from './famo.js';
export default famoPlugin;
