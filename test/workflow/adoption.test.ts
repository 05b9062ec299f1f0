/**
 * Adoption in the workflow, against the simulator and real Redis: a gateway made in the console is
 * taken over as it is (its bandwidth the baseline its drift is measured from, nothing said while
 * it stays so); one gone before the approval fails in plain words and is followed by nobody; a
 * resource the bot already holds in the channel is not adopted again.
 */
import { describe, expect, it } from 'vitest';
import {
  activeGateway,
  SINGLE_TUNNEL_REGION,
  seededVpc,
  useWorkflowOnSimulator,
} from '../support/workflow.js';

const REGION = SINGLE_TUNNEL_REGION;
const HEALTH_MS = 150;
const file = useWorkflowOnSimulator('wf-adoption', {
  simulator: { provisionTimeMs: 100, deleteTimeMs: 100 },
  // A create's time limit short enough to run out in a test (nothing else here provisions).
  polling: { settleWindowMs: 200, healthIntervalMs: HEALTH_MS, provisionTimeoutMs: 800 },
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** `/gateway adopt <id>` typed by U0ASKER in a channel (C0NET unless said). */
const ask = (resourceId: string, channelId = 'C0NET') =>
  file.h.workflow.submitAdopt({ resourceId, requester: { userId: 'U0ASKER' }, channelId, locale: 'en' });

const consoleGateway = () => activeGateway(file.h.vpc, REGION);

describe('adoption', () => {
  it('takes a gateway over as it is, and measures drift from there', async () => {
    const gateway = await consoleGateway();
    const adopted = await file.h.adopt(gateway);
    expect(adopted).toMatchObject({
      state: 'succeeded',
      operation: 'adopt',
      baseline: { Bandwidth: '10' },
      cloud: { resourceId: gateway, status: 'active' },
    });
    expect(await file.h.store.liveIds()).toContain(adopted.id);
    expect((await file.h.store.getByResourceId(gateway))?.id).toBe(adopted.id);
    // As it was taken over: nothing differs, nothing is said.
    await pause(HEALTH_MS * 4);
    expect(file.h.notifier.events(adopted.id).filter((e) => e === 'drift')).toEqual([]);
    file.sim.changeOutside({ id: gateway, set: { Bandwidth: 20 } });
    const drifted = await file.h.waitFor(adopted.id, (r) => r.drift !== undefined, 10_000);
    expect(drifted.drift?.differs.Bandwidth).toMatchObject({ approved: '10', now: '20' });
  });

  it('fails in plain words when the resource is gone before it is approved, and follows nothing', async () => {
    const gateway = await consoleGateway();
    const asked = await ask(gateway);
    if (!asked.ok) throw new Error(asked.message.en);
    await file.h.vpc.call('DeleteVpnGateway', { RegionId: REGION, VpnGatewayId: gateway });
    await expect
      .poll(
        async () =>
          (
            await file.h.vpc.call<{ TotalCount: number }>('DescribeVpnGateways', {
              RegionId: REGION,
              VpnGatewayId: gateway,
            })
          ).TotalCount,
      )
      .toBe(0);
    await file.h.workflow.approve(asked.request.id, { userId: 'U0LEAD1' });
    const failed = await file.h.waitFor(
      asked.request.id,
      (r) => r.state === 'failed' || r.state === 'succeeded',
    );
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('ResourceGone');
    expect(failed.error?.what.en).toContain('no longer in the account');
    expect(await file.h.store.liveIds()).not.toContain(asked.request.id);
    expect(await file.h.store.getByResourceId(gateway)).toBeUndefined();
  });

  it('follows a gateway whose creation ran out of time and came up after all, once its channel adopts it', async () => {
    file.sim.setProvisionTime(2_000);
    try {
      const asked = await file.h.submitVpn(await seededVpc(file.h.vpc, REGION));
      await file.h.workflow.approve(asked.id, { userId: 'U0LEAD1' });
      const failed = await file.h.waitFor(asked.id, (r) => r.state === 'failed' || r.state === 'succeeded');
      expect(failed).toMatchObject({ state: 'failed', error: { code: 'ProvisionTimeout' } });
      const gateway = failed.cloud.resourceId ?? '';
      expect(await file.h.store.liveIds()).not.toContain(asked.id);
      await expect
        .poll(
          async () =>
            (await file.h.vpc.call('DescribeVpnGateway', { RegionId: REGION, VpnGatewayId: gateway })).Status,
          { timeout: 10_000 },
        )
        .toBe('active');
      // Another channel still cannot take it, and hears what it would of an id that is none; its own can.
      const askElsewhere = (resourceId: string) => ask(resourceId, 'C0ELSEWHERE');
      const elsewhere = await askElsewhere(gateway);
      const none = await askElsewhere('vpn-0000000000000000000zz');
      expect(elsewhere.ok ? '' : elsewhere.message.en.replaceAll(gateway, 'X')).toBe(
        none.ok ? '' : none.message.en.replaceAll('vpn-0000000000000000000zz', 'X'),
      );
      expect(await file.h.store.recentInChannel('C0ELSEWHERE', 10)).toEqual([]);
      const adopted = await file.h.adopt(gateway);
      expect(adopted.state).toBe('succeeded');
      expect(await file.h.store.liveIds()).toContain(adopted.id);
      expect((await file.h.store.getByResourceId(gateway))?.id).toBe(adopted.id);
    } finally {
      file.sim.setProvisionTime(100);
    }
  });

  it('is refused for a resource the channel already holds, naming the request that holds it', async () => {
    const made = await file.h.submitCustomer('47.120.9.9');
    await file.h.workflow.approve(made.id, { userId: 'U0LEAD1' });
    const created = await file.h.waitFor(made.id, (r) => r.state === 'succeeded');
    const again = await ask(created.cloud.resourceId ?? '');
    expect(again.ok).toBe(false);
    expect(again.ok ? '' : again.message.en).toContain(
      `already belongs to this channel (request ${made.id})`,
    );
  });
});
