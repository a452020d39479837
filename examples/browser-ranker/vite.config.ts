import { defineConfig } from 'vite';

// Workspace packages resolve to their TypeScript sources (the same export condition as the tests), so the
// page builds without building the packages first.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@mtl2r/source', 'browser', 'module', 'import', 'default'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
