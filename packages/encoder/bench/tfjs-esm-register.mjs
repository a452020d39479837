// `node --import ./tfjs-esm-register.mjs`: installs tfjs-esm-hooks.mjs (see there).
import { register } from 'node:module';

register('./tfjs-esm-hooks.mjs', import.meta.url);
