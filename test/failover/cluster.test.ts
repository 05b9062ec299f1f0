/**
 * Failover without loss on Redis Cluster: requests through a bot process and two worker
 * processes while the primary that serves the prefix's slot is killed with SIGKILL and one of its
 * replicas takes over. No request is lost, no gateway is made twice, every outcome is announced
 * exactly once. `npm run test:failover` runs 100 requests (FAILOVER_REQUESTS); `npm run test:suites`
 * a small run.
 *
 * Three primaries with two replicas each, append-only and `min-replicas-to-write 1` as docs/operations.md
 * says; the bot waits for one replica to confirm each request write (the default on a cluster).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FailoverReport, runFailover } from '../support/failover.js';
import {
  PRODUCTION_REPLICATION,
  type RedisClusterHandle,
  startRedisCluster,
} from '../support/redis-servers.js';

const REQUESTS = Number(process.env.FAILOVER_REQUESTS ?? 12);
const PREFIX = '{gw-failover-cluster}';
let cluster: RedisClusterHandle;

beforeAll(async () => {
  cluster = await startRedisCluster({
    primaries: 3,
    replicasPerPrimary: 2,
    nodeConfig: PRODUCTION_REPLICATION,
    // As in production, longer than Slack's 3 s deadline: submissions during the failover time out.
    nodeTimeoutMs: 5_000,
  });
}, 60_000);
afterAll(async () => {
  await cluster?.close();
});

describe(`failover on Redis Cluster: ${REQUESTS} requests, the prefix's primary SIGKILLed`, () => {
  it('loses no request, makes no gateway twice and announces every outcome exactly once', async () => {
    const report: FailoverReport = await runFailover({
      redisEnv: { REDIS_CLUSTER_NODES: cluster.nodeList },
      prefix: PREFIX,
      requests: REQUESTS,
      failover: () => cluster.failover(PREFIX),
    });
    console.log(`failover suite (Cluster): ${JSON.stringify(report)}`);
    expect(report.lost).toBe(0);
    expect(report.duplicateRequests).toBe(0);
    expect(report.duplicateGateways).toBe(0);
    expect(report.announcedOnce).toBe(REQUESTS);
    expect(report.succeeded).toBe(REQUESTS);
    expect(report.brokenTrails).toEqual([]);
  }, 600_000);
});
