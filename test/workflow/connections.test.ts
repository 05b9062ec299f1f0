/**
 * The workflow's side of IPsec connections and deletes, against the simulator and real Redis:
 * the watch after success ends once (tunnels up, or the window over, naming what never came up);
 * a delete re-checks its dependents right before the call; a resource already gone is a done
 * delete; and the sweep of a region comes when its newest request wants it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVpcClient } from '../../src/cloud/index.js';
import { resourceOf } from '../../src/resources/index.js';
import { sweepJobId } from '../../src/workflow/job-ids.js';
import { vpcResourceCloud } from '../../src/workflow/resource-cloud.js';
import { sweepInterval, watchQueue } from '../../src/workflow/watcher.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { gatewayPair, SIM_KEY, SINGLE_TUNNEL_REGION, startWorkflowHarness } from '../support/workflow.js';

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
const pair = () => gatewayPair(h.vpc, REGION, `47.110.0.${++ips}`);

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

/** `/gateway delete <id>` typed by U0ASKER in C0NET (with a command's seed: typed once, delivered again). */
const askDelete = (resourceId: string, requestIdSeed?: string) =>
  h.workflow.submitDelete({
    resourceId,
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
    ...(requestIdSeed ? { requestIdSeed } : {}),
  });

/** A deletion asked for in C0NET; a resource made outside the bot is adopted there first. */
async function deletion(id: string) {
  if (!(await h.store.getByResourceId(id))) expect((await h.adopt(id)).state).toBe('succeeded');
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

  it('ends quietly when the connection is deleted during its watch', async () => {
    const { gateway, cgw } = await pair();
    const done = await connect(gateway, cgw);
    await h.vpc.call('DeleteVpnConnection', {
      RegionId: REGION,
      VpnConnectionId: done.cloud.resourceId ?? '',
    });
    const ended = await h.waitFor(done.id, (r) => r.settle?.outcome !== undefined, 10_000);
    expect(ended.settle?.outcome).toBe('gone');
    await h.housekeeping.reconcile();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.notifier.events(done.id).filter((e) => e === 'unsettled' || e === 'settled')).toEqual([]);
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

describe('one connection per VPN gateway and customer gateway', () => {
  it('refuses a second connection to a customer gateway the gateway already has, in the form', async () => {
    const { gateway, cgw } = await pair();
    const existing = await h.vpc.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: REGION,
      VpnGatewayId: gateway,
      CustomerGatewayId: cgw,
      LocalSubnet: '10.1.0.0/16',
      RemoteSubnet: '192.168.1.0/24',
    });
    const r = await h.workflow.submit({
      resource: 'vpn_connection',
      values: {
        RegionId: REGION,
        VpnGatewayId: gateway,
        CustomerGatewayId: cgw,
        LocalSubnet: '10.2.0.0/16',
        RemoteSubnet: '192.168.2.0/24',
      },
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.errors.CustomerGatewayId?.en).toContain(
      `Connection ${existing.VpnConnectionId} already joins`,
    );
  });

  it('lets only one open request ask for the same pair', async () => {
    const { gateway, cgw } = await pair();
    const ask = (remote: string) =>
      h.workflow.submit({
        resource: 'vpn_connection',
        values: {
          RegionId: REGION,
          VpnGatewayId: gateway,
          CustomerGatewayId: cgw,
          LocalSubnet: '10.3.0.0/16',
          RemoteSubnet: remote,
        },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0NET',
        locale: 'en',
      });
    const first = await ask('192.168.3.0/24');
    expect(first.ok).toBe(true);
    const second = await ask('192.168.4.0/24');
    expect(second.ok).toBe(false);
    expect(second.ok ? '' : second.errors.CustomerGatewayId?.en).toContain(
      `is already asked for in request ${first.ok ? first.request.id : ''}`,
    );
  });
});

describe('a delete', () => {
  it('with a key the cloud does not know fails, and is never taken for "already gone"', async () => {
    const { cgw } = await pair();
    const wrong = createVpcClient({
      accessKeyId: 'rotated',
      accessKeySecret: 'old-secret',
      endpoint: sim.url,
      timeoutMs: 2_000,
    });
    await expect(
      vpcResourceCloud(wrong).remove(
        resourceOf('customer_gateway'),
        { RegionId: REGION, CustomerGatewayId: cgw },
        'gw-x',
      ),
    ).rejects.toMatchObject({ code: 'InvalidAccessKeyId.NotFound' });
    const right = vpcResourceCloud(h.vpc);
    await h.vpc.call('DeleteCustomerGateway', { RegionId: REGION, CustomerGatewayId: cgw });
    expect(
      await right.remove(
        resourceOf('customer_gateway'),
        { RegionId: REGION, CustomerGatewayId: cgw },
        'gw-y',
      ),
    ).toEqual({ gone: true });
  });

  it('waits while its checks cannot run, and deletes once they pass', async () => {
    const { cgw } = await pair();
    const request = await deletion(cgw);
    sim.setFaults('DescribeVpnConnections:ServiceUnavailable=1');
    // A double click approves once.
    await Promise.all([
      h.workflow.approve(request.id, { userId: 'U0LEAD1' }),
      h.workflow.approve(request.id, { userId: 'U0LEAD1' }),
    ]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await h.store.mustGet(request.id)).state).toBe('approved');
    expect(
      sim
        .requests()
        .filter((r) => r.action === 'DeleteCustomerGateway' && r.params.ClientToken === request.id),
    ).toEqual([]);
    sim.setFaults({ rules: [], latencyMs: 0 });
    const done = await h.waitFor(request.id, (r) => r.state === 'succeeded' || r.state === 'failed', 30_000);
    expect(done.state).toBe('succeeded');
    expect(
      sim
        .requests()
        .filter((r) => r.action === 'DeleteCustomerGateway' && r.params.ClientToken === request.id),
    ).toHaveLength(1);
  });

  it('asked again with the same seed (a retried command) is the same request', async () => {
    const { cgw } = await pair();
    await h.adopt(cgw);
    const ask = () => askDelete(cgw, `trigger-${cgw}`);
    const first = await ask();
    const again = await ask();
    expect(first.ok && again.ok).toBe(true);
    expect(again.ok && again.duplicate).toBe(true);
    expect(again.ok && first.ok && again.request.id === first.request.id).toBe(true);
  });

  it('leaves /gateway status on the creation until the deletion is done', async () => {
    const made = await h.submitCustomer('47.120.0.1');
    await h.workflow.approve(made.id, { userId: 'U0LEAD1' });
    const created = await h.waitFor(made.id, (r) => r.state === 'succeeded');
    const cgw = created.cloud.resourceId ?? '';
    const rejected = await h.workflow.submitDelete({
      resourceId: cgw,
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!rejected.ok) throw new Error(rejected.message.en);
    await h.workflow.reject(rejected.request.id, { userId: 'U0LEAD1' }, 'not now');
    expect((await h.store.getByResourceId(cgw))?.id).toBe(made.id);
    const asked = await deletion(cgw);
    await h.workflow.approve(asked.id, { userId: 'U0LEAD1' });
    await h.waitFor(asked.id, (r) => r.state === 'succeeded');
    expect((await h.store.getByResourceId(cgw))?.id).toBe(asked.id);
  });

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

  it('of a resource made outside the bot is refused until it is adopted, in the words of an id that does not exist', async () => {
    const { cgw } = await pair();
    const ask = () => askDelete(cgw);
    const refused = await ask();
    expect(refused.ok ? '' : refused.message.en).toContain(`I find no ${cgw} that this channel may delete`);
    expect(refused.ok ? '' : refused.message.en).toContain(`/gateway adopt ${cgw}`);
    const unknown = await askDelete('cgw-0000000000000000000zz');
    // The same words, the id aside: whether it exists is not told.
    expect(refused.ok ? '' : refused.message.en.replaceAll(cgw, 'X')).toBe(
      unknown.ok ? '' : unknown.message.en.replaceAll('cgw-0000000000000000000zz', 'X'),
    );
    expect((await h.adopt(cgw)).state).toBe('succeeded');
    const asked = await ask();
    expect(asked.ok).toBe(true);
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

describe('a sweep that finds a finished request on its list', () => {
  it('announces it again (its announcement may have been lost with the sweep that finished it)', async () => {
    const made = await h.submitCustomer('47.120.0.9');
    await h.workflow.approve(made.id, { userId: 'U0LEAD1' });
    const done = await h.waitFor(made.id, (r) => r.state === 'succeeded');
    await expect.poll(() => h.notifier.events(made.id)).toContain('succeeded');
    // As if the write had landed and the announcement had not.
    await (await h.system.queues.notify.getJob(`${made.id}.succeeded`))?.remove();
    const before = h.notifier.events(made.id).filter((e) => e === 'succeeded').length;
    await h.system.watcher.watch(done);
    await expect
      .poll(() => h.notifier.events(made.id).filter((e) => e === 'succeeded').length, { timeout: 10_000 })
      .toBe(before + 1);
    expect(await h.store.watched('customer_gateway', done.params.RegionId)).not.toContain(made.id);
  });
});

describe('the sweep cadence', () => {
  it('brings a sweep that waits for an old request forward for a new one', async () => {
    const { gateway } = await pair();
    const first = await deletion(gateway);
    sim.setDeleteTime(120_000);
    await h.workflow.approve(first.id, { userId: 'U0LEAD1' });
    await h.waitFor(first.id, (r) => r.state === 'provisioning');
    // As if the region's sweep were waiting a minute for an old request. Here it waits a few hundred
    // ms between runs, so it may start between the look and the change: then the next one is taken.
    // Its delay first, so that a sweep already running never carries the changed time.
    const queue = watchQueue(t.redis, t.prefix);
    await vi.waitFor(async () => {
      const found = await queue.getJob(sweepJobId('vpn_gateway', REGION));
      if (!found || !(await found.isDelayed())) throw new Error('no sweep waiting yet');
      await found.changeDelay(60_000);
      await found.updateData({ ...found.data, dueAt: Date.now() + 60_000 });
    });
    sim.setDeleteTime(200);
    const second = await pair();
    const asked = await deletion(second.gateway);
    const started = Date.now();
    await h.workflow.approve(asked.id, { userId: 'U0LEAD1' });
    const gone = await h.waitFor(asked.id, (r) => r.state === 'succeeded' || r.state === 'failed', 20_000);
    expect(gone.state).toBe('succeeded');
    expect(Date.now() - started).toBeLessThan(15_000);
    await queue.close();
  });

  const polling = { intervalMs: 10_000, maxIntervalMs: 60_000 };
  it('looks at a request after an eighth of its wait, between the two settings', () => {
    expect(sweepInterval(0, polling)).toBe(10_000);
    expect(sweepInterval(90_000, polling)).toBe(11_250);
    expect(sweepInterval(240_000, polling)).toBe(30_000);
    expect(sweepInterval(3_600_000, polling)).toBe(60_000);
  });
});
