import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, parseFaults } from '../../../src/sandbox/simulator/index.js';
import {
  type PopParams,
  popClient,
  startTestSimulator,
  type TestSimulator,
} from '../../support/simulator.js';
import { popFailure } from './helpers.js';

const KEY = { accessKeyId: 'actions-key', accessKeySecret: 'actions-secret' };
const clock = new ManualClock(Date.UTC(2025, 0, 15, 8, 0, 0));
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    ...KEY,
    clock,
    provisionTimeMs: 60_000,
    quotas: { vpnGateways: 3, customerGateways: 3 },
  });
});
afterEach(() => {
  // Reset first, so that one failing test does not spill into the next.
  const violations = sim.conformanceViolations(true);
  sim.reset();
  sim.setFaults('');
  expect(violations).toEqual([]);
});
afterAll(() => sim.close());

interface Vpc {
  VpcId: string;
  IsDefault: boolean;
  VSwitchIds: { VSwitchId: string[] };
}
interface VSwitch {
  VSwitchId: string;
  VpcId: string;
  ZoneId: string;
}
interface VpnGateway {
  VpnGatewayId: string;
  Status: string;
  BusinessStatus: string;
  InternetIp: string;
  [field: string]: unknown;
}
interface CustomerGateway {
  CustomerGatewayId: string;
  IpAddress: string;
  Name: string;
  Description: string;
  CreateTime: number;
}

const call = <T = Record<string, unknown>>(action: string, params: PopParams = {}) =>
  popClient(sim, KEY).call<T>(action, params);
const cgw = (params: PopParams) =>
  call<CustomerGateway>('CreateCustomerGateway', { RegionId: 'cn-hangzhou', ...params });

/** A non-default VPC of cn-hangzhou and two of its vSwitches, as the account lists them. */
async function network() {
  const vpcs = await call<{ Vpcs: { Vpc: Vpc[] } }>('DescribeVpcs', { RegionId: 'cn-hangzhou' });
  const vpc = vpcs.Vpcs.Vpc.find((v) => !v.IsDefault);
  if (!vpc) throw new Error('the seed has no non-default VPC in cn-hangzhou');
  const [a, b] = vpc.VSwitchIds.VSwitchId;
  if (!a || !b) throw new Error('the seed VPC has fewer than two vSwitches');
  const other = vpcs.Vpcs.Vpc.find((v) => v.VpcId !== vpc.VpcId)?.VSwitchIds.VSwitchId[0] as string;
  return { vpcId: vpc.VpcId, vswitchId: a, secondVSwitchId: b, foreignVSwitchId: other };
}
/** A dual-tunnel VPN gateway in cn-hangzhou (two vSwitches in two zones), unless `params` say otherwise. */
const vpn = async (params: PopParams = {}) => {
  const { vpcId, vswitchId, secondVSwitchId } = await network();
  return call<{ VpnGatewayId: string; Name: string; OrderId: number }>('CreateVpnGateway', {
    RegionId: 'cn-hangzhou',
    VpcId: vpcId,
    VSwitchId: vswitchId,
    DisasterRecoveryVSwitchId: secondVSwitchId,
    Bandwidth: 10,
    ...params,
  });
};
const describeVpn = (id: string, regionId = 'cn-hangzhou') =>
  call<VpnGateway>('DescribeVpnGateway', { RegionId: regionId, VpnGatewayId: id });

