import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/describe-metric-conformance.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
