/**
 * Connections to Redis, whatever its shape: one node, a primary managed by Sentinel, or a Redis
 * Cluster, each through ioredis's own client. The bot, the workers, the queues, the operator tools
 * and the tests all connect here, so a setting (a password, TLS, how a failover is ridden out) is
 * made once. `checkRedisReachable` is the start-up check: every Sentinel, or at least one cluster
 * node, must answer before anything else connects.
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from './client.js';
import type { RedisEndpoint, RedisSettings } from './settings.js';

export type { RedisClient } from './client.js';
export { ConfirmedWrites, type ConfirmedWritesOptions, UnconfirmedWriteError } from './confirmed-writes.js';
export { type LuaCall, type LuaCommand, luaCommand } from './lua.js';

export interface ConnectOptions {
  /**
   * Tries of a command while Redis is away; `null` waits as long as it takes (BullMQ workers
   * require it, and a failover then only delays commands). @defaultValue null
   */
  maxRetriesPerRequest?: number | null;
  /** Connect on the first command (or `connect()`) instead of at once. @defaultValue false */
  lazyConnect?: boolean;
  /** @defaultValue 10s */
  connectTimeoutMs?: number;
}

/** After a failover the old primary may come back as a replica: reconnect (to the new primary) and resend. */
function reconnectOnReadOnly(err: Error): 2 | false {
  return err.message.startsWith('READONLY') ? 2 : false;
}

/** How long a cluster command waits out a failover (CLUSTERDOWN, a dead node) before it fails. */
const CLUSTER_RETRY_DELAY_MS = 300;
const CLUSTER_MAX_RETRIES = 100;

export function connectRedis(settings: RedisSettings, options: ConnectOptions = {}): RedisClient {
  const common: RedisOptions = {
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? null : options.maxRetriesPerRequest,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: {} } : {}),
    reconnectOnError: reconnectOnReadOnly,
  };
  const lazyConnect = options.lazyConnect ?? false;
  const topology = settings.topology;
  switch (topology.mode) {
    case 'single':
      return new Redis(topology.url, { ...common, lazyConnect });
    case 'sentinel':
      return new Redis({
        ...common,
        lazyConnect,
        sentinels: topology.sentinels,
        name: topology.master,
        ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
        ...(settings.tls ? { sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
        // While the primary is down, ask the Sentinels again at least every second. (ioredis's
        // failoverDetector is left off: a switch announced while it reconnects ends the client for good.)
        retryStrategy: (times) => Math.min(100 * times, 1_000),
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: common,
        lazyConnect,
        retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
        retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
        retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
        // The default (16) gives up after about 5 s; a replica takes over after cluster-node-timeout.
        maxRedirections: CLUSTER_MAX_RETRIES,
        clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
        ...(settings.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      };
      return new Cluster(
        topology.nodes.map((n) => ({ host: n.host, port: n.port })),
        clusterOptions,
      );
    }
  }
}

/** One line for logs: where the bot connects, never a password. */
export function describeRedis(settings: RedisSettings): string {
  const list = (endpoints: RedisEndpoint[]) => endpoints.map(address).join(',');
  const topology = settings.topology;
  const tls = settings.tls ? ' (TLS)' : '';
  if (topology.mode === 'sentinel')
    return `primary "${topology.master}" through Sentinels ${list(topology.sentinels)}${tls}`;
  if (topology.mode === 'cluster') return `cluster of ${list(topology.nodes)}${tls}`;
  const url = URL.canParse(topology.url) ? new URL(topology.url) : undefined;
  return url ? `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}` : 'one node';
}

function address(e: RedisEndpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** Redis as configured cannot be used: every address that failed, and why. */
export class RedisUnreachableError extends Error {
  readonly problems: readonly string[];
  constructor(what: string, problems: readonly string[]) {
    super(`${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RedisUnreachableError';
    this.problems = problems;
  }
}

export interface ReachabilityReport {
  /** Cluster nodes that did not answer while others did (the cluster can still be used), and why. */
  unreachable: string[];
}

/**
 * The start-up check: every Sentinel must answer and know the primary by its name; at least one
 * cluster node must answer, as a cluster node. A single node is not checked here: the bot starts
 * without it and waits (its readiness says so). Throws a RedisUnreachableError listing every problem.
 */
export async function checkRedisReachable(
  settings: RedisSettings,
  timeoutMs = 3_000,
): Promise<ReachabilityReport> {
  const topology = settings.topology;
  if (topology.mode === 'single') return { unreachable: [] };
  if (topology.mode === 'sentinel') {
    const problems = (
      await Promise.all(
        topology.sentinels.map(async (endpoint) => {
          const reply = await ask(
            endpoint,
            settings.sentinelPassword,
            settings.tls,
            timeoutMs,
            (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', topology.master) as Promise<unknown>,
          );
          if (reply instanceof Error)
            return [
              isAuthError(reply)
                ? `Sentinel ${address(endpoint)} refused: wrong or missing password (REDIS_SENTINEL_PASSWORD): ${reply.message}`
                : `Sentinel ${address(endpoint)} is unreachable: ${reply.message}`,
            ];
          if (reply === null)
            return [`Sentinel ${address(endpoint)} monitors no primary named "${topology.master}"`];
          return [];
        }),
      )
    ).flat();
    if (problems.length > 0)
      throw new RedisUnreachableError('Redis Sentinel cannot be used (REDIS_SENTINELS)', problems);
    return { unreachable: [] };
  }
  const answers = await Promise.all(
    topology.nodes.map(async (endpoint) => ({
      endpoint,
      reply: await ask(
        endpoint,
        settings.password,
        settings.tls,
        timeoutMs,
        (c) => c.call('CLUSTER', 'INFO') as Promise<unknown>,
      ),
    })),
  );
  const problems: string[] = [];
  const unreachable: string[] = [];
  for (const { endpoint, reply } of answers) {
    if (!(reply instanceof Error)) continue;
    if (isAuthError(reply))
      problems.push(
        `${address(endpoint)} refused: wrong or missing password (REDIS_PASSWORD): ${reply.message}`,
      );
    else if (reply.name === 'ReplyError')
      problems.push(`${address(endpoint)} is not a cluster node: ${reply.message}`);
    else unreachable.push(`${address(endpoint)} is unreachable: ${reply.message}`);
  }
  if (unreachable.length === answers.length) problems.push(...unreachable);
  if (problems.length > 0)
    throw new RedisUnreachableError('Redis Cluster cannot be used (REDIS_CLUSTER_NODES)', problems);
  return { unreachable };
}

function isAuthError(err: Error): boolean {
  return /^(WRONGPASS|NOAUTH)|invalid password|without any password configured/i.test(err.message);
}

/** Runs one command on one server with a short deadline; the error instead of throwing. */
async function ask(
  endpoint: RedisEndpoint,
  password: string | undefined,
  tls: boolean,
  timeoutMs: number,
  run: (client: Redis) => Promise<unknown>,
): Promise<unknown> {
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    ...(password ? { password } : {}),
    ...(tls ? { tls: {} } : {}),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  // The socket's own error (refused, timed out, a certificate not trusted) says more than the
  // "Connection is closed." that connect() rejects with after it.
  let cause: Error | undefined;
  client.on('error', (err: Error) => {
    cause = err;
  });
  try {
    await client.connect();
    return await run(client);
  } catch (err) {
    if (err instanceof Error && err.name === 'ReplyError') return err;
    return cause ?? (err instanceof Error ? err : new Error(String(err)));
  } finally {
    client.disconnect();
  }
}
