/**
 * Whether a Redis answers at an address, said plainly, so that a missing Redis at start is one
 * clear message instead of a stream of retries.
 */
import { Redis } from 'ioredis';

/** The address of a Redis URL with any password masked, fit for a message or a log line. */
export function redisAddress(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

export type RedisProbe = { ok: true } | { ok: false; reason: string };

/** One attempt: connect and PING, giving up after `timeoutMs`. */
async function probeOnce(url: string, timeoutMs: number): Promise<RedisProbe> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error ("connect ECONNREFUSED …") says more than the rejected promise's
  // "Connection is closed"; keeping it also stops ioredis printing it as unhandled.
  let socketError: string | undefined;
  client.on('error', (err: Error) => {
    socketError ??= err.message;
  });
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG' ? { ok: true } : { ok: false, reason: `PING answered ${pong}` };
  } catch (err) {
    return { ok: false, reason: socketError ?? (err instanceof Error ? err.message : String(err)) };
  } finally {
    client.disconnect();
  }
}

/**
 * Whether Redis answers at `url` within `withinMs`, retrying meanwhile: a Redis that is still
 * starting beside the bot (a compose file, a service manager) gets a few seconds.
 */
export async function waitForRedis(url: string, withinMs: number): Promise<RedisProbe> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = deadline - Date.now();
    const probe = await probeOnce(url, Math.max(200, Math.min(left, 2_000)));
    if (probe.ok || Date.now() + 250 >= deadline) return probe;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
