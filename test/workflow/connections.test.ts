/**
 * The workflow's side of IPsec connections and deletes, against the simulator and real Redis:
 * the watch after success ends once (tunnels up, or the window over, naming what never came up);
 * a delete re-checks its dependents right before the call; a resource already gone is a done
 * delete; and the sweep of a region comes when its newest request wants it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepInterval } from '../../src/workflow/watcher.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, SINGLE_TUNNEL_REGION, seededVpc, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('wf-connections');
let sim: TestSimulator;
let h: ReturnType<typeof startWorkflowHarness>;
const REGION = SINGLE_TUNNEL_REGION;

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 200, deleteTimeMs: 200 });
  h = startWorkflowHarness({
    redis: t.redis,
    prefix: t.prefix,
    sim,
    polling: { settleWindowMs: 1_500 },
  });
});
afterAll(async () => {
  sim.expectConformance();
  await h.close();
  await sim.close();
  await t.cleanup();
});

let ips = 0;
/** An active VPN gateway and a customer gateway, made straight in the simulated account. */
async function pair(): Promise<{ gateway: string; cgw: string }> {
  const { VpnGatewayId } = await h.vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
    RegionId: REGION,
    VpcId: await seededVpc(h.vpc, REGION),
    Bandwidth: 10,
  });
  const { CustomerGatewayId } = await h.vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
    RegionId: REGION,
    IpAddress: `47.110.0.${++ips}`,
  });
  await expect
    .poll(async () => (await h.vpc.call('DescribeVpnGateway', { RegionId: REGION, VpnGatewayId })).Status, {
      timeout: 10_000,
    })
    .toBe('active');
  return { gateway: VpnGatewayId, cgw: CustomerGatewayId };
}

async function connect(gateway: string, cgw: string) {
  const r = await h.workflow.submit({
    resource: 'vpn_connection',
    values: {
      RegionId: REGION,
      VpnGatewayId: gateway,
      CustomerGatewayId: cgw,
      LocalSubnet: '10.0.0.0/16',
      RemoteSubnet: `172.${16 + ips}.0.0/16`,
    },
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect((await h.workflow.approve(r.request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
  return h.waitFor(r.request.id, (x) => x.state === 'succeeded' || x.state === 'failed');
}

async function deletion(id: string) {
  const r = await h.workflow.submitDelete({
    resourceId: id,
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
  });
  if (!r.ok) throw new Error(r.message.en);
  return r.request;
}

describe('watching a connection after success', () => {
  it('says once which tunnel never came up when the window ends', async () => {
    const { gateway, cgw } = await pair();
    const done = await connect(gateway, cgw);
    expect(done.state).toBe('succeeded');
    expect(done.settle?.until).toBeGreaterThan(done.finishedAt ?? 0);
    const ended = await h.waitFor(done.id, (r) => r.settle?.outcome !== undefined, 10_000);
    expect(ended.settle?.outcome).toBe('unsettled');
    expect(ended.cloud.facts.Tunnel1).toContain('ike_sa_not_established');
    // Nothing more after the end, however many sweeps or reconciler passes come.
    await h.housekeeping.reconcile();
    await new Promise((r) => setTimeout(r, 500));
    expect(h.notifier.events(done.id).filter((e) => e === 'unsettled' || e === 'settled')).toEqual([
      'unsettled',
    ]);
    expect(await h.store.activeIds()).not.toContain(done.id);
  });

  it('announces tunnels that were up before the first look, right after success', async () => {
    const { gateway, cgw } = await pair();
    sim.configurePeer({ customerGatewayId: cgw });
    const done = await connect(gateway, cgw);
    const ended = await h.waitFor(done.id, (r) => r.settle?.outcome !== undefined, 10_000);
    expect(ended.settle?.outcome).toBe('settled');
    await expect
      .poll(() => h.notifier.events(done.id))
      .toEqual(expect.arrayContaining(['succeeded', 'settled']));
    const events = h.notifier.events(done.id);
    expect(events.indexOf('settled')).toBeGreaterThan(events.indexOf('succeeded'));
    expect(events.filter((e) => e === 'settled')).toHaveLength(1);
  });

  it('is picked up again by the reconciler when its sweep was lost', async () => {
    const { gateway, cgw } = await pair();
    const done = await connect(gateway, cgw);
    expect(done.settle?.outcome).toBeUndefined();
    await t.redis.del(`${t.prefix}:watch:vpn_connection:${REGION}`);
    expect(await h.system.watcher.isWatched(done)).toBe(false);
    const report = await h.housekeeping.reconcile();
    expect(report.requeued).toContain(done.id);
    expect(await h.system.watcher.isWatched(await h.store.mustGet(done.id))).toBe(true);
    sim.configurePeer({ customerGatewayId: cgw });
    const ended = await h.waitFor(done.id, (r) => r.settle?.outcome !== undefined, 10_000);
    expect(ended.settle?.outcome).toBe('settled');
  });
});

describe('a delete', () => {
  it('re-checks dependents right before the call: a connection made after approval stops it', async () => {
    const { gateway, cgw } = await pair();
    const request = await deletion(gateway);
    expect(request.preflight?.ok).toBe(true);
    // Someone connects the gateway after the deletion was asked for (its checks passed then).
    const made = await h.vpc.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: REGION,
      VpnGatewayId: gateway,
      CustomerGatewayId: cgw,
      LocalSubnet: '10.0.0.0/16',
      RemoteSubnet: '192.168.0.0/16',
    });
    expect((await h.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
    const failed = await h.waitFor(request.id, (r) => r.state === 'failed' || r.state === 'succeeded');
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('PreflightFailed');
    expect(failed.error?.checks?.[0]?.detail.en).toContain(made.VpnConnectionId);
    expect(sim.requests().filter((r) => r.action === 'DeleteVpnGateway')).toEqual([]);
  });

  it('of something already gone is done, and says so', async () => {
    const { cgw } = await pair();
    const request = await deletion(cgw);
    await h.vpc.call('DeleteCustomerGateway', { RegionId: REGION, CustomerGatewayId: cgw });
    expect((await h.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
    const done = await h.waitFor(request.id, (r) => r.state === 'failed' || r.state === 'succeeded');
    expect(done.state).toBe('succeeded');
    expect(done.cloud.facts.AlreadyGone).toBe('true');
  });

  it('cannot be asked twice for one resource while the first is open', async () => {
    const { cgw } = await pair();
    const first = await deletion(cgw);
    const second = await h.workflow.submitDelete({
      resourceId: cgw,
      requester: { userId: 'U0OTHER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    expect(second.ok).toBe(false);
    expect(second.ok ? '' : second.message.en).toContain(`already asked for in request ${first.id}`);
  });
});

describe('the sweep cadence', () => {
  const polling = { intervalMs: 10_000, maxIntervalMs: 60_000 };
  it('looks at a request after an eighth of its wait, between the two settings', () => {
    expect(sweepInterval(0, polling)).toBe(10_000);
    expect(sweepInterval(90_000, polling)).toBe(11_250);
    expect(sweepInterval(240_000, polling)).toBe(30_000);
    expect(sweepInterval(3_600_000, polling)).toBe(60_000);
  });
});
