import { upgradPlugin } from './upgrad.js';

export { type UpgradOptions, upgradOptions, upgradPlugin } from './upgrad.js';
export default upgradPlugin;
