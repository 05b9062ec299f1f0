/**
 * Reading where Redis is from the environment: one node, Sentinel or a cluster, passwords, TLS and
 * replica confirmation, with every problem listed at once (and no password in any of them).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../../src/config/index.js';
import { describeRedis } from '../../src/redis/index.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis configuration', () => {
  it('is one node by default, without waiting for replicas', () => {
    const { redis } = loadConfig({});
    expect(redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      prefix: '{gw}',
      topology: { mode: 'single', url: 'redis://127.0.0.1:6379' },
      tls: false,
      replicaAcks: 0,
      replicaAckTimeoutMs: 1_000,
      configured: false,
    });
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example:6380' }).redis.tls).toBe(true);
  });

  it('reads a Sentinel group, its primary name and both passwords, and waits for one replica', () => {
    const { redis } = loadConfig({
      REDIS_SENTINELS: 'sentinel-0:26379, sentinel-1:26379,sentinel-0:26379,10.0.0.7:26380',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_PASSWORD: 'data-password',
      REDIS_SENTINEL_PASSWORD: 'sentinel-password',
      REDIS_WAIT_TIMEOUT: '250ms',
    });
    expect(redis).toMatchObject({
      topology: {
        mode: 'sentinel',
        master: 'mymaster',
        sentinels: [
          { host: 'sentinel-0', port: 26379 },
          { host: 'sentinel-1', port: 26379 },
          { host: '10.0.0.7', port: 26380 },
        ],
      },
      password: 'data-password',
      sentinelPassword: 'sentinel-password',
      tls: false,
      replicaAcks: 1,
      replicaAckTimeoutMs: 250,
    });
  });

  it('reads cluster nodes, TLS from rediss:// entries, IPv6 addresses, and a chosen replica count', () => {
    const { redis } = loadConfig({
      REDIS_CLUSTER_NODES: 'rediss://redis-0.redis:6379,rediss://[fd00::7]:6379',
      REDIS_WAIT_REPLICAS: '2',
    });
    expect(redis).toMatchObject({
      topology: {
        mode: 'cluster',
        nodes: [
          { host: 'redis-0.redis', port: 6379 },
          { host: 'fd00::7', port: 6379 },
        ],
      },
      tls: true,
      replicaAcks: 2,
    });
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:1', REDIS_WAIT_REPLICAS: '0' }).redis.replicaAcks).toBe(0);
  });

  it('lists every problem at once: both shapes, a missing primary name, bad addresses, mixed TLS, no hash tag', () => {
    const problems = problemsOf({
      REDIS_SENTINELS: 'sentinel-0:26379,sentinel-1,host:99999,rediss://s2:26379',
      REDIS_CLUSTER_NODES: 'redis-0:6379,:6379',
      REDIS_PREFIX: 'gw',
      REDIS_WAIT_REPLICAS: 'one',
      REDIS_WAIT_TIMEOUT: 'soon',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^REDIS_SENTINELS must be host:port pairs .*\(not: sentinel-1, host:99999\)$/),
        expect.stringMatching(/^REDIS_SENTINELS mixes rediss:\/\/ and plain entries/),
        expect.stringMatching(/^REDIS_CLUSTER_NODES must be host:port pairs .*\(not: :6379\)$/),
        expect.stringMatching(/^REDIS_SENTINELS and REDIS_CLUSTER_NODES are both set/),
        expect.stringMatching(/^REDIS_SENTINELS is set without REDIS_SENTINEL_MASTER/),
        expect.stringMatching(/^REDIS_PREFIX must be a Redis Cluster hash tag/),
        expect.stringMatching(/^REDIS_WAIT_REPLICAS must be a whole number/),
        expect.stringMatching(/^REDIS_WAIT_TIMEOUT must be a duration/),
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('refuses a primary name or a Sentinel password without Sentinels', () => {
    expect(problemsOf({ REDIS_SENTINEL_MASTER: 'mymaster', REDIS_SENTINEL_PASSWORD: 'pw' })).toEqual([
      'REDIS_SENTINEL_MASTER is set without REDIS_SENTINELS: list the Sentinels as host:port,…',
      "REDIS_SENTINEL_PASSWORD is set without REDIS_SENTINELS: it is the Sentinels' own password",
    ]);
    expect(problemsOf({ REDIS_SENTINELS: '', REDIS_SENTINEL_MASTER: 'mymaster' })).toHaveLength(1);
  });

  it('keeps passwords out of logs: scrubbed as secrets, absent from the description', () => {
    const config = loadConfig({
      REDIS_SENTINELS: 's:26379',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_PASSWORD: 'data-pw-123',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw-456',
    });
    expect(secretsOf(config)).toEqual(expect.arrayContaining(['data-pw-123', 'sentinel-pw-456']));
    expect(describeRedis(config.redis)).toBe('primary "mymaster" through Sentinels s:26379');
    const single = loadConfig({ REDIS_URL: 'redis://:url-pw%2F789@cache:6379/2' });
    expect(secretsOf(single)).toContain('url-pw/789');
    expect(describeRedis(single.redis)).toBe('redis://cache:6379/2');
    expect(describeRedis(loadConfig({ REDIS_CLUSTER_NODES: 'rediss://a:1,rediss://b:2' }).redis)).toBe(
      'cluster of a:1,b:2 (TLS)',
    );
  });
});
