import { defineConfig } from 'vitest/config';

// npm run test:browser: the example page and the API docs site in headless chromium (see test/browser).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: '.ci-results/vitest-browser.json' } : undefined,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
