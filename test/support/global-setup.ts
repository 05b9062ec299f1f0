/**
 * Once before any test file: the sources that tests start as processes of their own (`src/` and
 * `test/fixtures/`) transpiled by esbuild into a folder of this run, removed afterwards. tsx runs
 * the same esbuild transform on each file as a process loads it; done once here, a process loads
 * plain JavaScript and starts with about 40 % less CPU (a bot process: 1.0 s instead of 1.8 s),
 * which the tests that start dozens of them (kill after ack, the fault suite, the operator tools)
 * add up. Files that are not transpiled (the playground's page modules, which the bot transpiles
 * itself when it serves them, and its example policy) are linked in place, so a process finds
 * them beside its modules as it does beside the sources. `processes.ts` reads the folder. In watch
 * mode it is made again before each rerun, so a process runs the sources as they are now.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The transpiled copy of the sources, for processes (`processes.ts`). */
    processSources: string;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Served to the browser as they are: the bot transpiles them itself, with TypeScript, on request. */
const NOT_TRANSPILED = path.join('src', 'sandbox', 'playground', 'client');

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => !lstatSync(path.join(ROOT, file)).isDirectory());
}

/** Fills `out` (emptied first) with the transpiled and linked sources. */
async function transpile(out: string): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const sources = [
    ...filesUnder('src'),
    ...filesUnder(path.join('test', 'fixtures')).filter(
      (f) => path.dirname(f) === path.join('test', 'fixtures'),
    ),
  ];
  const transpiled = sources.filter((f) => f.endsWith('.ts') && !f.startsWith(NOT_TRANSPILED));
  await build({
    absWorkingDir: ROOT,
    entryPoints: transpiled,
    outdir: out,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    // As tsx transforms: for the running Node, names kept, source maps for the stack traces.
    target: `node${process.versions.node}`,
    keepNames: true,
    sourcemap: 'inline',
    logLevel: 'error',
  });
  for (const file of sources.filter((f) => !transpiled.includes(f))) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    symlinkSync(path.join(ROOT, file), path.join(out, file));
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cache = path.join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  // Inside the repository, so that the modules resolve their packages from its node_modules.
  const out = mkdtempSync(path.join(cache, 'gateway-processes-'));
  await transpile(out);
  project.onTestsRerun(() => transpile(out));
  project.provide('processSources', out);
  return () => rmSync(out, { recursive: true, force: true });
}
