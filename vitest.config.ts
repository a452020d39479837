import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the custom export condition, so
// `pnpm test` needs no build. The JSON report feeds the CI summary line.
const sourceCondition = '@mtl2r/source';
// Vite's default server conditions, with ours first.
const conditions = [sourceCondition, 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: [sourceCondition] } },
  test: {
    include: ['{packages,plugins,examples}/*/src/**/*.test.ts', 'src/**/*.test.ts'],
    // Its own project, installed from packed tarballs: `pnpm --dir examples/third-party-strategy test`.
    exclude: ['**/node_modules/**', 'examples/third-party-strategy/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Lets Node's own resolution (createRequire, plugin loading) find workspace sources too.
    execArgv: ['--conditions=@mtl2r/source'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
