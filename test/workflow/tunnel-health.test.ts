/**
 * Tunnels for a connection's whole life, against the simulator and real Redis with two workers on
 * one prefix: after the settle window, a tunnel down and back gives exactly two messages; a change
 * seen on one look only gives none; the handover from the settle window repeats nothing; a
 * connection made long ago, its tunnel going down, gets no second success message from the
 * reconciler; the tunnels-down index follows; and `off` sends nothing and lists nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceOf } from '../../src/resources/index.js';
import { renderThreadMessage } from '../../src/slack/render.js';
import { recordHealthLook } from '../../src/workflow/health-look.js';
import { notificationJobId } from '../../src/workflow/job-ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { gatewayPair, SIM_KEY, SINGLE_TUNNEL_REGION, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('wf-tunnel-health');
const REGION = SINGLE_TUNNEL_REGION;
const HEALTH_MS = 150;
let sim: TestSimulator;
const listings: number[] = [];
let one: ReturnType<typeof startWorkflowHarness>;
let two: ReturnType<typeof startWorkflowHarness>;

beforeAll(async () => {
  sim = await startTestSimulator({
    ...SIM_KEY,
    provisionTimeMs: 100,
    onRequest: (r) => {
      if (r.action === 'DescribeVpnConnections') listings.push(Date.now());
    },
  });
  const polling = { settleWindowMs: 400, healthIntervalMs: HEALTH_MS };
  one = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, polling });
  two = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, polling });
});
afterAll(async () => {
  sim.expectConformance();
  await Promise.all([one.close(), two.close()]);
  await sim.close();
  await t.cleanup();
});

let ips = 0;
async function connection(
  h: ReturnType<typeof startWorkflowHarness>,
  peerUp: boolean,
): Promise<{ request: ResourceRequest; cgw: string }> {
  const { gateway: VpnGatewayId, cgw: CustomerGatewayId } = await gatewayPair(
    h.vpc,
    REGION,
    `47.111.0.${++ips}`,
  );
  if (peerUp) sim.configurePeer({ customerGatewayId: CustomerGatewayId });
  const r = await h.workflow.submit({
    resource: 'vpn_connection',
    values: {
      RegionId: REGION,
      VpnGatewayId,
      CustomerGatewayId,
      LocalSubnet: '10.0.0.0/16',
      RemoteSubnet: `172.${16 + ips}.0.0/16`,
    },
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect((await h.workflow.approve(r.request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
  // Followed once the settle window has handed over and the first health look has been written.
  const request = await h.waitFor(r.request.id, (x) => x.health !== undefined, 15_000);
  return { request, cgw: CustomerGatewayId };
}

/** Every event both workers delivered for a request. */
const events = (id: string) =>
  [...one.notifier.delivered, ...two.notifier.delivered]
    .filter((d) => d.notification.requestId === id)
    .sort((a, b) => a.at - b.at)
    .map((d) => d.notification.event);
