/**
 * BGP in the simulator's IPsec connections, through the unmodified pop-core client: Alibaba's
 * rules for a tunnel's /30 (inside 169.254.0.0/16, not reserved, the two tunnels apart, unique per
 * VPN gateway), LocalBgpIp inside it, an ASN on every customer gateway, the defaults; and the
 * sessions as DescribeVpnConnection(s) show them, established once the peer is configured. Every
 * request is checked against the official metadata.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/simulator/index.js';
import type { PopParams } from '../../support/simulator.js';
import { DUAL_REGION, SINGLE_REGION, tunnels, useSimulatedAccount } from './account.js';
import { popFailure } from './helpers.js';

const KEY = { accessKeyId: 'bgp-key', accessKeySecret: 'bgp-secret' };
const clock = new ManualClock(Date.UTC(2025, 2, 1, 9, 0, 0));
const s = useSimulatedAccount(KEY, clock, { provisionTimeMs: 10_000 });

const bgpCgw = async (ip: string, region: string, asn: number) =>
  (
    await s.acct.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: region,
      IpAddress: ip,
      Asn: asn,
    })
  ).CustomerGatewayId;

const bgp = (cidr: string, more: Record<string, string> = {}) => ({
  'TunnelBgpConfig.TunnelCidr': cidr,
  ...more,
});

interface Session {
  [field: string]: unknown;
}

describe('BGP on dual tunnels', () => {
  it('takes a /30 per tunnel with Alibaba’s defaults, refuses what Alibaba refuses, and shows the sessions up once the peer is', async () => {
    const gw = await s.acct.vpnGateway(DUAL_REGION);
    const a = await bgpCgw('47.62.0.1', DUAL_REGION, 65001);
    const b = await bgpCgw('47.62.0.2', DUAL_REGION, 65002);
    const plain = await s.acct.customerGateway('47.62.0.3', DUAL_REGION);
    const create = (tunnelsSpec: Record<string, string>[], params: PopParams = {}) =>
      s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
        RegionId: DUAL_REGION,
        VpnGatewayId: gw.VpnGatewayId,
        LocalSubnet: '172.17.0.0/16',
        RemoteSubnet: '10.10.0.0/16',
        EnableTunnelsBgp: true,
        TunnelOptionsSpecification: tunnelsSpec,
        ...params,
      });
    const code = async (spec: Record<string, string>[]) => (await popFailure(create(spec))).code;

    expect(await code(tunnels(a, b, [bgp('169.254.10.1/30'), bgp('169.254.20.0/30')]))).toBe(
      'InvalidParameter.TunnelCidr',
    );
    expect(await code(tunnels(a, b, [bgp('169.254.10.0/29'), bgp('169.254.20.0/30')]))).toBe(
      'InvalidParameter.TunnelCidr',
    );
    expect(await code(tunnels(a, b, [bgp('10.0.0.0/30'), bgp('169.254.20.0/30')]))).toBe(
      'InvalidParameter.TunnelCidr',
    );
    expect(await code(tunnels(a, b, [bgp('169.254.6.0/30'), bgp('169.254.20.0/30')]))).toBe(
      'InvalidParameter.TunnelCidr',
    );
    expect(await code(tunnels(a, b, [bgp('169.254.169.252/30'), bgp('169.254.20.0/30')]))).toBe(
      'InvalidParameter.TunnelCidr',
    );
    expect(await code(tunnels(a, b, [{}, bgp('169.254.20.0/30')]))).toBe('InvalidParameter.TunnelCidr');
    expect(await code(tunnels(a, b, [bgp('169.254.10.0/30'), bgp('169.254.10.0/30')]))).toBe(
      'InvalidParameter.TunnelCidrConflict',
    );
    expect(
      await code(
        tunnels(a, b, [
          bgp('169.254.10.0/30', { 'TunnelBgpConfig.LocalBgpIp': '169.254.10.3' }),
          bgp('169.254.20.0/30'),
        ]),
      ),
    ).toBe('InvalidParameter.LocalBgpIp');
    expect(await code(tunnels(a, plain, [bgp('169.254.10.0/30'), bgp('169.254.20.0/30')]))).toBe(
      'InvalidParameter.CustomerGatewayAsn',
    );
    expect(s.sim.state().vpnConnections).toHaveLength(0);

    const made = await create(
      tunnels(a, b, [
        bgp('169.254.10.0/30'),
        bgp('169.254.20.0/30', {
          'TunnelBgpConfig.LocalBgpIp': '169.254.20.2',
          'TunnelBgpConfig.LocalAsn': '65530',
        }),
      ]),
    );
    const seen = async () =>
      (
        await s.acct.call<{
          EnableTunnelsBgp: boolean;
          TunnelOptionsSpecification: { TunnelOptions: { TunnelBgpConfig: Session }[] };
        }>('DescribeVpnConnection', { RegionId: DUAL_REGION, VpnConnectionId: made.VpnConnectionId })
      ).TunnelOptionsSpecification.TunnelOptions.map((t) => t.TunnelBgpConfig);
    expect(await seen()).toEqual([
      {
        TunnelCidr: '169.254.10.0/30',
        LocalBgpIp: '169.254.10.1',
        LocalAsn: '45104',
        PeerAsn: '65001',
        PeerBgpIp: '169.254.10.2',
        BgpStatus: 'false',
      },
      {
        TunnelCidr: '169.254.20.0/30',
        LocalBgpIp: '169.254.20.2',
        LocalAsn: '65530',
        PeerAsn: '65002',
        PeerBgpIp: '169.254.20.1',
        BgpStatus: 'false',
      },
    ]);
    s.sim.configurePeer({ vpnConnectionId: made.VpnConnectionId });
    expect((await seen()).map((s) => s.BgpStatus)).toEqual(['success', 'success']);
    const listed = await s.acct.call<{
      VpnConnections: {
        VpnConnection: { TunnelOptionsSpecification: { TunnelOptions: { TunnelBgpConfig: Session }[] } }[];
      };
    }>('DescribeVpnConnections', { RegionId: DUAL_REGION, VpnGatewayId: gw.VpnGatewayId });
    expect(
      listed.VpnConnections.VpnConnection[0]?.TunnelOptionsSpecification.TunnelOptions.map(
        (t) => t.TunnelBgpConfig.TunnelCidr,
      ),
    ).toEqual(['169.254.10.0/30', '169.254.20.0/30']);

    // Unique per VPN gateway: another connection cannot take either /30.
    const c = await bgpCgw('47.62.0.4', DUAL_REGION, 65003);
    const d = await bgpCgw('47.62.0.5', DUAL_REGION, 65004);
    const conflict = await popFailure(
      create(tunnels(c, d, [bgp('169.254.30.0/30'), bgp('169.254.20.0/30')])),
    );
    expect(conflict.code).toBe('InvalidParameter.TunnelCidrConflict');
    expect(conflict.message).toContain(made.VpnConnectionId);
    await create(tunnels(c, d, [bgp('169.254.30.0/30'), bgp('169.254.40.0/30')]));
    expect(s.sim.state().vpnConnections).toHaveLength(2);
  });
});

describe('BGP on a single tunnel', () => {
  it('takes BgpConfig as JSON and shows VpnBgpConfig with the peer’s ASN as a number', async () => {
    const gw = await s.acct.vpnGateway(SINGLE_REGION);
    const cgw = await bgpCgw('47.63.0.1', SINGLE_REGION, 65010);
    const create = (config: Record<string, unknown>, customerGatewayId = cgw) =>
      s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
        RegionId: SINGLE_REGION,
        VpnGatewayId: gw.VpnGatewayId,
        CustomerGatewayId: customerGatewayId,
        LocalSubnet: '172.17.0.0/16',
        RemoteSubnet: '10.10.0.0/16',
        BgpConfig: JSON.stringify(config),
      });
    expect((await popFailure(create({ EnableBgp: true, TunnelCidr: '169.254.3.0/30' }))).code).toBe(
      'InvalidParameter.TunnelCidr',
    );
    expect(
      (await popFailure(create({ EnableBgp: true, TunnelCidr: '169.254.11.0/30', LocalAsn: 0 }))).code,
    ).toBe('InvalidParameter.LocalAsn');
    const plain = await s.acct.customerGateway('47.63.0.2', SINGLE_REGION);
    expect((await popFailure(create({ EnableBgp: true, TunnelCidr: '169.254.11.0/30' }, plain))).code).toBe(
      'InvalidParameter.CustomerGatewayAsn',
    );
    const made = await create({ EnableBgp: true, TunnelCidr: '169.254.11.0/30', LocalAsn: '1.10' });
    const seen = await s.acct.call<{ VpnBgpConfig: Session }>('DescribeVpnConnection', {
      RegionId: SINGLE_REGION,
      VpnConnectionId: made.VpnConnectionId,
    });
    expect(seen.VpnBgpConfig).toEqual({
      EnableBgp: 'true',
      TunnelCidr: '169.254.11.0/30',
      LocalBgpIp: '169.254.11.1',
      LocalAsn: 65_546,
      PeerAsn: 65_010,
      PeerBgpIp: '169.254.11.2',
      Status: 'false',
    });
  });
});
