import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/squared-hinge-loss.ts', 'src/rbp-metric.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
});
