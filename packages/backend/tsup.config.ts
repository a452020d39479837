import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // tfjs-core's gradient registrations exist only in its ES build, whose files Node cannot load directly
  // (extensionless imports in a CommonJS-typed package): bundle them into our own chunk.
  noExternal: [
    /^@tensorflow\/tfjs-core\/dist\/register_all_gradients/,
    /^@tensorflow\/tfjs-core\/dist\/public\/chained_ops\/register_all_chained_ops/,
  ],
});
