/**
 * `npm start` and the operator tools build only when the sources are newer than the last build
 * (scripts/build-if-stale.mjs). Run here in a project of its own whose `build` script counts its
 * runs, so the test needs no compiler and shows each decision: built, not built, built again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-if-stale.mjs', import.meta.url));

let dir: string;

/** A project whose build appends a line to dist/builds (or fails when src/broken exists). */
function makeProject(): void {
  mkdirSync(path.join(dir, 'scripts'));
  mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
  copyFileSync(SCRIPT, path.join(dir, 'scripts', 'build-if-stale.mjs'));
  const build =
    "node -e \"const fs=require('fs');if(fs.existsSync('src/broken'))process.exit(2);fs.mkdirSync('dist',{recursive:true});fs.appendFileSync('dist/builds','x')\"";
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'p', private: true, scripts: { build } }),
  );
  writeFileSync(path.join(dir, 'src', 'deep', 'a.ts'), 'export const a = 1;\n');
  // Every input a minute old, so that "newer" below is unambiguous whatever the file system's clock.
  backdate(
    path.join(dir, 'package.json'),
    path.join(dir, 'src', 'deep', 'a.ts'),
    path.join(dir, 'src', 'deep'),
    path.join(dir, 'src'),
  );
}

function backdate(...files: string[]): void {
  for (const file of files) setAge(file, 60_000);
}

/** Sets a file's modification time `ms` in the past. */
function setAge(file: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(file, then, then);
}

function run(): { status: number | null; builds: number; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'scripts', 'build-if-stale.mjs')], {
    cwd: dir,
    encoding: 'utf8',
  });
  const count = path.join(dir, 'dist', 'builds');
  return {
    status: r.status,
    builds: existsSync(count) ? readFileSync(count, 'utf8').length : 0,
    stderr: r.stderr,
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'build-if-stale-'));
  makeProject();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('build only when the sources changed', () => {
  it('builds a fresh clone once, then starts without building', () => {
    const first = run();
    expect(first).toMatchObject({ status: 0, builds: 1 });
    expect(first.stderr).toContain('the sources had changed');
    expect(run()).toMatchObject({ status: 0, builds: 1, stderr: '' });
  });

  it('builds again after a source file, a new file or the package file changed', () => {
    const stamp = path.join(dir, 'dist', '.build-stamp');
    /** The last build 30 s ago, then `file` changed 10 s ago. */
    const changedSinceBuild = (file: string) => {
      setAge(stamp, 30_000);
      setAge(file, 10_000);
    };
    run();
    changedSinceBuild(path.join(dir, 'src', 'deep', 'a.ts'));
    expect(run().builds).toBe(2);
    expect(run().builds).toBe(2);
    // A new file older than the build (copied, or checked out with its time): its folder changed.
    writeFileSync(path.join(dir, 'src', 'deep', 'b.ts'), 'export const b = 2;\n');
    setAge(path.join(dir, 'src', 'deep', 'b.ts'), 60_000);
    changedSinceBuild(path.join(dir, 'src', 'deep'));
    expect(run().builds).toBe(3);
    changedSinceBuild(path.join(dir, 'package.json'));
    expect(run().builds).toBe(4);
    expect(run().builds).toBe(4);
  });

  it('stops with the build’s status when the build fails, and tries again next time', () => {
    writeFileSync(path.join(dir, 'src', 'broken'), '');
    const failed = run();
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain('build failed');
    rmSync(path.join(dir, 'src', 'broken'));
    expect(run()).toMatchObject({ status: 0, builds: 1 });
  });

  it('does nothing where there are no sources (an image holding dist/ alone)', () => {
    rmSync(path.join(dir, 'src'), { recursive: true });
    expect(run()).toMatchObject({ status: 0, builds: 0, stderr: '' });
  });
});

describe('the scripts that run the build', () => {
  it('start and every operator tool go through the check, not a full build', () => {
    const pkg = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    ) as {
      scripts: Record<string, string>;
    };
    for (const name of ['prestart', 'simulator', 'audit', 'queues', 'redrive', 'policy', 'accounts'])
      expect(pkg.scripts[name], name).toMatch(/^node scripts\/build-if-stale\.mjs\b/);
    expect(execFileSync('git', ['check-ignore', '-q', 'dist/.build-stamp'], { stdio: 'pipe' }).length).toBe(
      0,
    );
  });
});
