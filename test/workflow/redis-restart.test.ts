import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../support/private-redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, seededVpc, startWorkflowHarness } from '../support/workflow.js';

let redisServer: Awaited<ReturnType<typeof startPrivateRedis>>;
let redis: Redis;
let sim: TestSimulator;

beforeAll(async () => {
  redisServer = await startPrivateRedis();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // expected while the server is down
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 2_000 });
});
afterAll(async () => {
  redis.disconnect();
  await sim.close();
  await redisServer.close();
});

describe('Redis restarting while gateways are provisioning', () => {
  it('loses no request and creates no extra gateway', async () => {
    const harness = startWorkflowHarness({
      redis,
      prefix: '{gw-restart}',
      sim,
      polling: { provisionTimeoutMs: 60_000 },
      // While Redis is down the workers' connections fail, and a job running across the restart
      // can lose its lock (BullMQ then hands it out again, which this test's assertions cover).
      // Any other error, a failed cloud call or a broken step, still fails the test.
      expectedErrors: (e) =>
        (!e.jobId && /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection is closed/.test(e.message)) ||
        /^Missing lock for job /.test(e.message),
    });
    try {
      const vpcId = await seededVpc(harness.vpc);
      const requests = [
        ...(await Promise.all([1, 2, 3].map((i) => harness.submitVpn(vpcId, { Name: `vpn${i}` })))),
        ...(await Promise.all([1, 2, 3].map((i) => harness.submitCustomer(`47.40.0.${i}`)))),
      ];
      for (const r of requests) await harness.waitFor(r.id, (x) => x.preflight !== undefined);
      await Promise.all(requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD1' })));
      const vpnIds = requests.slice(0, 3).map((r) => r.id);
      await Promise.all(vpnIds.map((id) => harness.waitFor(id, (x) => x.state === 'provisioning')));

      await redisServer.restart(500);

      const done = await Promise.all(
        requests.map((r) =>
          harness.waitFor(r.id, (x) => x.state === 'succeeded' || x.state === 'failed', 40_000),
        ),
      );
      expect(done.map((r) => r.state)).toEqual(requests.map(() => 'succeeded'));
      const state = sim.state();
      for (const r of requests) {
        expect(
          [...state.vpnGateways, ...state.customerGateways].filter((g) => g.ClientToken === r.id),
          r.id,
        ).toHaveLength(1);
      }
    } finally {
      await harness.close();
    }
  }, 90_000);
});
