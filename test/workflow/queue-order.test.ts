/**
 * A create held back by pacing keeps its slot and comes back for it shortly before it is due. It
 * must then be taken before the first attempts still queued: behind a burst of them it would come
 * back after its slot had passed, lose it, and be held back again. Here every first attempt is
 * slowed by its preflight re-check, as paced describes slow it in a real burst.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVpcClient, PacingDeferredError } from '../../src/cloud/index.js';
import { type ResourceCloud, vpcResourceCloud } from '../../src/workflow/resource-cloud.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('wf-queue-order');
const REQUESTS = 80;
/** How long each preflight list call takes: ten worker slots take first attempts at about 30/s. */
const RECHECK_MS = 300;
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
/** Each create call's ClientToken, in the order the calls were made. */
const creates: string[] = [];
let heldBack: string | undefined;
let slowChecks = false;

beforeAll(async () => {
  sim = await startTestSimulator(SIM_KEY);
  const real = createVpcClient({ ...SIM_KEY, endpoint: sim.url, timeoutMs: 2_000 });
  const vpc = {
    ...real,
    call: async <T>(action: string, params: Parameters<typeof real.call>[1]) => {
      if (slowChecks && action === 'DescribeCustomerGateways')
        await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
      return real.call<T>(action, params);
    },
  } as typeof real;
  const cloud = vpcResourceCloud(vpc);
  // The first create is held back, its slot 200 ms away; every other call goes through.
  const held: ResourceCloud = {
    ...cloud,
    create: async (resource, params, clientToken) => {
      creates.push(clientToken);
      if (heldBack === undefined) {
        heldBack = clientToken;
        const call = { action: resource.create.action, regionId: 'cn-hangzhou', clientToken };
        throw new PacingDeferredError(call, { slotInMs: 200, ahead: 0, limit: '120/min' }, 200, true);
      }
      return cloud.create(resource, params, clientToken);
    },
  };
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, vpc, cloud: held });
});
afterAll(async () => {
  await harness.close();
  await sim.close();
  await t.cleanup();
});

describe('the provisioning queue', () => {
  it('takes a create coming back for its held slot before the first attempts still waiting', async () => {
    const requests: ResourceRequest[] = [];
    for (let i = 0; i < REQUESTS; i++) requests.push(await harness.submitCustomer(`47.98.1.${i + 1}`));
    for (const r of requests) await harness.waitFor(r.id, (x) => x.preflight !== undefined);
    slowChecks = true;
    await Promise.all(requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD1' })));
    const done = await Promise.all(
      requests.map((r) => harness.waitFor(r.id, (x) => x.state === 'succeeded', 60_000)),
    );
    expect(done.every((r) => r.state === 'succeeded')).toBe(true);
    expect(creates).toHaveLength(REQUESTS + 1);

    const again = creates.lastIndexOf(heldBack as string);
    expect(creates.indexOf(heldBack as string)).toBe(0);
    // First attempts take about 2.4 s in all (80 × 300 ms over ten slots); the return is due after
    // 0.5 s. Queued behind the first attempts still waiting then, it would come after 50 of them or
    // more; taken first, it comes with the second or third batch of ten.
    expect(again).toBeLessThan(REQUESTS / 2);
    const trail = await harness.store.auditTrail(heldBack as string);
    expect(trail.filter((e) => e.action === 'create_retry')).toHaveLength(1);
  }, 90_000);
});
