/**
 * Deletes in the simulator, through pop-core: an IPsec-VPN connection goes at once; a customer
 * gateway or VPN gateway is refused while a connection uses it; a VPN gateway shows `deleting` for
 * the delete time and is then not found; a subscription in its term cannot be released; a repeated
 * delete with its ClientToken succeeds even once the resource is gone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/simulator/index.js';
import { type PopParams, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { account, DUAL_REGION, type Gateway, SINGLE_REGION, tunnels } from './account.js';
import { popFailure } from './helpers.js';

const KEY = { accessKeyId: 'del-key', accessKeySecret: 'del-secret' };
const clock = new ManualClock(Date.UTC(2025, 3, 1, 9, 0, 0));
let sim: TestSimulator;
let acct: ReturnType<typeof account>;

beforeAll(async () => {
  sim = await startTestSimulator({ ...KEY, clock, provisionTimeMs: 10_000, deleteTimeMs: 20_000 });
  acct = account(sim, KEY, clock);
});
afterEach(() => {
  const violations = sim.conformanceViolations(true);
  sim.reset();
  sim.setDeleteTime(20_000);
  expect(violations).toEqual([]);
});
afterAll(() => sim.close());

const connect = async (gw: Gateway, cgw: string) =>
  (
    await acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: gw.RegionId,
      VpnGatewayId: gw.VpnGatewayId,
      LocalSubnet: '172.17.0.0/16',
      RemoteSubnet: '10.20.0.0/16',
      ...(gw.RegionId === SINGLE_REGION
        ? { CustomerGatewayId: cgw }
        : { TunnelOptionsSpecification: tunnels(cgw, cgw) }),
    })
  ).VpnConnectionId;
const del = (action: string, params: PopParams) => acct.call(action, params);
const failure = async (action: string, params: PopParams) => {
  const f = await popFailure(acct.call(action, params));
  return { code: f.code, status: f.status, message: f.data.Message };
};

describe('DeleteVpnConnection', () => {
  it('removes the connection at once; its token answers again, an unknown id is NotFound', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const id = await connect(gw, await acct.customerGateway('47.70.0.1', SINGLE_REGION));
    sim.configurePeer({ vpnConnectionId: id });
    const params = { RegionId: SINGLE_REGION, VpnConnectionId: id, ClientToken: 'del-vco-1' };
    expect(Object.keys(await del('DeleteVpnConnection', params))).toEqual(['RequestId']);
    expect(sim.state()).toMatchObject({ vpnConnections: [], configuredConnections: [] });
    expect(
      await failure('DescribeVpnConnection', { RegionId: SINGLE_REGION, VpnConnectionId: id }),
    ).toMatchObject({
      code: 'InvalidVpnConnectionInstanceId.NotFound',
      status: 404,
    });
    await del('DeleteVpnConnection', params);
    expect(await failure('DeleteVpnConnection', { ...params, ClientToken: 'del-vco-2' })).toMatchObject({
      code: 'InvalidVpnConnectionInstanceId.NotFound',
      status: 404,
    });
    expect(
      (await failure('DeleteVpnConnection', { RegionId: SINGLE_REGION, VpnConnectionId: 'vco-nothere' }))
        .code,
    ).toBe('InvalidVpnConnectionInstanceId.NotFound');
    // The region is part of the id's address.
    const other = await connect(gw, await acct.customerGateway('47.70.0.2', SINGLE_REGION));
    expect(
      (await failure('DeleteVpnConnection', { RegionId: DUAL_REGION, VpnConnectionId: other })).code,
    ).toBe('InvalidVpnConnectionInstanceId.NotFound');
    expect(sim.state().vpnConnections.map((c) => c.VpnConnectionId)).toEqual([other]);
  });
});

describe('DeleteCustomerGateway', () => {
  it('is refused while a connection uses the customer gateway on any tunnel, and allowed after', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const cgw = await acct.customerGateway('47.71.0.1', DUAL_REGION);
    const id = await connect(gw, cgw);
    const params = { RegionId: DUAL_REGION, CustomerGatewayId: cgw, ClientToken: 'del-cgw-1' };
    expect(await failure('DeleteCustomerGateway', params)).toEqual({
      code: 'DependencyViolation.VpnConnection',
      status: 400,
      message: `The specified customer gateway is used by IPsec-VPN connection(s) ${id}; delete them first.`,
    });
    expect(sim.state().customerGateways).toHaveLength(1);
    await del('DeleteVpnConnection', { RegionId: DUAL_REGION, VpnConnectionId: id });
    // The refused attempt was not remembered: the same token now succeeds, and again.
    await del('DeleteCustomerGateway', params);
    await del('DeleteCustomerGateway', params);
    expect(sim.state().customerGateways).toEqual([]);
    expect(
      (await failure('DeleteCustomerGateway', { RegionId: DUAL_REGION, CustomerGatewayId: cgw })).code,
    ).toBe('InvalidCustomerGatewayInstanceId.NotFound');
  });
});

describe('DeleteVpnGateway', () => {
  const describeGw = (gw: Gateway) =>
    acct.call<{ Status: string; InternetIp: string }>('DescribeVpnGateway', {
      RegionId: gw.RegionId,
      VpnGatewayId: gw.VpnGatewayId,
    });
  const listed = async (regionId: string, params: PopParams = {}) =>
    (
      await acct.call<{ VpnGateways: { VpnGateway: { VpnGatewayId: string; Status: string }[] } }>(
        'DescribeVpnGateways',
        { RegionId: regionId, ...params },
      )
    ).VpnGateways.VpnGateway.map((g) => [g.VpnGatewayId, g.Status]);

  it('is refused while a connection uses it, then `deleting` for the delete time, then gone', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const cgw = await acct.customerGateway('47.72.0.1', DUAL_REGION);
    const id = await connect(gw, cgw);
    const params = { RegionId: DUAL_REGION, VpnGatewayId: gw.VpnGatewayId, ClientToken: 'del-vpn-1' };
    expect(await failure('DeleteVpnGateway', params)).toEqual({
      code: 'DependencyViolation.VpnConnection',
      status: 400,
      message: `The specified VPN gateway is used by IPsec-VPN connection(s) ${id}; delete them first.`,
    });
    expect((await describeGw(gw)).Status).toBe('active');
    await del('DeleteVpnConnection', { RegionId: DUAL_REGION, VpnConnectionId: id });

    await del('DeleteVpnGateway', params);
    expect(await describeGw(gw)).toMatchObject({ Status: 'deleting', InternetIp: gw.InternetIp });
    expect(await listed(DUAL_REGION, { Status: 'deleting' })).toEqual([[gw.VpnGatewayId, 'deleting']]);
    // Meanwhile nothing new attaches to it, and another delete is told it is already going.
    expect(
      (
        await failure('CreateVpnConnection', {
          RegionId: DUAL_REGION,
          VpnGatewayId: gw.VpnGatewayId,
          LocalSubnet: '172.17.0.0/16',
          RemoteSubnet: '10.20.0.0/16',
          TunnelOptionsSpecification: tunnels(cgw, cgw),
        })
      ).code,
    ).toBe('IncorrectStatus.VpnGateway');
    expect((await failure('DeleteVpnGateway', { ...params, ClientToken: 'del-vpn-2' })).code).toBe(
      'IncorrectStatus.VpnGateway',
    );
    clock.advance(19_999);
    expect((await describeGw(gw)).Status).toBe('deleting');
    clock.advance(1);
    expect(
      await failure('DescribeVpnGateway', { RegionId: DUAL_REGION, VpnGatewayId: gw.VpnGatewayId }),
    ).toMatchObject({
      code: 'InvalidVpnGatewayInstanceId.NotFound',
      status: 404,
    });
    expect(await listed(DUAL_REGION)).toEqual([]);
    expect(sim.state().vpnGateways).toEqual([]);
    // A retry with the token answers as the first did; without one, the gateway is not found.
    expect(Object.keys(await del('DeleteVpnGateway', params))).toEqual(['RequestId']);
    expect(
      (await failure('DeleteVpnGateway', { RegionId: DUAL_REGION, VpnGatewayId: gw.VpnGatewayId })).code,
    ).toBe('InvalidVpnGatewayInstanceId.NotFound');
    // The customer gateway is free to go now too.
    await del('DeleteCustomerGateway', { RegionId: DUAL_REGION, CustomerGatewayId: cgw });
  });

  it('keeps a subscription in its term (ForbiddenRelease), and releases it once the term is over', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION, {
      InstanceChargeType: 'PREPAY',
      Period: 1,
      AutoPay: true,
    });
    const params = { RegionId: SINGLE_REGION, VpnGatewayId: gw.VpnGatewayId };
    expect(await failure('DeleteVpnGateway', params)).toEqual({
      code: 'ForbiddenRelease',
      status: 403,
      message: 'Forbidden to release a prepaid instance within validity period',
    });
    expect((await describeGw(gw)).Status).toBe('active');
    clock.advance(32 * 24 * 3_600_000);
    await del('DeleteVpnGateway', params);
    expect((await describeGw(gw)).Status).toBe('deleting');
  });

  it('takes the delete time from the handle and from /_simulator/config, for the deletes after', async () => {
    const first = await acct.vpnGateway(SINGLE_REGION);
    const second = await acct.vpnGateway(SINGLE_REGION);
    sim.setDeleteTime(0);
    await del('DeleteVpnGateway', { RegionId: SINGLE_REGION, VpnGatewayId: first.VpnGatewayId });
    expect(
      (await failure('DescribeVpnGateway', { RegionId: SINGLE_REGION, VpnGatewayId: first.VpnGatewayId }))
        .code,
    ).toBe('InvalidVpnGatewayInstanceId.NotFound');
    const post = (body: unknown) =>
      fetch(`${sim.url}/_simulator/config`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ deleteTimeMs: 5_000 })).status).toBe(200);
    await del('DeleteVpnGateway', { RegionId: SINGLE_REGION, VpnGatewayId: second.VpnGatewayId });
    clock.advance(4_999);
    expect((await describeGw(second)).Status).toBe('deleting');
    clock.advance(1);
    expect(await listed(SINGLE_REGION)).toEqual([]);
    const bad = await post({ deleteTimeMs: -1, provisionTimeMs: 5 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: 'deleteTimeMs must be a number, 0 or more' });
    expect((await post({})).status).toBe(400);
  });
});