describe('VPN gateways', () => {
  it('creates one that goes init → provisioning → active on the clock, with an address once active', async () => {
    const { vpcId, vswitchId, secondVSwitchId } = await network();
    const created = await call<{ VpnGatewayId: string; Name: string; OrderId: number }>('CreateVpnGateway', {
      RegionId: 'cn-hangzhou',
      VpcId: vpcId,
      VSwitchId: vswitchId,
      DisasterRecoveryVSwitchId: secondVSwitchId,
      Bandwidth: 10,
      Name: 'office-vpn',
      EnableSsl: true,
      SslConnections: 20,
      ClientToken: 'vpn-token-1',
    });
    expect(created.VpnGatewayId).toMatch(/^vpn-[a-z0-9]{21}$/);
    expect(created.Name).toBe('office-vpn');
    expect(Number.isInteger(created.OrderId)).toBe(true);

    const first = await describeVpn(created.VpnGatewayId);
    expect(first).toMatchObject({
      Status: 'init',
      BusinessStatus: 'Normal',
      InternetIp: '',
      DisasterRecoveryInternetIp: '',
    });
    clock.advance(6_000);
    expect((await describeVpn(created.VpnGatewayId)).Status).toBe('provisioning');
    clock.advance(53_999);
    expect((await describeVpn(created.VpnGatewayId)).Status).toBe('provisioning');
    clock.advance(1);
    const active = await describeVpn(created.VpnGatewayId);
    expect(active).toMatchObject({
      VpnGatewayId: created.VpnGatewayId,
      VpcId: vpcId,
      VSwitchId: vswitchId,
      DisasterRecoveryVSwitchId: secondVSwitchId,
      Status: 'active',
      BusinessStatus: 'Normal',
      Name: 'office-vpn',
      ChargeType: 'Postpay',
      IpsecVpn: 'enable',
      SslVpn: 'enable',
      SslMaxConnections: 20,
      VpnType: 'Normal',
      NetworkType: 'public',
      CreateTime: clock.now() - 60_000,
      EndTime: 0,
      Tags: { Tag: [] },
    });
    // Alibaba reports the spec as "10M" or, lately, "10".
    expect(['10M', '10']).toContain(active.Spec);
    expect(active.InternetIp).toMatch(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
    expect(active.DisasterRecoveryInternetIp).toMatch(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
    expect(active.DisasterRecoveryInternetIp).not.toBe(active.InternetIp);
    expect((await describeVpn(created.VpnGatewayId)).InternetIp).toBe(active.InternetIp);
  });

  it('answers a repeated ClientToken with the first gateway, and other parameters with a mismatch', async () => {
    const first = await vpn({ ClientToken: 'same-token', Name: 'vpn-a' });
    const again = await vpn({ ClientToken: 'same-token', Name: 'vpn-a' });
    expect(again.VpnGatewayId).toBe(first.VpnGatewayId);
    expect(again.OrderId).toBe(first.OrderId);
    expect(again.RequestId).not.toBe(first.RequestId);
    const mismatch = await popFailure(vpn({ ClientToken: 'same-token', Name: 'vpn-b' }));
    expect(mismatch).toMatchObject({ code: 'IdempotentParameterMismatch', status: 400 });
    expect(sim.state().vpnGateways).toHaveLength(1);
    // Tokens are per action: the same token may create a customer gateway.
    await cgw({ IpAddress: '47.9.9.9', ClientToken: 'same-token' });
    expect(sim.state().customerGateways).toHaveLength(1);
  });

  it('refuses one more than the quota, yet a repeated token still finds its gateway', async () => {
    const first = await vpn({ ClientToken: 'quota-1' });
    await vpn();
    await vpn();
    expect(await popFailure(vpn())).toMatchObject({ code: 'Resource.QuotaFull', status: 400 });
    expect((await vpn({ ClientToken: 'quota-1' })).VpnGatewayId).toBe(first.VpnGatewayId);
    // The quota is per region (Dubai is single-tunnel: no vSwitch needed).
    const dubai = await call<{ Vpcs: { Vpc: Vpc[] } }>('DescribeVpcs', { RegionId: 'me-east-1' });
    await call('CreateVpnGateway', {
      RegionId: 'me-east-1',
      VpcId: dubai.Vpcs.Vpc[0]?.VpcId as string,
      Bandwidth: 10,
    });
    expect(sim.state().vpnGateways).toHaveLength(4);
  });

  it('validates like the API, and a refused create leaves nothing behind', async () => {
    const { vpcId, vswitchId, secondVSwitchId, foreignVSwitchId } = await network();
    const cases: [PopParams, string, number][] = [
      [{ VpcId: 'vpc-doesnotexist000000000' }, 'InvalidVpcId.NotFound', 404],
      [{ VSwitchId: 'vsw-nope' }, 'InvalidVSwitchId.NotFound', 404],
      [{ VSwitchId: foreignVSwitchId }, 'InvalidVSwitchId.NotFound', 404],
      [{ DisasterRecoveryVSwitchId: 'vsw-nope' }, 'InvalidDisasterRecoveryVSwitchId.NotFound', 404],
      [
        { VSwitchId: vswitchId, DisasterRecoveryVSwitchId: vswitchId },
        'InvalidDisasterRecoveryVSwitchId.SameZone',
        400,
      ],
      [{ Bandwidth: 7 }, 'InvalidBandwidth', 400],
      [{ Bandwidth: 5 }, 'InvalidBandwidth', 400],
      [{ Bandwidth: 100, NetworkType: 'private' }, 'InvalidBandwidth', 400],
      [{ ResourceGroupId: 'group-1' }, 'InvalidResourceGroupId.NotFound', 404],
      [{ Bandwidth: 'ten' }, 'InvalidBandwidth', 400],
      [{ Name: '1abc' }, 'InvalidName', 400],
      [{ Name: 'a' }, 'InvalidName', 400],
      [{ Name: `a${'b'.repeat(100)}` }, 'InvalidName', 400],
      [{ Name: 'office vpn' }, 'InvalidName', 400],
      [{ InstanceChargeType: 'PREPAY' }, 'MissingPeriod', 400],
      [{ InstanceChargeType: 'PREPAY', Period: 10 }, 'InvalidPeriod', 400],
      [{ InstanceChargeType: 'MONTHLY' }, 'InvalidInstanceChargeType', 400],
      [{ SslConnections: 7 }, 'InvalidSslConnections', 400],
      [{ VpnType: 'Fancy' }, 'InvalidVpnType', 400],
      [{ NetworkType: 'internal' }, 'InvalidNetworkType', 400],
      [{ EnableIpsec: 'yes' }, 'InvalidEnableIpsec', 400],
      [{ RegionId: 'mars-north-1' }, 'InvalidRegionId.NotFound', 404],
      [{ ClientToken: 'x'.repeat(65) }, 'InvalidClientToken', 400],
    ];
    for (const [params, code, status] of cases) {
      const err = await popFailure(vpn(params));
      expect({ params, code: err.code, status: err.status }).toEqual({ params, code, status });
    }
    expect(sim.state().vpnGateways).toHaveLength(0);
    // Two of those break the metadata's types on purpose, and the conformance check saw it.
    expect(sim.conformanceViolations(true)).toEqual([
      'CreateVpnGateway: Bandwidth="ten" is not Integer',
      'CreateVpnGateway: EnableIpsec="yes" is not Boolean',
    ]);
    // The same parameters done right are accepted: the refusals above were about the values.
    const ok = await vpn({
      VSwitchId: vswitchId,
      DisasterRecoveryVSwitchId: secondVSwitchId,
      Bandwidth: 1000,
    });
    expect((await describeVpn(ok.VpnGatewayId)).VpcId).toBe(vpcId);
    expect(await popFailure(describeVpn('vpn-nope'))).toMatchObject({
      code: 'InvalidVpnGatewayInstanceId.NotFound',
      status: 404,
    });
    // A gateway is only found in its own region.
    expect((await popFailure(describeVpn(ok.VpnGatewayId, 'cn-shanghai'))).code).toBe(
      'InvalidVpnGatewayInstanceId.NotFound',
    );
  });

  it('imitates dual-tunnel regions: two vSwitches in two zones that can host a gateway, one zone only where there is one', async () => {
    const { vpcId, vswitchId } = await network();
    const create = (params: PopParams) =>
      call('CreateVpnGateway', { VpcId: vpcId, Bandwidth: 10, ...params });
    expect(await popFailure(create({ RegionId: 'cn-hangzhou' }))).toMatchObject({
      code: 'MissingVSwitchId',
      status: 400,
    });
    expect(await popFailure(create({ RegionId: 'cn-hangzhou', VSwitchId: vswitchId }))).toMatchObject({
      code: 'MissingDisasterRecoveryVSwitchId',
      status: 400,
    });
    // A zone that cannot host a VPN gateway.
    const hangzhou = sim.state();
    expect(hangzhou.vpnGateways).toHaveLength(0);
    const zones = await call<{ AvailableZoneIdList: { ZoneId: string }[] }>(
      'DescribeVpnGatewayAvailableZones',
      {
        RegionId: 'cn-hangzhou',
        Spec: '10M',
      },
    );
    const usable = zones.AvailableZoneIdList.map((z) => z.ZoneId);
    const all = await call<{ Zones: { Zone: { ZoneId: string }[] } }>('DescribeZones', {
      RegionId: 'cn-hangzhou',
    });
    const blocked = all.Zones.Zone.map((z) => z.ZoneId).filter((z) => !usable.includes(z));
    expect(blocked.length).toBeGreaterThan(0);
    const switches = await call<{ VSwitches: { VSwitch: { VSwitchId: string; ZoneId: string }[] } }>(
      'DescribeVSwitches',
      { RegionId: 'cn-hangzhou', VpcId: vpcId },
    );
    const inBlocked = switches.VSwitches.VSwitch.find((v) => blocked.includes(v.ZoneId));
    expect(
      await popFailure(
        create({
          RegionId: 'cn-hangzhou',
          VSwitchId: vswitchId,
          DisasterRecoveryVSwitchId: inBlocked?.VSwitchId ?? '',
        }),
      ),
    ).toMatchObject({ code: 'InvalidDisasterRecoveryVSwitchId.ZoneNotSupported', status: 400 });
    expect(
      await popFailure(call('DescribeVpnGatewayAvailableZones', { RegionId: 'cn-hangzhou', Spec: '7M' })),
    ).toMatchObject({
      code: 'InvalidSpec',
    });
    // A single-tunnel region takes one vSwitch, and refuses a second.
    const dubai = await call<{ Vpcs: { Vpc: Vpc[] } }>('DescribeVpcs', { RegionId: 'me-east-1' });
    const dubaiVpc = dubai.Vpcs.Vpc[0] as Vpc;
    const [d1] = dubaiVpc.VSwitchIds.VSwitchId;
    const single = await call<{ VpnGatewayId: string }>('CreateVpnGateway', {
      RegionId: 'me-east-1',
      VpcId: dubaiVpc.VpcId,
      VSwitchId: d1 as string,
      Bandwidth: 10,
    });
    clock.advance(60_000);
    expect(await describeVpn(single.VpnGatewayId, 'me-east-1')).toMatchObject({
      DisasterRecoveryInternetIp: '',
    });
    expect(
      await popFailure(
        call('CreateVpnGateway', {
          RegionId: 'me-east-1',
          VpcId: dubaiVpc.VpcId,
          VSwitchId: d1 as string,
          DisasterRecoveryVSwitchId: d1 as string,
          Bandwidth: 10,
        }),
      ),
    ).toMatchObject({ code: 'InvalidDisasterRecoveryVSwitchId.NotSupported' });
    // A one-zone dual-tunnel region takes the same vSwitch twice.
    const nanjing = await call<{ Vpcs: { Vpc: Vpc[] } }>('DescribeVpcs', { RegionId: 'cn-nanjing' });
    const nanjingVpc = nanjing.Vpcs.Vpc[0] as Vpc;
    const [n1] = nanjingVpc.VSwitchIds.VSwitchId;
    await call('CreateVpnGateway', {
      RegionId: 'cn-nanjing',
      VpcId: nanjingVpc.VpcId,
      VSwitchId: n1 as string,
      DisasterRecoveryVSwitchId: n1 as string,
      Bandwidth: 10,
    });
    expect(sim.state().vpnGateways).toHaveLength(2);
  });

  it('leaves an unpaid subscription FinancialLocked in init forever; a paid one runs to its end date', async () => {
    const unpaid = await vpn({ InstanceChargeType: 'PREPAY', Period: 1, AutoPay: false });
    const paid = await vpn({ InstanceChargeType: 'PREPAY', Period: 12, AutoPay: true });
    clock.advance(24 * 3_600_000);
    expect(await describeVpn(unpaid.VpnGatewayId)).toMatchObject({
      Status: 'init',
      BusinessStatus: 'FinancialLocked',
    });
    const seen = await describeVpn(paid.VpnGatewayId);
    expect(seen).toMatchObject({ Status: 'active', BusinessStatus: 'Normal', ChargeType: 'Prepay' });
    const created = new Date(seen.CreateTime as number);
    expect(new Date(seen.EndTime as number).getUTCFullYear()).toBe(created.getUTCFullYear() + 1);
    const locked = await call<{ VpnGateways: { VpnGateway: VpnGateway[] } }>('DescribeVpnGateways', {
      RegionId: 'cn-hangzhou',
      BusinessStatus: 'FinancialLocked',
    });
    expect(locked.VpnGateways.VpnGateway.map((g) => g.VpnGatewayId)).toEqual([unpaid.VpnGatewayId]);
    // The unpaid order can be cancelled; the paid subscription cannot be released in its term.
    await call('DeleteVpnGateway', { RegionId: 'cn-hangzhou', VpnGatewayId: unpaid.VpnGatewayId });
    expect(
      await popFailure(
        call('DeleteVpnGateway', { RegionId: 'cn-hangzhou', VpnGatewayId: paid.VpnGatewayId }),
      ),
    ).toMatchObject({ code: 'ForbiddenRelease', status: 403 });
  });

  it('lists with filters, newest first, and deletes only once it has settled', async () => {
    const a = await vpn({ Name: 'first' });
    clock.advance(30_000);
    const b = await vpn({ Name: 'second' });
    const list = (params: PopParams) =>
      call<{ VpnGateways: { VpnGateway: VpnGateway[] }; TotalCount: number }>('DescribeVpnGateways', {
        RegionId: 'cn-hangzhou',
        ...params,
      });
    expect((await list({})).VpnGateways.VpnGateway.map((g) => g.VpnGatewayId)).toEqual([
      b.VpnGatewayId,
      a.VpnGatewayId,
    ]);
    expect((await list({ Status: 'provisioning' })).VpnGateways.VpnGateway.map((g) => g.Name)).toEqual([
      'first',
    ]);
    expect((await list({ VpnGatewayId: b.VpnGatewayId })).TotalCount).toBe(1);
    expect((await list({ VpcId: 'vpc-other' })).TotalCount).toBe(0);
    expect((await list({})).VpnGateways.VpnGateway.every((g) => g.BusinessStatus === 'Normal')).toBe(true);

    const del = (id: string, token?: string) =>
      call('DeleteVpnGateway', {
        RegionId: 'cn-hangzhou',
        VpnGatewayId: id,
        ...(token ? { ClientToken: token } : {}),
      });
    expect(await popFailure(del(b.VpnGatewayId))).toMatchObject({
      code: 'VpnGateway.Configuring',
      status: 400,
    });
    clock.advance(60_000);
    await del(b.VpnGatewayId, 'del-1');
    // `deleting` for the delete time (30 s by default); another delete is refused meanwhile.
    expect((await describeVpn(b.VpnGatewayId)).Status).toBe('deleting');
    expect((await popFailure(del(b.VpnGatewayId))).code).toBe('IncorrectStatus.VpnGateway');
    clock.advance(30_000);
    // Repeating the delete with its token answers as the first did; without it, the gateway is gone.
    await del(b.VpnGatewayId, 'del-1');
    expect((await popFailure(del(b.VpnGatewayId))).code).toBe('InvalidVpnGatewayInstanceId.NotFound');
    expect(sim.state().vpnGateways.map((g) => g.VpnGatewayId)).toEqual([a.VpnGatewayId]);
  });
});

describe('customer gateways', () => {
  it('creates one and answers with its documented fields', async () => {
    const created = await cgw({ IpAddress: '47.1.2.3', Name: '总部网关', Description: 'Head office' });
    expect(created).toMatchObject({
      IpAddress: '47.1.2.3',
      Name: '总部网关',
      Description: 'Head office',
      CreateTime: clock.now(),
    });
    expect(created.CustomerGatewayId).toMatch(/^cgw-[a-z0-9]{21}$/);
    const described = await call<CustomerGateway>('DescribeCustomerGateway', {
      RegionId: 'cn-hangzhou',
      CustomerGatewayId: created.CustomerGatewayId,
    });
    expect(described).toMatchObject({ CustomerGatewayId: created.CustomerGatewayId, IpAddress: '47.1.2.3' });
  });

  it('answers every error code of the seed', async () => {
    await cgw({ IpAddress: '47.1.1.1' });
    const cases: [PopParams, string, number][] = [
      [{ IpAddress: '47.1.1.1' }, 'InvalidIpAddress.AlreadyExist', 400],
      [{ IpAddress: '47.1.1' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '47.1.1.256' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '047.1.1.2' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: 'fe80::1' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '100.64.0.1' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '100.127.255.254' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '127.0.0.1' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '169.254.1.1' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '224.0.0.1' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '255.255.255.255' }, 'InvalidIpAddress.WrongFormat', 400],
      [{ IpAddress: '47.1.1.2', Name: 'http://x' }, 'InvalidName', 400],
      [{ IpAddress: '47.1.1.2', Name: '1abc' }, 'InvalidName', 400],
      [{ IpAddress: '47.1.1.2', Name: 'a' }, 'InvalidName', 400],
      [{ IpAddress: '47.1.1.2', Name: 'has space' }, 'InvalidName', 400],
      [{ IpAddress: '47.1.1.2', Name: `a${'b'.repeat(128)}` }, 'InvalidName', 400],
      [{ IpAddress: '47.1.1.2', Description: '1abc' }, 'InvalidDescription', 400],
      [{ IpAddress: '47.1.1.2', Description: 'https://example.com' }, 'InvalidDescription', 400],
      [{ IpAddress: '47.1.1.2', Description: `a${'b'.repeat(256)}` }, 'InvalidDescription', 400],
      [{ IpAddress: '47.1.1.2', Asn: '45104' }, 'InvalidAsn', 400],
    ];
    for (const [params, code, status] of cases) {
      const err = await popFailure(cgw(params));
      expect({ params, code: err.code, status: err.status }).toEqual({ params, code, status });
    }
    // Edge values the rules allow.
    await cgw({ IpAddress: '100.63.255.255', Name: 'ab', Description: `描${'x'.repeat(255)}` });
    await cgw({ IpAddress: '100.128.0.1', Name: `a${'b.-_9'.repeat(25)}`, Asn: '65000.1' });
    expect(await popFailure(cgw({ IpAddress: '47.1.1.4' }))).toMatchObject({
      code: 'Resource.QuotaFull',
      status: 400,
    });
    // The same address is fine in another region.
    await cgw({ IpAddress: '47.1.1.1', RegionId: 'cn-shanghai' });

    for (const [fault, code] of [
      ['CreateCustomerGateway:Forbidden=1', 'Forbidden'],
      ['CreateCustomerGateway:Forbbiden.SubUser=1', 'Forbbiden.SubUser'],
    ] as const) {
      sim.setFaults(fault);
      const err = await popFailure(cgw({ IpAddress: '47.1.1.9', RegionId: 'cn-beijing' }));
      expect(err).toMatchObject({ code, status: 403 });
      expect(err.data.Message).toContain(code);
    }
    expect(sim.state().customerGateways).toHaveLength(4);
  });

  it('answers a repeated ClientToken with the first gateway, and other parameters with a mismatch', async () => {
    const first = await cgw({ IpAddress: '47.1.2.3', Name: 'office', ClientToken: 't-1' });
    const again = await cgw({ IpAddress: '47.1.2.3', Name: 'office', ClientToken: 't-1' });
    expect(again).toEqual({ ...first, RequestId: again.RequestId });
    expect(again.RequestId).not.toBe(first.RequestId);
    const mismatch = await popFailure(cgw({ IpAddress: '47.1.2.4', ClientToken: 't-1' }));
    expect(mismatch).toMatchObject({ code: 'IdempotentParameterMismatch', status: 400 });
    // A failed first use is not remembered: its retry with the same token may succeed.
    sim.setFaults('Throttling.User=1');
    await popFailure(cgw({ IpAddress: '47.1.2.5', ClientToken: 't-2' }));
    sim.setFaults('');
    expect((await cgw({ IpAddress: '47.1.2.5', ClientToken: 't-2' })).IpAddress).toBe('47.1.2.5');
    expect(sim.state().customerGateways).toHaveLength(2);
    expect(
      sim
        .state()
        .clientTokens.map((t) => `${t.action}:${t.token}`)
        .sort(),
    ).toEqual(['CreateCustomerGateway:t-1', 'CreateCustomerGateway:t-2']);
  });

  it('pages, filters and deletes', async () => {
    for (let i = 1; i <= 3; i++) {
      await cgw({ IpAddress: `47.2.0.${i}`, RegionId: 'cn-shanghai' });
      clock.advance(1_000);
    }
    const page = (n: number) =>
      call<{
        CustomerGateways: { CustomerGateway: CustomerGateway[] };
        TotalCount: number;
        PageNumber: number;
        PageSize: number;
      }>('DescribeCustomerGateways', { RegionId: 'cn-shanghai', PageSize: 2, PageNumber: n });
    const [p1, p2, p3] = [await page(1), await page(2), await page(3)];
    expect(p1).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 2 });
    expect([p1, p2, p3].flatMap((p) => p.CustomerGateways.CustomerGateway.map((g) => g.IpAddress))).toEqual([
      '47.2.0.3',
      '47.2.0.2',
      '47.2.0.1',
    ]);
    expect(p3.CustomerGateways.CustomerGateway).toEqual([]);
    const id = p2.CustomerGateways.CustomerGateway[0]?.CustomerGatewayId as string;
    const one = await call<{ TotalCount: number }>('DescribeCustomerGateways', {
      RegionId: 'cn-shanghai',
      CustomerGatewayId: id,
    });
    expect(one.TotalCount).toBe(1);
    await call('DeleteCustomerGateway', { RegionId: 'cn-shanghai', CustomerGatewayId: id });
    expect(
      (await popFailure(call('DescribeCustomerGateway', { RegionId: 'cn-shanghai', CustomerGatewayId: id })))
        .code,
    ).toBe('InvalidCustomerGatewayInstanceId.NotFound');
    expect((await page(1)).TotalCount).toBe(2);
    // The address is free again.
    await cgw({ IpAddress: '47.2.0.1', RegionId: 'cn-shanghai' });
  });
});

