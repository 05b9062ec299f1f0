import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep file-level parallelism modest so timing-sensitive
    // integration tests (polling, lifecycles) are not starved.
    maxWorkers: 2,
    // Test files share their worker's module cache instead of loading every module afresh (about
    // a second of CPU per file, 90 files). Each file still starts and stops what it uses.
    isolate: false,
    reporters: ['default'],
    // The sources transpiled once for the tests that start processes (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
  },
});
