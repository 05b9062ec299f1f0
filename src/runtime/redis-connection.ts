/**
 * Redis while the bot runs: `watchRedisConnection` turns an outage into two log lines, one when
 * Redis is lost and one when it is back, however many queues, workers and connections notice it
 * in between. (At start, redis/probe.ts says plainly whether anything answers.)
 */

import type { Logger } from 'pino';
import type { RedisClient } from '../redis/index.js';
import { redisAddress } from '../redis/probe.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** True for errors that mean "Redis cannot be reached", as opposed to a failing command. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable|connect E[A-Z]+/.test(
    err.message,
  );
}

/**
 * BullMQ's words for a job whose lock was gone when its worker finished or renewed it. Right after
 * an outage this is the outage's echo: ioredis resends a command whose answer the dropped
 * connection lost (a job's finish, already done once, fails the second time for want of the lock
 * it released), and a lock can lapse while its worker cannot reach Redis. The job itself is safe:
 * a finished one stays finished, and an unfinished one is taken again once its lock has lapsed.
 */
const LOCK_LOST = /^(Missing lock for job |could not renew lock for job )/;

export interface RedisConnectionWatch {
  /** False from the moment an outage is noticed until the connection is ready again. */
  readonly up: boolean;
  /**
   * Takes an error from a queue or a worker's own connection: a connection error, or a job's lost
   * lock during an outage or just after it, is part of the outage this watch reports (logged at
   * debug level only) and true is returned; any other error is left to the caller.
   */
  absorb(err: unknown): boolean;
  /** Stops reporting: the bot is closing its connections on purpose. */
  stop(): void;
}

/**
 * Watches the bot's main Redis connection, which every component shares or mirrors: it is the one
 * that decides when an outage starts and ends, so the log says "lost" once and "back" once.
 */
export function watchRedisConnection(
  redis: RedisClient,
  url: string,
  logger: Logger,
  o: {
    /** The workers' lock lifetime (WORKER_LOCK_DURATION): after an outage, how long a lost lock is its echo. */
    lockDurationMs?: number;
    now?: () => number;
  } = {},
): RedisConnectionWatch {
  const now = o.now ?? Date.now;
  const echoMs = o.lockDurationMs ?? 30_000;
  let up = redis.status === 'ready';
  let lostAt: number | undefined;
  let backAt: number | undefined;
  let stopped = false;
  const address = redisAddress(url);

  const lost = (err: unknown) => {
    if (stopped || lostAt !== undefined) return;
    up = false;
    lostAt = now();
    logger.warn(
      { redis: address, err: { message: err instanceof Error ? err.message : String(err) } },
      'Redis connection lost: requests wait, nothing is lost, retrying until it is back',
    );
  };
  redis.on('error', (err: Error) => {
    if (isConnectionError(err)) lost(err);
    else if (!stopped) logger.warn({ err: { message: err.message } }, 'Redis error');
  });
  redis.on('ready', () => {
    up = true;
    if (lostAt === undefined || stopped) return;
    backAt = now();
    const downMs = backAt - lostAt;
    lostAt = undefined;
    logger.info(
      { redis: address, downSeconds: Math.round(downMs / 100) / 10 },
      'Redis connection back: waiting work resumes',
    );
  });

  return {
    get up() {
      return up;
    },
    absorb(err) {
      const echo =
        err instanceof Error &&
        LOCK_LOST.test(err.message) &&
        (lostAt !== undefined || (backAt !== undefined && now() - backAt < echoMs));
      if (!echo && !isConnectionError(err)) return false;
      logger.debug(
        { err: { message: (err as Error).message } },
        'Redis connection error (outage reported once)',
      );
      return true;
    },
    stop() {
      stopped = true;
    },
  };
}
