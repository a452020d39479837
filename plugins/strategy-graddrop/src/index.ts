import { graddropPlugin } from './graddrop.js';

export { type GraddropOptions, graddropOptions, graddropPlugin } from './graddrop.js';
export { clipDirection, signDropout } from './sign-dropout.js';
export default graddropPlugin;
