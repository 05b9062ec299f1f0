import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  DescribeVpcsResponse,
  DescribeVpnGatewayAvailableZonesResponse,
  DescribeVSwitchesResponse,
} from '../../src/cloud/index.js';
import { parseFaults } from '../../src/sandbox/simulator/index.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { dualTunnelValues, SIM_KEY, seededVpc, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('provision');
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;

beforeAll(async () => {
  sim = await startTestSimulator({
    ...SIM_KEY,
    provisionTimeMs: 400,
    quotas: { vpnGateways: 200, customerGateways: 200 },
  });
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim });
});
afterEach(() => {
  sim.expectConformance();
  sim.setFaults({ rules: [], latencyMs: 0 });
  harness.expectNoUnexpectedErrors();
});
afterAll(async () => {
  await harness.close();
  await sim.close();
  await t.cleanup();
});

const final = (s: string) => ['succeeded', 'failed', 'rejected', 'cancelled', 'expired'].includes(s);

describe('provisioning on real Redis and the simulator', () => {
  it('takes a customer gateway from submission to succeeded, with preflight and every announcement', async () => {
    const request = await harness.submitCustomer('47.10.0.1');
    const withPreflight = await harness.waitFor(
      request.id,
      (r) => r.preflight !== undefined && r.messageTs !== undefined,
    );
    expect(withPreflight.preflight?.ok).toBe(true);
    expect(withPreflight.preflight?.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['ip_unique', 'pass'],
      ['quota', 'pass'],
    ]);
    expect((await harness.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
    const done = await harness.waitFor(request.id, (r) => final(r.state));
    expect(done.state).toBe('succeeded');
    expect(done.cloud.resourceId).toMatch(/^cgw-/);
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
    await expect
      .poll(() => harness.notifier.events(request.id), { timeout: 5_000 })
      .toEqual(expect.arrayContaining(['submitted', 'approved', 'creating', 'succeeded']));
    const trail = await harness.store.auditTrail(request.id);
    expect(trail.map((e) => e.action)).toEqual([
      'submitted',
      'message_posted',
      'approved',
      'creating',
      'created',
    ]);
  });

  it('takes a VPN gateway through provisioning to active', async () => {
    const vpcId = await seededVpc(harness.vpc);
    const request = await harness.submitVpn(vpcId);
    await harness.waitFor(request.id, (r) => r.preflight !== undefined);
    await harness.workflow.approve(request.id, { userId: 'U0LEAD2' });
    const done = await harness.waitFor(request.id, (r) => final(r.state));
    expect(done).toMatchObject({
      state: 'succeeded',
      cloud: { status: 'active', facts: { Spec: '10 Mbit/s' } },
    });
    expect(done.cloud.facts.InternetIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(done.cloud.facts.DisasterRecoveryInternetIp).toBeUndefined();
    expect(sim.state().vpnGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
    await expect.poll(() => harness.notifier.events(request.id), { timeout: 5_000 }).toContain('succeeded');
    expect(harness.notifier.events(request.id)).toContain('provisioning');
  });

  it('takes a dual-tunnel VPN gateway to active with both public IPs', async () => {
    const values = await dualTunnelValues(harness.vpc);
    const request = await harness.submitVpn(values.VpcId ?? '', values);
    expect(request.params).toMatchObject({
      RegionId: 'cn-hangzhou',
      DisasterRecoveryVSwitchId: values.DisasterRecoveryVSwitchId,
    });
    expect(request.preflight?.checks.find((c) => c.id === 'zone')?.outcome).toBe('pass');
    await harness.workflow.approve(request.id, { userId: 'U0LEAD2' });
    const done = await harness.waitFor(request.id, (r) => final(r.state));
    expect(done.state).toBe('succeeded');
    expect(done.cloud.facts.InternetIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(done.cloud.facts.DisasterRecoveryInternetIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(done.cloud.facts.DisasterRecoveryInternetIp).not.toBe(done.cloud.facts.InternetIp);
  });

  it('refuses at submission what the cloud would refuse: one zone twice, a zone that cannot host it, a full quota', async () => {
    const values = await dualTunnelValues(harness.vpc);
    const sameTwice = await harness.workflow.submit({
      resource: 'vpn_gateway',
      values: { ...values, Bandwidth: '10', DisasterRecoveryVSwitchId: values.VSwitchId },
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    expect(!sameTwice.ok && sameTwice.errors.DisasterRecoveryVSwitchId?.en).toMatch(
      /Both vSwitches are in zone cn-hangzhou-\w; .* Pick the second vSwitch in cn-hangzhou-\w/,
    );
    const production = (
      await harness.vpc.call<DescribeVpcsResponse>('DescribeVpcs', { RegionId: 'cn-hangzhou', PageSize: 50 })
    ).Vpcs.Vpc.find((v) => v.VpcName === 'production-vpc');
    const zones = await harness.vpc.call<DescribeVpnGatewayAvailableZonesResponse>(
      'DescribeVpnGatewayAvailableZones',
      {
        RegionId: 'cn-hangzhou',
        Spec: '10M',
      },
    );
    const usable = new Set(
      (Array.isArray(zones.AvailableZoneIdList) ? zones.AvailableZoneIdList : []).map((z) => z.ZoneId),
    );
    const switches = (
      await harness.vpc.call<DescribeVSwitchesResponse>('DescribeVSwitches', {
        RegionId: 'cn-hangzhou',
        VpcId: production?.VpcId ?? '',
        PageSize: 50,
      })
    ).VSwitches.VSwitch;
    const bad = switches.find((s) => !usable.has(s.ZoneId));
    const good = switches.find((s) => usable.has(s.ZoneId));
    const wrongZone = await harness.workflow.submit({
      resource: 'vpn_gateway',
      values: {
        RegionId: 'cn-hangzhou',
        VpcId: production?.VpcId,
        Bandwidth: '10',
        VSwitchId: good?.VSwitchId,
        DisasterRecoveryVSwitchId: bad?.VSwitchId,
      },
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'zh-CN',
    });
    expect(!wrongZone.ok && wrongZone.errors.DisasterRecoveryVSwitchId?.['zh-CN']).toMatch(/不支持/);
    const creates = sim.state().calls.CreateVpnGateway ?? 0;
    expect(sim.state().requests.filter((r) => r.action === 'CreateVpnGateway').length).toBe(creates);
  });

  it('watches many provisioning gateways of a region with one DescribeVpnGateways sweep, not a call each', async () => {
    const values = await dualTunnelValues(harness.vpc, 'cn-shenzhen');
    const before = { ...sim.state().calls };
    const requests = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const r = await harness.workflow.submit({
          resource: 'vpn_gateway',
          values: { ...values, Bandwidth: '10', Name: `batch${i}` },
          requester: { userId: 'U0ASKER' },
          channelId: 'C0NET',
          locale: 'en',
        });
        if (!r.ok) throw new Error('invalid');
        return r.request;
      }),
    );
    await Promise.all(requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD1' })));
    const done = await Promise.all(requests.map((r) => harness.waitFor(r.id, (x) => final(x.state))));
    expect(done.map((r) => r.state)).toEqual(requests.map(() => 'succeeded'));
    const calls = sim.state().calls;
    const sweeps = (calls.DescribeVpnGateways ?? 0) - (before.DescribeVpnGateways ?? 0);
    // The preflight's quota check makes one call per request at submission and one before the
    // create call; the sweeps share the rest.
    expect(sweeps - 2 * requests.length).toBeLessThan(requests.length);
    expect((calls.DescribeVpnGateway ?? 0) - (before.DescribeVpnGateway ?? 0)).toBe(0);
  });

  it('turns 20 concurrent approvals into one transition, one job and exactly one gateway', async () => {
    const request = await harness.submitCustomer('47.10.0.2');
    await harness.waitFor(request.id, (r) => r.preflight !== undefined);
    const clicks = Array.from({ length: 20 }, (_, i) =>
      harness.workflow.approve(request.id, { userId: ['U0LEAD1', 'U0LEAD2', 'U0LEAD3'][i % 3] as string }),
    );
    const results = await Promise.all(clicks);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const done = await harness.waitFor(request.id, (r) => final(r.state));
    expect(done.state).toBe('succeeded');
    const trail = await harness.store.auditTrail(request.id);
    expect(trail.filter((e) => e.to === 'approved' && e.from === 'pending_approval')).toHaveLength(1);
    const jobs = await harness.provisions.getJobs([
      'completed',
      'active',
      'delayed',
      'waiting',
      'prioritized',
      'failed',
    ]);
    expect(jobs.filter((j) => j.data.requestId === request.id)).toHaveLength(1);
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
  });

  it.each([
    ['Resource.QuotaFull', 'CreateCustomerGateway:Resource.QuotaFull=1'],
    ['Forbidden', 'CreateCustomerGateway:Forbidden=1'],
  ])('fails at once on %s, with its explanation, without retrying', async (code, faults) => {
    const request = await harness.submitCustomer(`47.11.0.${code.length}`);
    await harness.waitFor(request.id, (r) => r.preflight !== undefined);
    const before = sim.state().calls.CreateCustomerGateway ?? 0;
    sim.setFaults(parseFaults(faults));
    await harness.workflow.approve(request.id, { userId: 'U0LEAD1' });
    const done = await harness.waitFor(request.id, (r) => final(r.state));
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code, retryable: false });
    expect(done.error?.what.en.length).toBeGreaterThan(10);
    expect(done.error?.todo.en.length).toBeGreaterThan(10);
    expect(done.error?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect((sim.state().calls.CreateCustomerGateway ?? 0) - before).toBe(1);
    await expect.poll(() => harness.notifier.events(request.id), { timeout: 5_000 }).toContain('failed');
  });

  it('refuses at submission an IP that is already a customer gateway, or asked for in an open request', async () => {
    await harness.vpc.call('CreateCustomerGateway', { RegionId: 'cn-hangzhou', IpAddress: '47.12.0.1' });
    const submit = (ip: string) =>
      harness.workflow.submit({
        resource: 'customer_gateway',
        values: { RegionId: 'cn-hangzhou', IpAddress: ip },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0NET',
        locale: 'en',
      });
    const taken = await submit('47.12.0.1');
    expect(!taken.ok && taken.errors.IpAddress?.en).toMatch(
      /47\.12\.0\.1 is already customer gateway cgw-\w+ in cn-hangzhou/,
    );
    const first = await submit('47.12.0.2');
    expect(first.ok).toBe(true);
    const second = await submit('47.12.0.2');
    expect(!second.ok && second.errors.IpAddress?.en).toMatch(
      new RegExp(`already asked for in request ${first.ok ? first.request.id : ''}`),
    );
  });

  it('fails without creating anything when the IP was taken between approval and create', async () => {
    const request = await harness.submitCustomer('47.12.0.9');
    expect(request.preflight?.ok).toBe(true);
    await harness.vpc.call('CreateCustomerGateway', { RegionId: 'cn-hangzhou', IpAddress: '47.12.0.9' });
    const before = sim.state().calls.CreateCustomerGateway ?? 0;
    await harness.workflow.approve(request.id, { userId: 'U0LEAD1' });
    const done = await harness.waitFor(request.id, (r) => final(r.state));
    expect(done.error).toMatchObject({ code: 'PreflightFailed', retryable: false });
    expect(done.error?.checks?.[0]?.detail.en).toMatch(/already customer gateway/);
    expect((sim.state().calls.CreateCustomerGateway ?? 0) - before).toBe(0);
    await expect.poll(() => harness.notifier.events(request.id), { timeout: 5_000 }).toContain('failed');
  });

  it('succeeds for 50 requests while 30 % of cloud calls fail with throttling or 5xx, each with exactly one gateway', async () => {
    sim.setFaults(parseFaults('Throttling.User=0.15,ServiceUnavailable=0.1,InternalError=0.08,seed=42'));
    const vpcId = await seededVpc(harness.vpc).catch(async () => {
      sim.setFaults({ rules: [], latencyMs: 0 });
      return seededVpc(harness.vpc);
    });
    const requests = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 5 === 0
          ? harness.submitVpn(vpcId, { Name: `vpn${i}` })
          : harness.submitCustomer(`47.20.${Math.floor(i / 250)}.${(i % 250) + 1}`),
      ),
    );
    await Promise.all(requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD3' })));
    const done = await Promise.all(requests.map((r) => harness.waitFor(r.id, (x) => final(x.state), 60_000)));
    expect(done.map((r) => r.state)).toEqual(done.map(() => 'succeeded'));
    const state = sim.state();
    for (const r of requests) {
      const made = [...state.customerGateways, ...state.vpnGateways].filter((g) => g.ClientToken === r.id);
      expect(made, r.id).toHaveLength(1);
    }
    const retries = (await Promise.all(requests.map((r) => harness.store.auditTrail(r.id))))
      .flat()
      .filter((e) => e.action === 'create_retry');
    expect(retries.length).toBeGreaterThan(0);
  }, 90_000);

  it('gives up on a gateway that never becomes active, saying it may still come up', async () => {
    const local = startWorkflowHarness({
      redis: t.redis,
      prefix: `${t.prefix.slice(0, -1)}-timeout}`,
      sim,
      polling: { provisionTimeoutMs: 1_000 },
    });
    try {
      sim.setProvisionTime(3_600_000);
      const vpcId = await seededVpc(local.vpc);
      const request = await local.submitVpn(vpcId);
      await local.workflow.approve(request.id, { userId: 'U0LEAD1' });
      const done = await local.waitFor(request.id, (r) => final(r.state));
      expect(done.state).toBe('failed');
      expect(done.error?.code).toBe('ProvisionTimeout');
      expect(done.error?.todo.en).toMatch(/may still come up/);
      expect(done.error?.todo.en).toContain(`/gateway status ${done.cloud.resourceId}`);
      expect(sim.state().vpnGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
    } finally {
      sim.setProvisionTime(400);
      await local.close();
    }
  });

  it('gives up on a create the cloud keeps failing PROVISION_TIMEOUT after the first call was sent, creating nothing', async () => {
    const local = startWorkflowHarness({
      redis: t.redis,
      prefix: `${t.prefix.slice(0, -1)}-deadline}`,
      sim,
      polling: { provisionTimeoutMs: 2_000 },
    });
    try {
      const request = await local.submitCustomer('47.21.0.1');
      sim.setFaults(parseFaults('CreateCustomerGateway:ServiceUnavailable=1'));
      await local.workflow.approve(request.id, { userId: 'U0LEAD1' });
      const done = await local.waitFor(request.id, (r) => final(r.state));
      expect([done.state, done.error?.code]).toEqual(['failed', 'CreateDeadlinePassed']);
      expect(done.error?.todo.en).toContain(`ClientToken ${request.id}`);
      const sent = sim
        .requests()
        .filter((r) => r.action === 'CreateCustomerGateway' && r.params.ClientToken === request.id)
        .map((r) => r.at);
      expect(sent.length).toBeGreaterThan(2);
      // Tried again until the limit had passed since the first call was sent.
      expect((done.finishedAt ?? 0) - (sent[0] as number)).toBeGreaterThanOrEqual(2_000);
      const retries = (await local.store.auditTrail(request.id)).filter((e) => e.action === 'create_retry');
      expect(retries.map((e) => e.details?.code)).toEqual(sent.map(() => 'ServiceUnavailable'));
      expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(0);
    } finally {
      sim.setFaults({ rules: [], latencyMs: 0 });
      await local.close();
    }
  });

  it('expires a request nobody approved', async () => {
    const local = startWorkflowHarness({
      redis: t.redis,
      prefix: `${t.prefix.slice(0, -1)}-ttl}`,
      sim,
      approvalTtlMs: 300,
    });
    try {
      const request = await local.submitCustomer('47.13.0.1');
      const done = await local.waitFor(request.id, (r) => final(r.state));
      expect(done.state).toBe('expired');
      await expect.poll(() => local.notifier.events(request.id), { timeout: 5_000 }).toContain('expired');
      const late = await local.workflow.approve(request.id, { userId: 'U0LEAD1' });
      expect(!late.ok && late.refusal.code).toBe('already_decided');
      expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(0);
    } finally {
      await local.close();
    }
  });

  it('refuses and audits self-approval, outsiders and decided requests, changing nothing', async () => {
    const request = await harness.submitCustomer('47.14.0.1', 'U0LEAD1');
    const self = await harness.workflow.approve(request.id, { userId: 'U0LEAD1' });
    const outsider = await harness.workflow.approve(request.id, { userId: 'U0INTERN' });
    const outsiderReject = await harness.workflow.reject(request.id, { userId: 'U0INTERN' }, 'no');
    expect([self, outsider, outsiderReject].map((r) => !r.ok && r.refusal.code)).toEqual([
      'self_approval',
      'not_approver',
      'not_approver',
    ]);
    expect((await harness.store.mustGet(request.id)).state).toBe('pending_approval');
    expect((await harness.workflow.cancel(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
    const afterCancel = await harness.workflow.approve(request.id, { userId: 'U0LEAD2' });
    expect(!afterCancel.ok && afterCancel.refusal.code).toBe('already_decided');
    const trail = await harness.store.auditTrail(request.id);
    expect(trail.filter((e) => e.refused).map((e) => [e.actor, e.refused])).toEqual([
      ['U0LEAD1', 'self_approval'],
      ['U0INTERN', 'not_approver'],
      ['U0INTERN', 'not_approver'],
      ['U0LEAD2', 'already_decided'],
    ]);
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(0);
  });

  it('says a click changes nothing before its refusal is recorded, and an approval only once it is written', async () => {
    const request = await harness.submitCustomer('47.14.0.3');
    // A read of the trail sent when told is answered before the refusal's write: Redis takes one
    // connection's commands in order. So the trail read then cannot hold the refusal yet.
    let seenWhenTold: Promise<unknown[]> | undefined;
    const refused = await harness.workflow.approve(request.id, { userId: 'U0INTERN' }, undefined, () => {
      seenWhenTold = harness.store.auditTrail(request.id);
    });
    expect(!refused.ok && refused.refusal.code).toBe('not_approver');
    expect((await seenWhenTold)?.filter((e) => (e as { refused?: string }).refused)).toEqual([]);
    expect((await harness.store.auditTrail(request.id)).filter((e) => e.refused).map((e) => e.actor)).toEqual(
      ['U0INTERN'],
    );
    // Misplaced (a button copied elsewhere) and a cancel by someone else are told the same way.
    let told = 0;
    const elsewhere = await harness.workflow.approve(
      request.id,
      { userId: 'U0LEAD1' },
      { channelId: 'C0ELSEWHERE', messageTs: '1.2' },
      () => told++,
    );
    expect(!elsewhere.ok && elsewhere.refusal.code).toBe('wrong_message');
    expect(told).toBe(1);
    // A decision that changes the request is never told early: its answer waits for the write.
    const approved = await harness.workflow.approve(
      request.id,
      { userId: 'U0LEAD1' },
      undefined,
      () => told++,
    );
    expect(approved.ok).toBe(true);
    expect(told).toBe(1);
  });

  it('tells an outsider the same whether or not the id is a request, and writes nothing for an unknown id', async () => {
    const request = await harness.submitCustomer('47.14.0.2');
    const unknown = 'gw-20260101-nosuchthing';
    const answers = [
      await harness.workflow.approve(request.id, { userId: 'U0INTERN' }),
      await harness.workflow.approve(unknown, { userId: 'U0INTERN' }),
      await harness.workflow.checkCanReject(request.id, 'U0INTERN'),
      await harness.workflow.checkCanReject(unknown, 'U0INTERN'),
    ];
    const [approveKnown, approveUnknown, rejectKnown, rejectUnknown] = answers;
    expect(answers.map((a) => !a.ok && a.refusal.code)).toEqual(Array(4).fill('not_approver'));
    expect(approveUnknown).toEqual(approveKnown);
    expect(rejectUnknown).toEqual(rejectKnown);
    expect(answers.some((a) => a.request)).toBe(false);
    // An approver's click on an unknown id is still told it does not exist.
    const lead = await harness.workflow.approve(unknown, { userId: 'U0LEAD1' });
    expect(!lead.ok && lead.refusal.code).toBe('not_found');
    expect(await harness.store.auditTrail(unknown)).toEqual([]);
    expect(await t.redis.exists(`${t.prefix}:audit:${unknown}`, `${t.prefix}:req:${unknown}`)).toBe(0);
    const trail = await harness.store.auditTrail(request.id);
    expect(trail.filter((e) => e.refused).map((e) => [e.actor, e.action, e.refused])).toEqual([
      ['U0INTERN', 'approve', 'not_approver'],
      ['U0INTERN', 'reject', 'not_approver'],
    ]);
    expect((await harness.store.mustGet(request.id)).state).toBe('pending_approval');
  });

  it('fails a test whose worker reported an error the test did not expect (the harness check can fail)', async () => {
    harness.notifier.failNext(new Error('Slack is down'));
    const request = await harness.submitCustomer('47.15.0.1');
    await expect.poll(() => harness.notifier.events(request.id), { timeout: 10_000 }).toContain('submitted');
    expect(harness.errors).toEqual([
      expect.objectContaining({ worker: 'notifications', message: 'Slack is down' }),
    ]);
    expect(() => harness.expectNoUnexpectedErrors()).toThrow(/errors reported by the workers/);
    expect(harness.errors).toEqual([]);
  });
});
