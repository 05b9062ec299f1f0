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
  /** Every key under the prefix and every value in it, whatever its type, as text: to search for a secret. */
  everyValue(): Promise<string[]>;
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
  /** Keys under the prefix and the prefixes derived from it (`{t-x-1234-ttl}`): the random part is unique. */
  async function* keys(): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix.slice(0, -1)}*`, 'COUNT', 500);
      cursor = next;
      yield batch;
    } while (cursor !== '0');
  }
  return {
    redis,
    prefix,
    connect,
    async everyValue() {
      const values: string[] = [];
      for await (const batch of keys()) {
        for (const key of batch) {
          const type = await redis.type(key);
          if (type === 'string') values.push(String(await redis.get(key)));
          else if (type === 'hash') values.push(JSON.stringify(await redis.hgetall(key)));
          else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
          else if (type === 'set') values.push(...(await redis.smembers(key)));
          else if (type === 'zset') values.push(...(await redis.zrange(key, 0, -1)));
          else if (type === 'stream') values.push(JSON.stringify(await redis.xrange(key, '-', '+')));
          values.push(key);
        }
      }
      return values;
    },
    async cleanup() {
      for await (const batch of keys()) if (batch.length > 0) await redis.del(...batch);
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
