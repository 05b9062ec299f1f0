/**
 * ModifyVpnConnectionAttribute in the simulator, as a key rotation uses it: a new key per tunnel in
 * both modes (Alibaba's rules for a key), the VPN gateway `updating` and then `active`, one change at
 * a time, ClientToken idempotence, and the tunnels down until the peer is configured again; the
 * rest of a whole tunnel entry, the subnets and EffectImmediately taken when they are what the
 * connection has, and a different value refused (the simulator changes keys only).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/simulator/index.js';
import { DUAL_REGION, type Gateway, SINGLE_REGION, tunnels, useSimulatedAccount } from './account.js';
import { popFailure } from './helpers.js';

const KEY = { accessKeyId: 'mod-key', accessKeySecret: 'mod-secret' };
const clock = new ManualClock(Date.UTC(2025, 3, 1, 9, 0, 0));
const UPDATE_MS = 4_000;
const s = useSimulatedAccount(KEY, clock, { provisionTimeMs: 1_000, updateTimeMs: UPDATE_MS });

async function connected(gw: Gateway): Promise<string> {
  const cgw = await s.acct.customerGateway(
    gw.RegionId === SINGLE_REGION ? '47.71.0.1' : '47.71.0.2',
    gw.RegionId,
  );
  const { VpnConnectionId } = await s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
    RegionId: gw.RegionId,
    VpnGatewayId: gw.VpnGatewayId,
    LocalSubnet: '172.17.0.0/16',
    RemoteSubnet: '10.20.0.0/16',
    ...(gw.RegionId === SINGLE_REGION
      ? { CustomerGatewayId: cgw }
      : { TunnelOptionsSpecification: tunnels(cgw, cgw) }),
  });
  s.sim.configurePeer({ vpnConnectionId: VpnConnectionId });
  return VpnConnectionId;
}

const tunnelsOf = (id: string) =>
  s.sim.state().vpnConnections.find((c) => c.VpnConnectionId === id)?.tunnels ?? [];
const gatewayStatus = (id: string) => s.sim.state().vpnGateways.find((g) => g.VpnGatewayId === id)?.Status;
const failure = async (params: Record<string, unknown>) =>
  (await popFailure(s.acct.call('ModifyVpnConnectionAttribute', params as never))).code;

describe('ModifyVpnConnectionAttribute', () => {
  it('gives each tunnel of a dual-tunnel connection its new key; the gateway is updating, then active', async () => {
    const gw = await s.acct.vpnGateway(DUAL_REGION);
    const id = await connected(gw);
    const [one, two] = tunnelsOf(id);
    expect(one?.Status).toBe('ipsec_sa_established');
    const params = {
      RegionId: DUAL_REGION,
      VpnConnectionId: id,
      ClientToken: 'rotate-1',
      TunnelOptionsSpecification: [
        { TunnelId: one?.TunnelId, Role: 'master', 'TunnelIkeConfig.Psk': 'New-key-1' },
        { TunnelId: two?.TunnelId, Role: 'slave', 'TunnelIkeConfig.Psk': 'New-key-2' },
      ],
    };
    await s.acct.call('ModifyVpnConnectionAttribute', params as never);
    expect(tunnelsOf(id).map((t) => [t.ike.Psk, t.Status])).toEqual([
      ['New-key-1', 'ike_sa_not_established'],
      ['New-key-2', 'ike_sa_not_established'],
    ]);
    expect(tunnelsOf(id)[0]?.ike.IkeVersion).toBe(one?.ike.IkeVersion);
    expect(gatewayStatus(gw.VpnGatewayId)).toBe('updating');
    const listed = await s.acct.call<{
      State: string;
      TunnelOptionsSpecification: { TunnelOptions: { State: string }[] };
    }>('DescribeVpnConnection', { RegionId: DUAL_REGION, VpnConnectionId: id });
    expect([listed.State, ...listed.TunnelOptionsSpecification.TunnelOptions.map((t) => t.State)]).toEqual([
      'updating',
      'updating',
      'updating',
    ]);
    // One change at a time per gateway; the same token and parameters answer again.
    expect(await failure({ ...params, ClientToken: 'rotate-2' })).toBe('VpnGateway.Configuring');
    await s.acct.call('ModifyVpnConnectionAttribute', params as never);
    expect(
      await failure({
        ...params,
        TunnelOptionsSpecification: [{ TunnelId: one?.TunnelId, 'TunnelIkeConfig.Psk': 'x' }],
      }),
    ).toBe('IdempotentParameterMismatch');
    clock.advance(UPDATE_MS);
    expect(gatewayStatus(gw.VpnGatewayId)).toBe('active');
    // Down until the peer is configured again, with the new keys.
    expect(tunnelsOf(id).every((t) => t.Status === 'ike_sa_not_established')).toBe(true);
    s.sim.configurePeer({ vpnConnectionId: id });
    expect(tunnelsOf(id).every((t) => t.Status === 'ipsec_sa_established')).toBe(true);
  });

  it("refuses a key Alibaba would refuse, a tunnel of another connection, another mode's parameters", async () => {
    const gw = await s.acct.vpnGateway(DUAL_REGION);
    const id = await connected(gw);
    const [one] = tunnelsOf(id);
    const entry = (psk: string) => ({
      RegionId: DUAL_REGION,
      VpnConnectionId: id,
      TunnelOptionsSpecification: [{ TunnelId: one?.TunnelId, 'TunnelIkeConfig.Psk': psk }],
    });
    for (const bad of ['has space', '', 'x'.repeat(101), 'quote"d'])
      expect(await failure(entry(bad))).toBe('InvalidTunnelOptionsSpecification');
    expect(
      await failure({
        ...entry('ok'),
        TunnelOptionsSpecification: [{ TunnelId: 'tun-other', 'TunnelIkeConfig.Psk': 'ok' }],
      }),
    ).toBe('InvalidTunnelOptionsSpecification');
    expect(await failure({ RegionId: DUAL_REGION, VpnConnectionId: id, IkeConfig: '{"Psk":"ok"}' })).toBe(
      'InvalidIkeConfig.NotSupported',
    );
    expect(await failure({ ...entry('ok'), Name: 'renamed' })).toBe('OperationUnsupported.Attribute');
    expect(tunnelsOf(id)[0]?.ike.Psk).toBe(one?.ike.Psk);
    expect(gatewayStatus(gw.VpnGatewayId)).toBe('active');
  });

  it("takes a whole entry, the subnets and EffectImmediately when they are the connection's own, and no other value", async () => {
    const gw = await s.acct.vpnGateway(DUAL_REGION);
    const cgw = (
      await s.acct.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
        RegionId: DUAL_REGION,
        IpAddress: '47.71.0.9',
        Asn: '65010',
      })
    ).CustomerGatewayId;
    const bgp = (cidr: string) => ({
      'TunnelBgpConfig.TunnelCidr': cidr,
      'TunnelBgpConfig.LocalBgpIp': cidr.replace('0/30', '1'),
      'TunnelBgpConfig.LocalAsn': '65001',
    });
    const { VpnConnectionId: id } = await s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: DUAL_REGION,
      VpnGatewayId: gw.VpnGatewayId,
      LocalSubnet: '172.17.0.0/16,172.18.0.0/16',
      RemoteSubnet: '10.20.0.0/16',
      EnableTunnelsBgp: 'true',
      TunnelOptionsSpecification: tunnels(cgw, cgw, [bgp('169.254.30.0/30'), bgp('169.254.31.0/30')]),
    });
    type Entry = Record<string, unknown> & {
      TunnelIpsecConfig: Record<string, string>;
      TunnelBgpConfig: Record<string, string>;
    };
    const shown = await s.acct.call<{ TunnelOptionsSpecification: { TunnelOptions: Entry[] } }>(
      'DescribeVpnConnection',
      { RegionId: DUAL_REGION, VpnConnectionId: id },
    );
    const flat = (group: string, values: Record<string, string>, names: string[]) =>
      Object.fromEntries(names.map((k) => [`${group}.${k}`, String(values[k])]));
    const whole = shown.TunnelOptionsSpecification.TunnelOptions.map((t, i) => ({
      TunnelId: String(t.TunnelId),
      Role: String(t.Role),
      EnableDpd: String(t.EnableDpd),
      EnableNatTraversal: String(t.EnableNatTraversal),
      ...flat('TunnelIpsecConfig', t.TunnelIpsecConfig, [
        'IpsecEncAlg',
        'IpsecAuthAlg',
        'IpsecPfs',
        'IpsecLifetime',
      ]),
      ...flat('TunnelBgpConfig', t.TunnelBgpConfig, ['LocalAsn', 'LocalBgpIp', 'TunnelCidr']),
      'TunnelIkeConfig.Psk': `Whole-entry-${i}`,
    }));
    const before = tunnelsOf(id);
    const params = {
      RegionId: DUAL_REGION,
      VpnConnectionId: id,
      // The same blocks in another order and spacing are the same subnets.
      LocalSubnet: '172.18.0.0/16, 172.17.0.0/16',
      RemoteSubnet: '10.20.0.0/16',
      EffectImmediately: 'false',
      TunnelOptionsSpecification: whole,
    };
    await s.acct.call('ModifyVpnConnectionAttribute', params as never);
    expect(tunnelsOf(id).map((t) => t.ike.Psk)).toEqual(['Whole-entry-0', 'Whole-entry-1']);
    expect(tunnelsOf(id).map((t) => [t.ipsec, t.bgp, t.EnableDpd])).toEqual(
      before.map((t) => [t.ipsec, t.bgp, t.EnableDpd]),
    );
    clock.advance(UPDATE_MS);
    const [first, second] = whole;
    const changed = (entry: Record<string, string>) => ({
      ...params,
      TunnelOptionsSpecification: [{ ...first, ...entry }, second],
    });
    for (const refused of [
      { ...params, LocalSubnet: '172.17.0.0/16' },
      { ...params, EffectImmediately: 'true' },
      changed({ 'TunnelIpsecConfig.IpsecEncAlg': 'des' }),
      changed({ 'TunnelBgpConfig.TunnelCidr': '169.254.40.0/30' }),
      changed({ EnableDpd: first?.EnableDpd === 'true' ? 'false' : 'true' }),
    ])
      expect(await failure(refused)).toBe('OperationUnsupported.Attribute');
    expect(tunnelsOf(id).map((t) => t.ike.Psk)).toEqual(['Whole-entry-0', 'Whole-entry-1']);
  });

  it('refuses TunnelBgpConfig for a connection without BGP', async () => {
    const gw = await s.acct.vpnGateway(DUAL_REGION);
    const id = await connected(gw);
    const [one] = tunnelsOf(id);
    expect(
      await failure({
        RegionId: DUAL_REGION,
        VpnConnectionId: id,
        TunnelOptionsSpecification: [
          {
            TunnelId: one?.TunnelId,
            'TunnelBgpConfig.TunnelCidr': '169.254.50.0/30',
            'TunnelIkeConfig.Psk': 'k',
          },
        ],
      }),
    ).toBe('InvalidTunnelOptionsSpecification');
  });

  it('takes a single-tunnel key in IkeConfig, keeping the other IKE settings', async () => {
    const gw = await s.acct.vpnGateway(SINGLE_REGION);
    const id = await connected(gw);
    const before = tunnelsOf(id)[0];
    await s.acct.call('ModifyVpnConnectionAttribute', {
      RegionId: SINGLE_REGION,
      VpnConnectionId: id,
      IkeConfig: JSON.stringify({
        Psk: "a~!`@#$%^&*()_-+={}[]|;:',.<>/?Z",
        IkeVersion: before?.ike.IkeVersion,
      }),
    });
    const after = tunnelsOf(id)[0];
    expect(after?.ike).toEqual({ ...before?.ike, Psk: "a~!`@#$%^&*()_-+={}[]|;:',.<>/?Z" });
    expect(after?.Status).toBe('ike_sa_not_established');
    clock.advance(UPDATE_MS);
    expect(
      await failure({
        RegionId: SINGLE_REGION,
        VpnConnectionId: id,
        TunnelOptionsSpecification: [{ TunnelId: 'x' }],
      }),
    ).toBe('InvalidTunnelOptionsSpecification.NotSupported');
  });
});
