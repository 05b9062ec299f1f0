/**
 * The provisioning worker under pacing: a create whose slot is further away than a worker waits is
 * held back with `Throttling.Local`, its slot kept for its ClientToken; the step machine's delayed
 * retry brings it back when the slot is due, and the simulator, enforcing the same limit, never
 * throttles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVpcClient, LOCAL_THROTTLING_CODE, RateLimiter } from '../../src/cloud/index.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('wf-pacing');
// Two creates per 4 s: one slot every 2.2 s, further than the 1 s this worker waits.
const LIMITS = { CreateCustomerGateway: { limit: 2, periodMs: 4_000 } };
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, rateLimits: LIMITS });
  const limiter = new RateLimiter({ redis: t.redis, prefix: t.prefix, limits: LIMITS });
  const vpc = createVpcClient({
    ...SIM_KEY,
    endpoint: sim.url,
    timeoutMs: 2_000,
    pace: limiter.pacer({ maxWaitMs: 1_000 }),
  });
  harness = startWorkflowHarness({
    redis: t.redis,
    prefix: t.prefix,
    sim,
    vpc,
    polling: { maxIntervalMs: 2_000, provisionTimeoutMs: 60_000 },
  });
});
afterAll(async () => {
  sim.expectConformance();
  await harness.close();
  await sim.close();
  await t.cleanup();
});

describe('provisioning under pacing', () => {
  it('holds back creates beyond the wait bound and retries them until each has its gateway', async () => {
    const requests = await Promise.all(
      ['47.97.0.1', '47.97.0.2', '47.97.0.3'].map((ip) => harness.submitCustomer(ip)),
    );
    for (const r of requests) await harness.waitFor(r.id, (x) => x.preflight !== undefined);
    await Promise.all(requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD1' })));
    const done = await Promise.all(
      requests.map((r) => harness.waitFor(r.id, (x) => x.state === 'succeeded', 30_000)),
    );
    expect(done.map((r) => r.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const r of requests)
      expect(sim.state().customerGateways.filter((g) => g.ClientToken === r.id)).toHaveLength(1);
    expect(sim.throttles()).toEqual([]);

    // Each create beyond the first was held back once, kept its slot, and came back for it.
    const trails = await Promise.all(requests.map((r) => harness.store.auditTrail(r.id)));
    const retries = trails.map((trail) => trail.filter((e) => e.action === 'create_retry'));
    expect(retries.map((r) => r.length).sort()).toEqual([0, 1, 1]);
    expect(retries.flat().every((e) => e.details?.code === LOCAL_THROTTLING_CODE)).toBe(true);
    // Held-back calls never reached the cloud: one create per request, a slot apart.
    const creates = sim
      .requests()
      .filter((r) => r.action === 'CreateCustomerGateway')
      .map((r) => r.at);
    expect(creates).toHaveLength(3);
    expect((creates[1] as number) - (creates[0] as number)).toBeGreaterThan(2_200 - 100);
    expect((creates[2] as number) - (creates[1] as number)).toBeGreaterThan(2_200 - 100);
  }, 60_000);
});
