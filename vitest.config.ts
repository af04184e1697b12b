import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests need chromium and run on their own: npm run test:browser (vitest.browser.config.ts).
    exclude: ['test/browser/**', '**/node_modules/**'],
    // Forks, not threads: tfjs-node's native addon and the wasm backend are loaded once per process.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    globalSetup: ['test/helpers/globalSetup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
    // In CI a JSON report is kept too, so .ci/run can print a plain 'N passed, N failed' line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: process.env.CI ? { json: '.ci-results/vitest.json' } : undefined,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
