/**
 * The playground's own Redis. When `REDIS_URL` is unset, nothing answers at the default address
 * and a `redis-server` binary is installed, the playground runs one as a child: loopback only, on
 * a free port, in memory (no snapshot, no append-only file), gone when the bot stops. Someone
 * trying the bot then needs Redis installed, not running, configured or cleaned up after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitForRedis } from '../../redis/probe.js';
import { freePort } from '../../server/free-port.js';

export interface PrivateRedis {
  url: string;
  close(): Promise<void>;
}

/** The first executable `name` on a PATH, as a shell would find it. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; the next folder may have it.
    }
  }
  return undefined;
}

/**
 * A shell stands between the bot and redis-server and stops the server when its standard input
 * closes, which happens when the bot exits however it exits (even SIGKILL), so no orphan server
 * outlives a crashed playground. Its own process group keeps a Ctrl-C in the terminal from stopping
 * Redis before the bot has closed its connections; the bot stops it last.
 */
const WRAPPER = 'bin="$1"; shift; "$bin" "$@" & pid=$!; read _ignored; kill "$pid" 2>/dev/null; wait "$pid"';

export async function startPrivateRedis(binary: string): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('sh', ['-c', WRAPPER, 'sh', binary, ...args], {
    cwd: tmpdir(),
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function close(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
    ]);
    if (!stopped && child.pid) process.kill(-child.pid, 'SIGKILL');
  }

  const probe = await waitForRedis(url, 5_000);
  if (!probe.ok) {
    await close();
    throw new Error(`redis-server (${binary}) did not start on ${url}: ${probe.reason}\n${output.trim()}`);
  }
  return { url, close };
}
