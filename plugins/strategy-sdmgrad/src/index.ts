import { sdmgradPlugin } from './sdmgrad.js';

export { type SdmgradOptions, sdmgradOptions, sdmgradPlugin } from './sdmgrad.js';
export default sdmgradPlugin;