const healthEvents = (id: string) => events(id).filter((e) => e === 'tunnel_down' || e === 'tunnel_up');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tunnels for their whole life', () => {
  it('says a tunnel down and back exactly once each, with two workers, after a quiet handover', async () => {
    const { request, cgw } = await connection(one, true);
    expect(request.settle?.outcome).toBe('settled');
    await pause(HEALTH_MS * 4);
    // The settle message said the tunnel came up; the health sweep says nothing of it again.
    expect(events(request.id).filter((e) => e === 'settled')).toEqual(['settled']);
    expect(healthEvents(request.id)).toEqual([]);

    const downAt = Date.now();
    sim.configurePeer({ customerGatewayId: cgw }, false);
    await expect.poll(() => healthEvents(request.id), { timeout: 10_000 }).toEqual(['tunnel_down']);
    const down = await one.store.mustGet(request.id);
    expect(down.health?.changes.at(-1)?.at).toBeGreaterThanOrEqual(downAt - HEALTH_MS);
    expect(down.cloud.facts.Tunnel1).toContain('ike_sa_not_established');
    expect((await one.store.tunnelsDown()).map((r) => r.request.id)).toContain(request.id);

    sim.configurePeer({ customerGatewayId: cgw }, true);
    await expect
      .poll(() => healthEvents(request.id), { timeout: 10_000 })
      .toEqual(['tunnel_down', 'tunnel_up']);
    await pause(HEALTH_MS * 4);
    expect(healthEvents(request.id)).toEqual(['tunnel_down', 'tunnel_up']);
    const back = await one.store.mustGet(request.id);
    expect((await one.store.tunnelsDown()).map((r) => r.request.id)).not.toContain(request.id);

    // The messages: which tunnel, since when and what to check; back, after how long.
    const ctx = { sandbox: false, requiredApprovals: 1, now: Date.now(), locale: 'en' as const };
    const [downSeq, upSeq] = back.health?.changes.map((c) => c.seq) ?? [];
    const downText = renderThreadMessage(
      { requestId: back.id, event: 'tunnel_down', seq: downSeq as number, at: Date.now() },
      back,
      ctx,
    );
    expect(downText?.broadcast).toBe(true);
    expect(downText?.text).toContain(`Tunnel 1 of \`${back.cloud.resourceId}\` is down since`);
    expect(downText?.text).toContain('UDP 500 and 4500');
    const upText = renderThreadMessage(
      { requestId: back.id, event: 'tunnel_up', seq: upSeq as number, at: Date.now() },
      back,
      { ...ctx, locale: 'zh-CN' },
    );
    expect(upText?.text).toContain('已恢复');
    expect(upText?.text).toMatch(/中断时长/);
  });

  it('says nothing of a connection that never came up until it does', async () => {
    const { request, cgw } = await connection(two, false);
    expect(request.settle?.outcome).toBe('unsettled');
    await pause(HEALTH_MS * 4);
    expect(healthEvents(request.id)).toEqual([]);
    sim.configurePeer({ customerGatewayId: cgw }, true);
    await expect.poll(() => healthEvents(request.id), { timeout: 10_000 }).toEqual(['tunnel_up']);
  });

  it('announces a connection made long ago again only for its tunnels, not its success', async () => {
    const { request, cgw } = await connection(one, true);
    const notify = one.system.queues.notify;
    const jobOf = (event: 'succeeded' | 'settled') =>
      notify.getJob(notificationJobId({ requestId: request.id, event }));
    // A settled message lost in a crash is still repaired while the settle is recent.
    await (await jobOf('settled'))?.remove();
    await pause(1_100);
    await one.housekeeping.reconcile();
    await expect.poll(async () => (await jobOf('settled'))?.isCompleted(), { timeout: 10_000 }).toBe(true);
    const said = () => events(request.id).filter((e) => e === 'succeeded' || e === 'settled');
    expect(said()).toEqual(['succeeded', 'settled', 'settled']);
    // A settle window longer than the hour (CONNECTION_WATCH): its end is repaired, not the
    // success written long before it, whose job may be gone.
    const earlier = Date.now() - 2 * 3_600_000;
    await one.store.update(request.id, 'test', 'aged', (r) => ({
      kind: 'apply',
      next: { ...r, finishedAt: earlier },
    }));
    await (await jobOf('succeeded'))?.remove();
    await (await jobOf('settled'))?.remove();
    await pause(1_100);
    await one.housekeeping.reconcile();
    await expect.poll(async () => (await jobOf('settled'))?.isCompleted(), { timeout: 10_000 }).toBe(true);
    expect(await jobOf('succeeded')).toBeUndefined();
    expect(said()).toEqual(['succeeded', 'settled', 'settled', 'settled']);
    // Made two hours ago, its messages' jobs gone as the queue's retention leaves them.
    const ago = Date.now() - 2 * 3_600_000;
    await one.store.update(request.id, 'test', 'aged', (r) => ({
      kind: 'apply',
      next: { ...r, finishedAt: ago, settle: { until: ago, outcome: 'settled', at: ago } },
    }));
    await (await jobOf('succeeded'))?.remove();
    await (await jobOf('settled'))?.remove();
    // Its tunnel goes down: the health sweep writes the record twice, the reconciler passes after.
    sim.configurePeer({ customerGatewayId: cgw }, false);
    await expect.poll(() => healthEvents(request.id), { timeout: 10_000 }).toEqual(['tunnel_down']);
    await pause(1_100);
    await one.housekeeping.reconcile();
    expect(await jobOf('succeeded')).toBeUndefined();
    expect(await jobOf('settled')).toBeUndefined();
    await pause(HEALTH_MS * 2);
    expect(said()).toEqual(['succeeded', 'settled', 'settled', 'settled']);
    sim.configurePeer({ customerGatewayId: cgw }, true);
  });

  it('lists each region once per sweep, not once per connection', async () => {
    listings.length = 0;
    await pause(HEALTH_MS * 6);
    const sweeps = Math.ceil((HEALTH_MS * 6) / HEALTH_MS) + 2;
    // Two connections and more in one region: one listing per sweep.
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.length).toBeLessThanOrEqual(sweeps);
  });
});

