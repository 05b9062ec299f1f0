/**
 * Where Redis is, read from the environment: one node (`REDIS_URL`), a primary managed by
 * Sentinel (`REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER`) or a Redis Cluster (`REDIS_CLUSTER_NODES`),
 * with `REDIS_PASSWORD` (`REDIS_SENTINEL_PASSWORD` for the Sentinels' own) and TLS (`rediss://`),
 * and how many replicas must confirm a request's write before the bot goes on. Pure parsing:
 * reaching the servers is the start-up check in `src/redis`.
 */
import { z } from 'zod';
import type { RedisEndpoint, RedisSettings, RedisTopology } from '../redis/settings.js';
import { parseDuration } from '../units/duration.js';

export type { RedisEndpoint, RedisSettings, RedisTopology };

const ENDPOINT =
  /^(?:(rediss?):\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

interface EndpointList {
  endpoints: RedisEndpoint[];
  tls: boolean;
}

/** Reads `host:port,…` (each optionally `rediss://host:port` for TLS), or lists what is wrong with it. */
function parseEndpointList(name: string, value: string, example: string): EndpointList | string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad: string[] = [];
  const schemes = new Set<string>();
  const endpoints: RedisEndpoint[] = [];
  for (const entry of entries) {
    const match = ENDPOINT.exec(entry);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65_535) {
      bad.push(entry);
      continue;
    }
    schemes.add(match[1] ?? 'redis');
    const host = (match[2] as string).replace(/^\[(.*)\]$/, '$1');
    if (!endpoints.some((e) => e.host === host && e.port === port)) endpoints.push({ host, port });
  }
  const problems: string[] = [];
  if (bad.length > 0 || entries.length === 0) {
    problems.push(
      `${name} must be host:port pairs separated by commas, such as ${example}${bad.length ? ` (not: ${bad.join(', ')})` : ''}`,
    );
  }
  if (schemes.size > 1) {
    problems.push(`${name} mixes rediss:// and plain entries: TLS is used for all of them or for none`);
  }
  return problems.length > 0 ? problems : { endpoints, tls: schemes.has('rediss') };
}

function endpointList(name: string, example: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const parsed = parseEndpointList(name, value, example);
      if (Array.isArray(parsed)) {
        for (const message of parsed) ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return parsed;
    });
}

/** The Redis variables, merged into the configuration's schema. */
export const redisEnvSchema = {
  REDIS_SENTINELS: endpointList('REDIS_SENTINELS', 'sentinel-0:26379,sentinel-1:26379,sentinel-2:26379'),
  REDIS_SENTINEL_MASTER: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^[A-Za-z0-9._-]{1,64}$/.test(v), {
      message:
        'REDIS_SENTINEL_MASTER must be the name Sentinel monitors the primary by (letters, digits, ".", "_", "-"), such as mymaster',
    }),
  REDIS_CLUSTER_NODES: endpointList('REDIS_CLUSTER_NODES', 'redis-0:6379,redis-1:6379,redis-2:6379'),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_WAIT_REPLICAS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(value) || Number(value) > 10) {
        ctx.addIssue({
          code: 'custom',
          message: `REDIS_WAIT_REPLICAS must be a whole number from 0 to 10 (got "${value}")`,
        });
        return z.NEVER;
      }
      return Number(value);
    }),
  REDIS_WAIT_TIMEOUT: z
    .string()
    .default('1s')
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0 || ms > 60_000) {
        ctx.addIssue({
          code: 'custom',
          message: `REDIS_WAIT_TIMEOUT must be a duration from 1ms to 60s, such as 500ms or 1s (got "${value}")`,
        });
        return z.NEVER;
      }
      return Math.round(ms);
    }),
};

interface ParsedRedisEnv {
  REDIS_URL: string;
  REDIS_PREFIX: string;
  REDIS_SENTINELS?: EndpointList | undefined;
  REDIS_SENTINEL_MASTER?: string | undefined;
  REDIS_CLUSTER_NODES?: EndpointList | undefined;
  REDIS_PASSWORD?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  REDIS_WAIT_REPLICAS?: number | undefined;
  REDIS_WAIT_TIMEOUT: number;
}

/** Problems between the Redis variables; `raw` counts a variable as set even when it is malformed. */
export function redisProblems(raw: Record<string, string>): string[] {
  const problems: string[] = [];
  const sentinels = raw.REDIS_SENTINELS !== undefined;
  const cluster = raw.REDIS_CLUSTER_NODES !== undefined;
  const master = raw.REDIS_SENTINEL_MASTER !== undefined;
  if (sentinels && cluster) {
    problems.push(
      'REDIS_SENTINELS and REDIS_CLUSTER_NODES are both set: Redis is either a primary managed by Sentinel or a cluster, set one of them',
    );
  }
  if (sentinels && !master) {
    problems.push(
      'REDIS_SENTINELS is set without REDIS_SENTINEL_MASTER: name the primary the Sentinels monitor (its "sentinel monitor <name>")',
    );
  }
  if (master && !sentinels) {
    problems.push('REDIS_SENTINEL_MASTER is set without REDIS_SENTINELS: list the Sentinels as host:port,…');
  }
  if (raw.REDIS_SENTINEL_PASSWORD !== undefined && !sentinels) {
    problems.push(
      "REDIS_SENTINEL_PASSWORD is set without REDIS_SENTINELS: it is the Sentinels' own password",
    );
  }
  return problems;
}

export function buildRedisSettings(e: ParsedRedisEnv): RedisSettings {
  const password = e.REDIS_PASSWORD;
  const sentinelPassword = e.REDIS_SENTINEL_PASSWORD;
  let topology: RedisTopology = { mode: 'single', url: e.REDIS_URL };
  let tls = e.REDIS_URL.startsWith('rediss://');
  if (e.REDIS_SENTINELS && e.REDIS_SENTINEL_MASTER) {
    topology = { mode: 'sentinel', sentinels: e.REDIS_SENTINELS.endpoints, master: e.REDIS_SENTINEL_MASTER };
    tls = e.REDIS_SENTINELS.tls;
  } else if (e.REDIS_CLUSTER_NODES) {
    topology = { mode: 'cluster', nodes: e.REDIS_CLUSTER_NODES.endpoints };
    tls = e.REDIS_CLUSTER_NODES.tls;
  }
  return {
    url: e.REDIS_URL,
    prefix: e.REDIS_PREFIX,
    topology,
    ...(password ? { password } : {}),
    ...(sentinelPassword && topology.mode === 'sentinel' ? { sentinelPassword } : {}),
    tls,
    replicaAcks: e.REDIS_WAIT_REPLICAS ?? (topology.mode === 'single' ? 0 : 1),
    replicaAckTimeoutMs: e.REDIS_WAIT_TIMEOUT,
  };
}

/** Secret parts of the Redis settings (the password, also one written into REDIS_URL). */
export function redisSecrets(settings: RedisSettings): string[] {
  const secrets = [settings.password, settings.sentinelPassword].filter((s): s is string => s !== undefined);
  if (URL.canParse(settings.url)) {
    const inUrl = decodeURIComponent(new URL(settings.url).password);
    if (inUrl) secrets.push(inUrl);
  }
  return secrets;
}
