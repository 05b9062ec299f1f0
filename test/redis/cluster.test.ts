/**
 * The workflow on a Redis Cluster of three primaries, each with a replica, started here from
 * Debian's redis-server: requests run to an announced result through BullMQ and the request
 * store on ioredis's Cluster client; every key the store writes lands in the prefix's one slot
 * (a cluster refuses a script whose keys span slots, which is checked too); and a list of nodes
 * none of which answers as a cluster node stops the bot at start.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import {
  checkRedisReachable,
  connectRedis,
  type RedisClient,
  RedisUnreachableError,
} from '../../src/redis/index.js';
import { freePort } from '../support/private-redis.js';
import { REDIS_URL } from '../support/redis.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-servers.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, seededVpc, startWorkflowHarness } from '../support/workflow.js';

const PREFIX = '{gw-cluster}';
let cluster: RedisClusterHandle;
let sim: TestSimulator;
let redis: RedisClient;

beforeAll(async () => {
  cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 300 });
  redis = connectRedis(loadConfig({ REDIS_CLUSTER_NODES: cluster.nodeList, REDIS_PREFIX: PREFIX }).redis);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await sim?.close();
  await cluster?.close();
});

describe('Redis Cluster', () => {
  it('takes a VPN gateway and a customer gateway to an announced result, every key in one slot', async () => {
    expect(redis).toBeInstanceOf(Cluster);
    const harness = startWorkflowHarness({
      redis,
      prefix: PREFIX,
      sim,
      replicaAcks: { replicas: 1, timeoutMs: 2_000 },
    });
    try {
      const vpcId = await seededVpc(harness.vpc);
      const requests = [
        await harness.submitVpn(vpcId, { Name: 'cluster-vpn' }),
        await harness.submitCustomer('47.62.0.1'),
      ];
      for (const r of requests) await harness.waitFor(r.id, (x) => x.preflight !== undefined);
      for (const r of requests)
        expect((await harness.workflow.approve(r.id, { userId: 'U0LEAD1' })).ok).toBe(true);
      const done = await Promise.all(
        requests.map((r) => harness.waitFor(r.id, (x) => x.state === 'succeeded' || x.state === 'failed')),
      );
      expect(done.map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
      for (const r of requests) {
        await expect
          .poll(() => harness.notifier.events(r.id).filter((e) => e === 'succeeded'))
          .toHaveLength(1);
        const made = [...sim.state().vpnGateways, ...sim.state().customerGateways].filter(
          (g) => g.ClientToken === r.id,
        );
        expect(made).toHaveLength(1);
      }
      // A click on a finished request is refused and audited (the store's other script).
      const late = await harness.workflow.approve(requests[1]?.id as string, { userId: 'U0LEAD2' });
      expect(late.ok).toBe(false);
      const trail = await harness.store.auditTrail(requests[1]?.id as string);
      expect(trail.at(-1)).toMatchObject({ actor: 'U0LEAD2', refused: expect.any(String) });
      expect(harness.errors).toEqual([]);
    } finally {
      await harness.close();
    }

    // Every key the store and the queues wrote is in the prefix's one slot.
    const owner = await cluster.primaryFor(PREFIX);
    const slot = await owner.command((c) => c.call('CLUSTER', 'KEYSLOT', PREFIX) as Promise<number>);
    const keys = await owner.command(async (c) => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await c.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 500);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
      return found;
    });
    // Request records, audit trails, indexes and BullMQ's queues all written above.
    for (const fragment of [
      ':req:',
      ':audit',
      ':updated',
      ':channel:',
      ':resource:',
      ':provision:',
      ':watch:',
      ':notify:',
      ':maintenance:',
    ]) {
      expect(
        keys.some((k) => k.includes(fragment)),
        fragment,
      ).toBe(true);
    }
    const slots = await owner.command((c) =>
      Promise.all(keys.map((k) => c.call('CLUSTER', 'KEYSLOT', k) as Promise<number>)),
    );
    expect(new Set(slots)).toEqual(new Set([slot]));
    // The check can fail: a cluster refuses a script whose keys live in two slots.
    await expect(redis.eval("return redis.call('GET', KEYS[2])", 2, '{gw-a}x', '{gw-b}y')).rejects.toThrow(
      /CROSSSLOT/,
    );
  });

  it('refuses to start when no node answers, listing each, and when a node is not a cluster node', async () => {
    const dead = [await freePort(), await freePort()].map((p) => `127.0.0.1:${p}`);
    const none = await checkRedisReachable(loadConfig({ REDIS_CLUSTER_NODES: dead.join(',') }).redis).then(
      () => undefined,
      (err: unknown) => err as RedisUnreachableError,
    );
    expect(none).toBeInstanceOf(RedisUnreachableError);
    expect(none?.problems).toEqual([
      expect.stringContaining(`${dead[0]} is unreachable`),
      expect.stringContaining(`${dead[1]} is unreachable`),
    ]);

    const some = await checkRedisReachable(
      loadConfig({ REDIS_CLUSTER_NODES: `${dead[0]},${cluster.nodes[0]?.address}` }).redis,
    );
    expect(some.unreachable).toEqual([expect.stringContaining(`${dead[0]} is unreachable`)]);

    const single = new URL(REDIS_URL);
    const notCluster = await checkRedisReachable(
      loadConfig({
        REDIS_CLUSTER_NODES: `${single.hostname}:${single.port || 6379},${cluster.nodes[0]?.address}`,
      }).redis,
    ).then(
      () => undefined,
      (err: unknown) => err as RedisUnreachableError,
    );
    expect(notCluster?.problems).toEqual([
      expect.stringMatching(/is not a cluster node: .*cluster support disabled/),
    ]);
  });
});
