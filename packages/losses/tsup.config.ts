import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/describe-loss-conformance.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
