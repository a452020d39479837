import { fairgradPlugin } from './fairgrad.js';

export { type FairgradOptions, fairgradOptions, fairgradPlugin } from './fairgrad.js';
export default fairgradPlugin;
