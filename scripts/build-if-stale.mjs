/**
 * Builds (`npm run build`) only when the sources are newer than the last build, so that `npm start`
 * and the operator tools start at once when nothing changed. The build's inputs are everything under
 * src/ and the files that steer the compiler or the dependencies; a build that succeeds leaves a
 * stamp in dist/. Where there are no sources (an image holding dist/ alone) there is nothing to do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time among the build's inputs, in ms; 0 when there are none. */
function newestInput() {
  let newest = 0;
  const note = (file) => {
    newest = Math.max(newest, statSync(file).mtimeMs);
  };
  for (const name of INPUT_FILES) {
    const file = path.join(ROOT, name);
    if (existsSync(file)) note(file);
  }
  const src = path.join(ROOT, 'src');
  if (!existsSync(src)) return newest;
  note(src);
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    // A directory's time changes when a file in it is added, removed or renamed.
    note(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  return newest;
}

function isStale() {
  if (!existsSync(path.join(ROOT, 'src'))) return false;
  if (!existsSync(STAMP)) return true;
  return newestInput() > statSync(STAMP).mtimeMs;
}

if (isStale()) {
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('build failed: fix the errors above, then run the command again\n');
    process.exit(build.status ?? 1);
  }
  // Stamped with the time the build began: a source saved while it ran is newer, and builds next time.
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  utimesSync(STAMP, new Date(started), new Date(started));
  process.stderr.write(
    `built in ${((Date.now() - started) / 1000).toFixed(1)} s (the sources had changed)\n`,
  );
}
