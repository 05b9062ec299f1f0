/**
 * The layer rules of `npm run lint` (.dependency-cruiser.cjs) catch what they are for: run on
 * test/fixtures/layers, a small tree that breaks each rule once on purpose, the check fails and
 * names every break. (`npm run lint` runs the same check on src/, where there is none.)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/layers/', import.meta.url));
const CLI = `${ROOT}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`;

describe('the layer rules', () => {
  it('fail on a cycle, an import against the layer order, and a sandbox reached or leaning the wrong way', () => {
    const run = spawnSync(process.execPath, [CLI, 'src', '--config', `${ROOT}.dependency-cruiser.cjs`], {
      cwd: FIXTURE,
      encoding: 'utf8',
    });
    const output = run.stdout + run.stderr;
    expect(run.status, output).not.toBe(0);
    expect(output).toMatch(/no-circular: src\/i18n\/catalogue\.ts/);
    expect(output).toMatch(/layer-workflow: src\/workflow\/service\.ts → src\/slack\/render\.ts/);
    expect(output).toMatch(
      /sandbox-through-one-seam: src\/runtime\/index\.ts → src\/sandbox\/simulator\/server\.ts/,
    );
    expect(output).toMatch(
      /sandbox-holds-its-own-facts: src\/sandbox\/simulator\/server\.ts → src\/cloud\/limits\.ts/,
    );
    expect(output).toMatch(/4 dependency violations/);
  });
});
