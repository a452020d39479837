import packageJson from '../package.json' with { type: 'json' };

/** This package's version, read from its package.json at build time. */
export const CORE_VERSION: string = packageJson.version;
