import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // the CLI tests spawn real training runs; CI machines are shared
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
