/**
 * Vitest: two projects over the same settings. `test` is what `npm test` runs; `suites` holds the
 * reduced-scale versions of long suites whose full sizes have scripts of their own (`npm run
 * test:suites` runs them at the reduced scale, after `npm test` in CI). docs/testing.md says why
 * each one is there. `vitest run` with no `--project` runs both; a path filter
 * (`vitest run test/failover`) finds its files in either.
 */
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The better part of a minute each of processes and private Redis servers, at the reduced scale;
 * docs/testing.md says what `npm test` keeps of each.
 */
export const SUITES = [
  // The Sentinel failover (test/failover/sentinel.test.ts) stays in `npm test`.
  'test/failover/cluster.test.ts',
  'test/failover/durability.test.ts',
  'test/ratelimit/burst.test.ts',
  'test/process/health-after-kill.test.ts',
  // The playground's whole story in Chromium, and 20 slow-piped runs of the audit tool.
  'test/browser/playground.test.ts',
  'test/tools/complete-output.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep file-level parallelism modest so timing-sensitive
    // integration tests (polling, lifecycles) are not starved. Three, tried on the loaded machine,
    // ran the 16 slowest files in 180 s instead of 242 s, and failed the fault suite: its worker
    // processes were killed faster than they could start.
    maxWorkers: 2,
    // Test files share their worker's module cache instead of loading every module afresh (about
    // a second of CPU per file, 90 files). Each file still starts and stops what it uses.
    isolate: false,
    reporters: ['default'],
    // The sources transpiled once for the tests that start processes (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'test',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SUITES],
        },
      },
      { extends: true, test: { name: 'suites', include: SUITES } },
    ],
  },
});
