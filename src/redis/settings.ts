/**
 * Where Redis is and how the bot uses it, as the configuration reads it from the environment
 * (config/redis.ts) and the connections here take it.
 */
export interface RedisEndpoint {
  host: string;
  port: number;
}

export type RedisTopology =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: RedisEndpoint[]; master: string }
  | { mode: 'cluster'; nodes: RedisEndpoint[] };

export interface RedisSettings {
  /** The single node's URL (`REDIS_URL`); not used with Sentinel or a cluster. */
  url: string;
  /** BullMQ and store key prefix; the braces make it a Redis Cluster hash tag. */
  prefix: string;
  topology: RedisTopology;
  /** `REDIS_PASSWORD`: the data nodes' password (a single node's may also be in its URL). */
  password?: string;
  /** `REDIS_SENTINEL_PASSWORD`: the Sentinels' own password, when they have one. */
  sentinelPassword?: string;
  /** TLS to the Sentinels and data nodes (`rediss://` entries); a single node says so in its URL. */
  tls: boolean;
  /**
   * After each write of a request's record, wait until this many replicas hold it (Redis WAIT), so
   * a failover cannot undo it. @defaultValue 1 with Sentinel or a cluster, 0 with one node
   */
  replicaAcks: number;
  /** How long to wait for them. @defaultValue 1s */
  replicaAckTimeoutMs: number;
}
