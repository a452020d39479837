import { stchPlugin } from './stch.js';

export { type StchOptions, stchOptions, stchPlugin } from './stch.js';
export default stchPlugin;
