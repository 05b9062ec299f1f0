/**
 * A private redis-server with append-only persistence on its own port, for tests that stop,
 * restart (with its data or empty) and freeze Redis. Its data lives in a temporary folder removed
 * afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/server/free-port.js';

export { freePort };

export async function startPrivateRedis() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  async function waitReady() {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected while the server starts; the loop below retries them.
    probe.on('error', () => {});
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
    throw new Error('private redis-server did not start');
  }

  async function start() {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    await waitReady();
  }

  async function stop() {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await exited;
  }

  await start();
  return {
    url,
    port,
    /** Stops Redis and starts it again after `downMs`; `empty`: as a server that lost its data. */
    async restart(downMs = 300, { empty = false }: { empty?: boolean } = {}) {
      await stop();
      if (empty) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir);
      }
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    /** SIGSTOP: connections stay open and nothing answers, as with a Redis stuck on a slow disk. */
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async close() {
      child?.kill('SIGCONT');
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
