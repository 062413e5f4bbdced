import { defineConfig } from 'vitest/config';

// One runner for every layer: unit, DuckDB integration, server inject, and browser tests
// (tests/e2e drives Debian's Chromium through playwright-core), so `npm test` prints one summary.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'fixtures/**/*.test.ts', 'tests/**/*.test.ts', 'web/src/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/build/**', 'web/.svelte-kit/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
