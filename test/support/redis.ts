/**
 * Real Redis for tests, each file under a unique hash-tagged prefix. `cleanup` deletes only the
 * keys under that prefix and prefixes derived from it (this file's own), never anything else.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/index.js';
import { connectRedis, type RedisClient } from '../../src/redis/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The shared test server, read as the bot reads it. */
const SETTINGS = loadConfig({ REDIS_URL }).redis;

export interface TestRedis {
  redis: RedisClient;
  /** `{t-<random>}`: braces keep every key in one Cluster slot, as in production. */
  prefix: string;
  /** A fresh connection to the same server, for workers and queues that need their own. */
  connect(options?: { maxRetriesPerRequest?: number | null }): RedisClient;
  cleanup(): Promise<void>;
}

export function testRedis(label: string): TestRedis {
  const prefix = `{t-${label}-${randomBytes(4).toString('hex')}}`;
  const connections: RedisClient[] = [];
  const connect = (options: { maxRetriesPerRequest?: number | null } = {}) => {
    const connection = connectRedis(SETTINGS, options);
    connections.push(connection);
    return connection;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    async cleanup() {
      let cursor = '0';
      do {
        // Also the derived prefixes a file makes from its own (`{t-x-1234-ttl}`): the random part is unique.
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.slice(0, -1)}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
