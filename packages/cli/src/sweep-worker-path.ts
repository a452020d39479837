import { fileURLToPath } from 'node:url';

/** The sweep worker module beside this one: the .ts source in development, the built .js in dist/. */
export const SWEEP_WORKER_ENTRY = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? './sweep-worker-entry.ts' : './sweep-worker-entry.js',
    import.meta.url,
  ),
);
