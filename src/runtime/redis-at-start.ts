/**
 * The Redis the bot starts with. It must answer before anything else starts: otherwise the bot
 * stops with one message saying what is missing and what to do, instead of retrying in its logs.
 * The playground alone may help itself: with `REDIS_URL` unset and nothing at the default address,
 * it runs a private redis-server when one is installed. A real workspace never does; its Redis
 * holds the requests and audit trail and must be the one the operator configured.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { redisAddress, waitForRedis } from '../redis/probe.js';
import { findOnPath, startPrivateRedis } from './sandbox.js';

export interface StartRedis {
  /** The URL the bot connects to: the configured one, or the playground's private server. */
  url: string;
  /** Stops the private server; nothing for a Redis the bot did not start. */
  close(): Promise<void>;
}

/** Redis cannot be used; the message is for the person who ran `npm start`. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

const INSTALL_HINT = [
  '  Debian or Ubuntu: sudo apt install redis-server',
  '  macOS:            brew install redis',
].join('\n');

export async function redisForStart(
  config: Config,
  logger: Logger,
  searchPath = process.env.PATH ?? '',
): Promise<StartRedis> {
  // Sentinels and cluster nodes are checked by the runtime, each address named (src/redis).
  if (config.redis.topology.mode !== 'single') return { url: config.redis.url, close: async () => {} };
  const playground = config.slack.mode === 'playground';
  const address = redisAddress(config.redis.url);
  // A local default fails at once; a configured server may still be starting beside the bot.
  const probe = await waitForRedis(config.redis.url, playground ? 1_000 : 5_000);
  if (probe.ok) return { url: config.redis.url, close: async () => {} };

  if (!playground) {
    throw new RedisUnavailableError(
      [
        `Redis does not answer at ${address} (${probe.reason}).`,
        'The bot keeps its requests, jobs and audit trail in Redis and does not start without it:',
        'start Redis there, or set REDIS_URL to a Redis that runs.',
      ].join('\n'),
    );
  }
  if (config.redis.configured) {
    throw new RedisUnavailableError(
      [
        `REDIS_URL is ${address}, and nothing answers there (${probe.reason}).`,
        'Start Redis there or correct REDIS_URL; or unset it, and the playground uses',
        'redis://127.0.0.1:6379, or runs its own redis-server when that is installed.',
      ].join('\n'),
    );
  }
  const binary = findOnPath('redis-server', searchPath);
  if (!binary) {
    throw new RedisUnavailableError(
      [
        `The playground needs Redis. Nothing answers at ${address} (${probe.reason}),`,
        'and redis-server is not installed. Install it and run npm start again; the playground',
        'then starts one of its own, in memory, for as long as it runs:',
        INSTALL_HINT,
        'Or set REDIS_URL to a Redis that runs elsewhere: REDIS_URL=redis://host:6379 npm start',
      ].join('\n'),
    );
  }
  const own = await startPrivateRedis(binary);
  logger.info(
    { redis: own.url },
    `no Redis answers at ${address}: the playground runs its own redis-server ` +
      '(in memory, stopped with the bot)',
  );
  return own;
}
