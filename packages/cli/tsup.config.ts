import { defineConfig } from 'tsup';

export default defineConfig({
  // the sweep worker is forked by path: its own entry
  entry: ['src/index.ts', 'src/bin.ts', 'src/sweep-worker-entry.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
