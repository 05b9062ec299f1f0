/**
 * The provisioning worker under pacing: a create whose slot is further away than a worker waits is
 * held back with `Throttling.Local`, its slot kept for its ClientToken; the step machine's delayed
 * retry brings it back when the slot is due, and the simulator, enforcing the same limit, never
 * throttles. Time held back is not the cloud's: `PROVISION_TIMEOUT` (3 s here, shorter than every
 * burst below) counts from the first call sent, and a long wait is said in the thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudError,
  createVpcClient,
  LOCAL_THROTTLING_CODE,
  RateLimiter,
  type VpcClient,
} from '../../src/cloud/index.js';
import { QUEUED_NOTICE_MS } from '../../src/workflow/provision-steps.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('wf-pacing');
// Two creates per 4 s: one slot every 2.2 s, further than the 1 s this worker waits.
const LIMITS = { CreateCustomerGateway: { limit: 2, periodMs: 4_000 } };
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
const failFirstCreate = new Set<string>();

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, rateLimits: LIMITS });
  const limiter = new RateLimiter({ redis: t.redis, prefix: t.prefix, limits: LIMITS });
  const paced = createVpcClient({
    ...SIM_KEY,
    endpoint: sim.url,
    timeoutMs: 2_000,
    pace: limiter.pacer({ maxWaitMs: 1_000 }),
  });
  // The cloud fails the first create of each request named in `failFirstCreate` (ServiceUnavailable).
  const vpc: VpcClient = {
    call: (action, params) => {
      const token = String((params as { ClientToken?: string }).ClientToken ?? '');
      if (action === 'CreateCustomerGateway' && failFirstCreate.delete(token))
        return Promise.reject(new CloudError({ code: 'ServiceUnavailable', action, httpStatus: 503 }));
      return paced.call(action, params);
    },
  };
  harness = startWorkflowHarness({
    redis: t.redis,
    prefix: t.prefix,
    sim,
    vpc,
    polling: { maxIntervalMs: 2_000, provisionTimeoutMs: 3_000 },
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

  it('fails no create for the time it was held back, and says a long wait once, with the calls before it', async () => {
    // Seven creates at once, a slot every 2.2 s: the last goes about 13 s after the first, four
    // times PROVISION_TIMEOUT, and the last ones wait longer than the notice's 10 s.
    const ips = Array.from({ length: 7 }, (_, i) => `47.98.0.${i + 1}`);
    const requests = await Promise.all(ips.map((ip) => harness.submitCustomer(ip)));
    for (const r of requests) await harness.waitFor(r.id, (x) => x.preflight !== undefined);
    // The first create of one fails: its time limit runs from then, and its retry, taking the next
    // free slot behind the others, is held back past it. The time held back is still not counted.
    const failed = requests[0] as (typeof requests)[number];
    failFirstCreate.add(failed.id);
    await Promise.all(requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD1' })));
    const done = await Promise.all(
      requests.map((r) =>
        harness.waitFor(r.id, (x) => x.state === 'succeeded' || x.state === 'failed', 40_000),
      ),
    );
    expect(done.map((r) => [r.state, r.error?.code])).toEqual(requests.map(() => ['succeeded', undefined]));
    for (const r of requests)
      expect(sim.state().customerGateways.filter((g) => g.ClientToken === r.id)).toHaveLength(1);
    expect(sim.throttles()).toEqual([]);
    expect(failFirstCreate.size).toBe(0);
    const failedTrail = await harness.store.auditTrail(failed.id);
    expect(failedTrail.filter((e) => e.details?.code === 'ServiceUnavailable')).toHaveLength(1);
    const held = failedTrail.filter((e) => e.details?.code === LOCAL_THROTTLING_CODE);
    expect(held.length).toBeGreaterThan(0);
    expect(Math.max(...held.map((e) => Number(e.details?.slotInMs)))).toBeGreaterThan(3_000);

    // The ones whose slot was 10 s or more away were told so, once each, with where they stood.
    const queued = done.filter((r) => r.queued);
    expect(queued.length).toBeGreaterThanOrEqual(1);
    for (const r of queued) {
      const q = r.queued as NonNullable<typeof r.queued>;
      expect(q.sendAt - q.at).toBeGreaterThanOrEqual(QUEUED_NOTICE_MS);
      // The calls before it: the creates the cloud received between the notice and its own.
      const own = sim
        .requests()
        .find((c) => c.action === 'CreateCustomerGateway' && c.params.ClientToken === r.id);
      const between = sim
        .requests()
        .filter((c) => c.action === 'CreateCustomerGateway' && c.at > q.at && c.at < (own?.at ?? 0));
      expect(Math.abs(between.length - q.ahead)).toBeLessThanOrEqual(1);
      expect(q.regionId).toBe('cn-hangzhou');
      const trail = await harness.store.auditTrail(r.id);
      expect(trail.filter((e) => e.details?.ahead === q.ahead && e.action === 'create_retry')).toHaveLength(
        1,
      );
    }
    await expect
      .poll(() => done.map((r) => harness.notifier.events(r.id).filter((e) => e === 'queued').length))
      .toEqual(done.map((r) => (r.queued ? 1 : 0)));
  }, 60_000);
});
