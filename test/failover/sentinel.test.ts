/**
 * Failover without loss on Redis Sentinel: requests through a bot process and two worker
 * processes while the primary is killed with SIGKILL and Sentinel promotes a replica. No request
 * is lost, no gateway is made twice, every outcome is announced exactly once. `npm run
 * test:failover` runs 100 requests (FAILOVER_REQUESTS); `npm test` a small run.
 *
 * The data nodes run as docs/operations.md says: append-only, `min-replicas-to-write
 * 1`, a primary with two replicas (so the new primary still has one), and the bot waits for one
 * replica to confirm each request write (REDIS_WAIT_REPLICAS, 1 by default with Sentinel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FailoverReport, runFailover } from '../support/failover.js';
import { PRODUCTION_REPLICATION, type SentinelGroup, startSentinelGroup } from '../support/redis-servers.js';

const REQUESTS = Number(process.env.FAILOVER_REQUESTS ?? 12);
const PREFIX = '{gw-failover-sentinel}';
let group: SentinelGroup;

beforeAll(async () => {
  group = await startSentinelGroup({
    replicas: 2,
    password: 'failover-password',
    nodeConfig: PRODUCTION_REPLICATION,
    // As in production, longer than Slack's 3 s deadline: submissions during the failover time out.
    downAfterMs: 5_000,
  });
}, 60_000);
afterAll(async () => {
  await group?.close();
});

describe(`failover on Sentinel: ${REQUESTS} requests, the primary SIGKILLed`, () => {
  it('loses no request, makes no gateway twice and announces every outcome exactly once', async () => {
    const report: FailoverReport = await runFailover({
      redisEnv: {
        REDIS_SENTINELS: group.sentinelList,
        REDIS_SENTINEL_MASTER: group.master,
        REDIS_PASSWORD: 'failover-password',
      },
      prefix: PREFIX,
      requests: REQUESTS,
      failover: () => group.failover(),
    });
    console.log(`failover suite (Sentinel): ${JSON.stringify(report)}`);
    expect(report.lost).toBe(0);
    expect(report.duplicateRequests).toBe(0);
    expect(report.duplicateGateways).toBe(0);
    expect(report.announcedOnce).toBe(REQUESTS);
    expect(report.succeeded).toBe(REQUESTS);
    expect(report.brokenTrails).toEqual([]);
  }, 600_000);
});