describe('one look', () => {
  const connectionFacts = (status: string) => ({ Tunnel1: `cgw-1 · ${status}` });
  const base = {
    id: 'req-1',
    operation: 'create',
    state: 'succeeded',
    resource: 'vpn_connection',
    finishedAt: 1_000,
    settle: { until: 2_000, outcome: 'settled', at: 1_500 },
    cloud: { resourceId: 'vco-1', facts: connectionFacts('ipsec_sa_established') },
  } as unknown as ResourceRequest;
  const spec = resourceOf('vpn_connection').health;
  if (!spec) throw new Error('the connection declares no health');
  const apply = (r: ResourceRequest, status: string, at: number): ResourceRequest => {
    const d = recordHealthLook(r, spec, { Tunnel1: `cgw-1 · ${status}` }, at, 50);
    return d.kind === 'apply' ? d.next : r;
  };

  it('confirms nothing seen on one look only', () => {
    let r = apply(base, 'ipsec_sa_established', 2_000);
    r = apply(r, 'ike_sa_not_established', 2_100);
    expect(r.health?.parts.Tunnel1?.seen?.up).toBe(false);
    r = apply(r, 'ipsec_sa_established', 2_200);
    expect(r.health?.seq).toBe(0);
    expect(r.health?.parts.Tunnel1).toEqual({ up: true, since: 1_500 });
  });

  it('counts two sweeps a moment apart as one look, then confirms on the next', () => {
    let r = apply(base, 'ike_sa_not_established', 2_000);
    r = apply(r, 'ike_sa_not_established', 2_010);
    expect(r.health?.seq).toBe(0);
    r = apply(r, 'ike_sa_not_established', 2_100);
    expect(r.health?.changes).toEqual([
      expect.objectContaining({ seq: 1, part: 'Tunnel1', up: false, at: 2_000 }),
    ]);
    // A look of a sweep that read the list before the write changes nothing more.
    expect(recordHealthLook(r, spec, connectionFacts('ike_sa_not_established'), 2_150, 50).kind).toBe('skip');
  });

  it('leaves a connection alone during its settle window and after a delete', () => {
    const settling = { ...base, settle: { until: 9_000 } } as ResourceRequest;
    expect(recordHealthLook(settling, spec, connectionFacts('x'), 2_000, 50).kind).toBe('skip');
    const gone = { ...base, settle: { until: 2_000, outcome: 'gone' } } as ResourceRequest;
    expect(recordHealthLook(gone, spec, connectionFacts('x'), 2_000, 50).kind).toBe('skip');
  });
});

describe('TUNNEL_HEALTH_INTERVAL=off', () => {
  it('schedules no sweep, lists nothing after the settle window and says nothing', async () => {
    const r = testRedis('wf-tunnel-health-off');
    const calls: string[] = [];
    const quiet = await startTestSimulator({
      ...SIM_KEY,
      provisionTimeMs: 100,
      onRequest: (x) => calls.push(x.action),
    });
    const h = startWorkflowHarness({
      redis: r.redis,
      prefix: r.prefix,
      sim: quiet,
      polling: { settleWindowMs: 200 },
    });
    try {
      const { gateway: VpnGatewayId, cgw: CustomerGatewayId } = await gatewayPair(
        h.vpc,
        REGION,
        '47.112.0.1',
      );
      const s = await h.workflow.submit({
        resource: 'vpn_connection',
        values: {
          RegionId: REGION,
          VpnGatewayId,
          CustomerGatewayId,
          LocalSubnet: '10.0.0.0/16',
          RemoteSubnet: '172.30.0.0/16',
        },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0NET',
        locale: 'en',
      });
      if (!s.ok) throw new Error(JSON.stringify(s.errors));
      await h.workflow.approve(s.request.id, { userId: 'U0LEAD1' });
      await h.waitFor(s.request.id, (x) => x.settle?.outcome !== undefined, 10_000);
      await pause(100);
      calls.length = 0;
      quiet.configurePeer({ customerGatewayId: CustomerGatewayId }, true);
      await pause(600);
      expect(calls.filter((c) => c === 'DescribeVpnConnections')).toEqual([]);
      expect(await h.system.health.queue.getJobScheduler('health')).toBeFalsy();
      expect(h.notifier.events(s.request.id).filter((e) => e.startsWith('tunnel_'))).toEqual([]);
      expect((await h.store.mustGet(s.request.id)).health).toBeUndefined();
    } finally {
      await h.close();
      await quiet.close();
      await r.cleanup();
    }
  });
});
