/**
 * Drift, against the simulator and real Redis: a connection whose networks were changed in the
 * console and a customer gateway deleted there are each said once, with what differs (approved vs
 * now), and `/gateway status` shows it; a resource the bot deletes is not drift.
 */
import { describe, expect, it } from 'vitest';
import { statusAnswer } from '../../src/slack/commands.js';
import {
  activeGateway,
  SINGLE_TUNNEL_REGION,
  seededVpc,
  useWorkflowOnSimulator,
} from '../support/workflow.js';

const REGION = SINGLE_TUNNEL_REGION;
const HEALTH_MS = 150;
const file = useWorkflowOnSimulator('wf-drift', {
  simulator: { provisionTimeMs: 100, deleteTimeMs: 100 },
  polling: { settleWindowMs: 200, healthIntervalMs: HEALTH_MS },
});
const { t } = file;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const drifts = (id: string) => file.h.notifier.events(id).filter((e) => e === 'drift');

/** A customer gateway made through the bot, in the connection's region. */
async function customerGateway(ip: string) {
  const r = await file.h.workflow.submit({
    resource: 'customer_gateway',
    values: { RegionId: REGION, IpAddress: ip, Name: 'office' },
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await file.h.workflow.approve(r.request.id, { userId: 'U0LEAD1' });
  return file.h.waitFor(r.request.id, (x) => x.state === 'succeeded');
}

describe('drift', () => {
  it('says once that a connection’s networks differ from what was approved, and status shows it', async () => {
    const VpnGatewayId = await activeGateway(file.h.vpc, REGION);
    const cgw = await customerGateway('47.114.0.1');
    const r = await file.h.workflow.submit({
      resource: 'vpn_connection',
      values: {
        RegionId: REGION,
        VpnGatewayId,
        CustomerGatewayId: cgw.cloud.resourceId,
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '172.16.0.0/16',
      },
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await file.h.workflow.approve(r.request.id, { userId: 'U0LEAD1' });
    const made = await file.h.waitFor(r.request.id, (x) => x.health !== undefined, 15_000);
    await pause(HEALTH_MS * 3);
    expect(drifts(made.id)).toEqual([]);

    file.sim.changeOutside({
      id: made.cloud.resourceId as string,
      set: { LocalSubnet: '10.0.0.0/16,10.9.0.0/16' },
    });
    await expect.poll(() => drifts(made.id), { timeout: 10_000 }).toEqual(['drift']);
    await pause(HEALTH_MS * 4);
    expect(drifts(made.id)).toEqual(['drift']);
    const seen = await file.h.store.mustGet(made.id);
    expect(seen.drift?.differs.LocalSubnet).toMatchObject({
      approved: '10.0.0.0/16',
      now: '10.0.0.0/16,10.9.0.0/16',
    });
    const status = statusAnswer(made.cloud.resourceId as string, seen, '/gateway', 'en', {
      sandbox: false,
      requiredApprovals: 1,
      now: Date.now(),
      locale: 'en',
    });
    expect(JSON.stringify(status.blocks)).toContain(
      'Local networks: approved `10.0.0.0/16`, now `10.0.0.0/16,10.9.0.0/16`',
    );

    // The connection deleted in the console too: gone, said once; its customer gateway then as well.
    file.sim.changeOutside({ id: made.cloud.resourceId as string, delete: true });
    await expect.poll(() => drifts(made.id), { timeout: 10_000 }).toEqual(['drift', 'drift']);
    expect((await file.h.store.mustGet(made.id)).drift?.changes.at(-1)?.differences[0]?.key).toBe('gone');
    file.sim.changeOutside({ id: cgw.cloud.resourceId as string, delete: true });
    await expect.poll(() => drifts(cgw.id), { timeout: 10_000 }).toEqual(['drift']);
    await pause(HEALTH_MS * 4);
    expect(drifts(cgw.id)).toEqual(['drift']);
    expect(drifts(made.id)).toEqual(['drift', 'drift']);
  });

  it('is not said of a resource deleted through the bot, even when it is gone before the bot sees it', async () => {
    const vpn = await file.h.submitVpn(await seededVpc(file.h.vpc, REGION));
    await file.h.workflow.approve(vpn.id, { userId: 'U0LEAD1' });
    const made = await file.h.waitFor(vpn.id, (x) => x.state === 'succeeded', 15_000);
    await pause(HEALTH_MS * 2);
    // Alibaba keeps it `deleting` for a minute: the delete request stays in flight meanwhile.
    file.sim.setDeleteTime(60_000);
    const d = await file.h.workflow.submitDelete({
      resourceId: made.cloud.resourceId as string,
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!d.ok) throw new Error(d.message.en);
    await file.h.workflow.approve(d.request.id, { userId: 'U0LEAD1' });
    await file.h.waitFor(d.request.id, (x) => x.state === 'provisioning');
    // Gone from the account before the bot's own watch has seen it: a sweep now finds it absent.
    file.sim.changeOutside({ id: made.cloud.resourceId as string, delete: true });
    expect((await file.h.system.health.sweep()).drifted).toBe(0);
    await file.h.waitFor(d.request.id, (x) => x.state === 'succeeded');
    file.sim.setDeleteTime(100);
    await pause(HEALTH_MS * 4);
    expect(drifts(made.id)).toEqual([]);
    expect(await file.h.store.liveIds()).not.toContain(made.id);
  });

  it('takes in, once, the resources made before the live index existed, but none deleted since', async () => {
    const cgw = await file.h.submitCustomer('47.120.0.9');
    await file.h.workflow.approve(cgw.id, { userId: 'U0LEAD1' });
    const made = await file.h.waitFor(cgw.id, (x) => x.state === 'succeeded', 15_000);
    // Creations whose resource the bot deleted since: out of the index now, and to stay out.
    const liveNow = await file.h.store.liveIds();
    const deleted = (await file.h.store.getMany(await t.redis.zrange(`${t.prefix}:updated`, 0, -1))).filter(
      (r) => r.operation === 'create' && r.state === 'succeeded' && !liveNow.includes(r.id),
    );
    expect(deleted.length).toBeGreaterThan(0);
    // As a store written before this version: nothing in the index, no marker.
    await t.redis.del(`${t.prefix}:live`, `${t.prefix}:live:backfilled`);
    expect(await file.h.store.liveIds()).toEqual([]);
    expect(await file.h.store.backfillLive()).toBeGreaterThan(0);
    const live = await file.h.store.liveIds();
    expect(live).toContain(made.id);
    // A resource the bot deleted (its id now names the deletion) stays out.
    for (const r of deleted) expect(live).not.toContain(r.id);
    // Once: the marker says it was done.
    await t.redis.zrem(`${t.prefix}:live`, made.id);
    expect(await file.h.store.backfillLive()).toBe(0);
    expect(await file.h.store.liveIds()).not.toContain(made.id);
  });
});