describe('regions, VPCs and vSwitches', () => {
  it('names regions in Chinese by default and in English on request', async () => {
    type Regions = { Regions: { Region: { RegionId: string; LocalName: string; RegionEndpoint: string }[] } };
    const zh = await call<Regions>('DescribeRegions');
    const en = await call<Regions>('DescribeRegions', { AcceptLanguage: 'en-US' });
    expect(zh.Regions.Region.map((r) => r.RegionId)).toEqual(
      expect.arrayContaining(['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1', 'eu-central-1']),
    );
    expect(zh.Regions.Region.find((r) => r.RegionId === 'cn-hangzhou')).toEqual({
      RegionId: 'cn-hangzhou',
      LocalName: '华东1（杭州）',
      RegionEndpoint: 'vpc.cn-hangzhou.aliyuncs.com',
    });
    expect(en.Regions.Region.find((r) => r.RegionId === 'ap-southeast-1')?.LocalName).toBe('Singapore');
    expect((await popFailure(call('DescribeRegions', { AcceptLanguage: 'fr-FR' }))).code).toBe(
      'InvalidAcceptLanguage',
    );
  });

  it('lists VPCs with their vSwitches, by id list and name, and refuses more than 20 ids or a PageSize over 50', async () => {
    type Vpcs = {
      Vpcs: { Vpc: (Vpc & { VpcName: string; Status: string; RegionId: string })[] };
      TotalCount: number;
    };
    const all = await call<Vpcs>('DescribeVpcs', { RegionId: 'eu-central-1' });
    expect(all.TotalCount).toBeGreaterThanOrEqual(2);
    expect(all.Vpcs.Vpc.every((v) => v.RegionId === 'eu-central-1' && v.Status === 'Available')).toBe(true);
    const [x, y] = all.Vpcs.Vpc;
    const byIds = await call<Vpcs>('DescribeVpcs', {
      RegionId: 'eu-central-1',
      VpcId: `${x?.VpcId},${y?.VpcId}`,
    });
    expect(byIds.TotalCount).toBe(2);
    const byName = await call<Vpcs>('DescribeVpcs', {
      RegionId: 'eu-central-1',
      VpcName: y?.VpcName as string,
    });
    expect(byName.Vpcs.Vpc.map((v) => v.VpcId)).toEqual([y?.VpcId]);
    const switches = await call<{ VSwitches: { VSwitch: VSwitch[] } }>('DescribeVSwitches', {
      VpcId: y?.VpcId as string,
    });
    expect(switches.VSwitches.VSwitch.map((s) => s.VSwitchId).sort()).toEqual(
      [...(y?.VSwitchIds.VSwitchId ?? [])].sort(),
    );
    expect(switches.VSwitches.VSwitch.every((s) => /^eu-central-1[a-c]$/.test(s.ZoneId))).toBe(true);
    const ids = Array.from({ length: 21 }, (_, i) => `vpc-${i}`).join(',');
    expect((await popFailure(call('DescribeVpcs', { RegionId: 'eu-central-1', VpcId: ids }))).code).toBe(
      'InvalidVpcId',
    );
    expect(await popFailure(call('DescribeVpcs', { RegionId: 'eu-central-1', PageSize: 51 }))).toMatchObject({
      code: 'InvalidPageSize',
      status: 400,
    });
    expect((await popFailure(call('DescribeVpcs', { RegionId: 'eu-central-1', PageNumber: 0 }))).code).toBe(
      'InvalidPageNumber',
    );
  });
});

describe('faults are decided before the action', () => {
  it('a refused create has no effect', async () => {
    sim.setFaults(parseFaults('CreateVpnGateway:InternalError=1'));
    expect(await popFailure(vpn())).toMatchObject({ code: 'InternalError', status: 500 });
    expect(sim.state().vpnGateways).toEqual([]);
    expect(sim.state().calls.CreateVpnGateway).toBe(1);
  });
});
