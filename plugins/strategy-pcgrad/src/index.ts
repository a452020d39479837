import { pcgradPlugin } from './pcgrad.js';

export { type PcgradOptions, pcgradOptions, pcgradPlugin } from './pcgrad.js';
export default pcgradPlugin;
