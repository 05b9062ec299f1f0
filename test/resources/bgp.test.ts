/**
 * BGP on an IPsec connection's tunnels, as the declaration takes it (docs/requests.md, "BGP"):
 * the form's rules (a free-standing /30 inside 169.254.0.0/16, not reserved, the two tunnels
 * apart, Alibaba's address inside it, an AS number), in both languages; what is sent (dual tunnel:
 * flat TunnelBgpConfig fields; single tunnel: the JSON string BgpConfig), defaults filled in; the
 * /30s proposed; and each tunnel's session as DescribeVpnConnection(s) give it (`bgpOf`).
 */
import { describe, expect, it } from 'vitest';
import {
  bgpOf,
  freeTunnelCidrs,
  resourceOf,
  toApiParams,
  validateParams,
} from '../../src/resources/index.js';

const connection = resourceOf('vpn_connection');
const T = (n: 1 | 2, field: string) => `TunnelOptionsSpecification.${n}.TunnelBgpConfig.${field}`;
const DUAL = {
  RegionId: 'cn-hangzhou',
  VpnGatewayId: 'vpn-0000000000000001',
  'TunnelOptionsSpecification.1.CustomerGatewayId': 'cgw-0000000000000001',
  'TunnelOptionsSpecification.2.CustomerGatewayId': 'cgw-0000000000000002',
  LocalSubnet: '192.168.0.0/16',
  RemoteSubnet: '172.16.0.0/16',
};
const DUAL_BGP: Record<string, string> = {
  ...DUAL,
  EnableTunnelsBgp: 'true',
  [T(1, 'TunnelCidr')]: '169.254.10.0/30',
  [T(2, 'TunnelCidr')]: '169.254.20.0/30',
};
const SINGLE = {
  RegionId: 'me-east-1',
  VpnGatewayId: 'vpn-0000000000000001',
  CustomerGatewayId: 'cgw-0000000000000001',
  LocalSubnet: '192.168.0.0/16',
  RemoteSubnet: '172.16.0.0/16',
};

const errorsOf = (values: Record<string, unknown>) => {
  const r = validateParams(connection, values);
  return r.ok ? {} : r.errors;
};
function wired(values: Record<string, unknown>) {
  const r = validateParams(connection, values);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return connection.wire(toApiParams(connection, r.params));
}

describe('the form’s BGP rules', () => {
  it.each([
    ['169.254.10.1/30', /is not a \/30 network/],
    ['169.254.10.0/29', /is not a \/30 network/],
    ['10.0.0.0/30', /is outside 169\.254\.0\.0\/16/],
    ['169.254.6.0/30', /is reserved by Alibaba Cloud/],
    ['169.254.169.252/30', /is reserved by Alibaba Cloud/],
  ])('refuses %s as a tunnel /30, in both languages', (cidr, said) => {
    const error = errorsOf({ ...DUAL_BGP, [T(1, 'TunnelCidr')]: cidr })[T(1, 'TunnelCidr')];
    expect(error?.en).toMatch(said);
    expect(error?.en).toMatch(/^BGP tunnel network, tunnel 1 \(active\): .*\. (Choose|Write) /);
    expect(error?.['zh-CN']).toMatch(/^BGP 隧道网段：隧道 1（主）/);
  });

  it('needs each tunnel’s /30 once BGP is on, and its own', () => {
    const without = Object.fromEntries(Object.entries(DUAL_BGP).filter(([k]) => k !== T(2, 'TunnelCidr')));
    expect(errorsOf(without)[T(2, 'TunnelCidr')]?.en).toMatch(/not chosen, and BGP is on/);
    const same = errorsOf({ ...DUAL_BGP, [T(2, 'TunnelCidr')]: '169.254.10.0/30' })[T(2, 'TunnelCidr')];
    expect(same?.en).toMatch(/169\.254\.10\.0\/30 is tunnel 1's too/);
    expect(same?.['zh-CN']).toMatch(/已用于隧道 1/);
  });

  it.each([
    ['169.254.10.0', false],
    ['169.254.10.3', false],
    ['169.254.20.1', false],
    ['169.254.10.1', true],
    ['169.254.10.2', true],
  ])('takes %s as Alibaba’s address in 169.254.10.0/30: %s', (ip, ok) => {
    const error = errorsOf({ ...DUAL_BGP, [T(1, 'LocalBgpIp')]: ip })[T(1, 'LocalBgpIp')];
    if (ok) expect(error).toBeUndefined();
    else {
      expect(error?.en).toContain(
        `${ip} is not a usable address of 169.254.10.0/30. Use 169.254.10.1 or 169.254.10.2`,
      );
      expect(error?.['zh-CN']).toContain('不是 169.254.10.0/30 中的可用地址');
    }
  });

  it.each([
    ['0', false],
    ['4294967296', false],
    ['65a', false],
    ['4294967295', true],
    ['1', true],
  ])('takes %s as Alibaba’s AS number: %s', (asn, ok) => {
    const error = errorsOf({ ...DUAL_BGP, [T(2, 'LocalAsn')]: asn })[T(2, 'LocalAsn')];
    expect(error === undefined).toBe(ok);
  });

  it('asks nothing of BGP while it is off, or in a region of the other tunnel mode', () => {
    const off = validateParams(connection, { ...DUAL, [T(1, 'TunnelCidr')]: 'nonsense' });
    expect(off.ok && off.params.EnableTunnelsBgp).toBe(false);
    expect(off.ok && Object.keys(off.params).some((k) => k.includes('TunnelBgpConfig'))).toBe(false);
    const elsewhere = validateParams(connection, {
      ...SINGLE,
      EnableTunnelsBgp: 'true',
      [T(1, 'TunnelCidr')]: 'x',
    });
    expect(elsewhere.ok && Object.keys(elsewhere.params).some((k) => /Tunnels?Bgp/.test(k))).toBe(false);
  });
});

describe('what is sent', () => {
  it('dual tunnel: EnableTunnelsBgp and each tunnel’s settings flat, Alibaba’s address and ASN defaulted', () => {
    const sent = wired({ ...DUAL_BGP, [T(2, 'LocalBgpIp')]: '169.254.20.2', [T(2, 'LocalAsn')]: '1.10' });
    expect(sent).toMatchObject({
      EnableTunnelsBgp: true,
      [T(1, 'TunnelCidr')]: '169.254.10.0/30',
      [T(1, 'LocalBgpIp')]: '169.254.10.1',
      [T(1, 'LocalAsn')]: '45104',
      [T(2, 'TunnelCidr')]: '169.254.20.0/30',
      [T(2, 'LocalBgpIp')]: '169.254.20.2',
      [T(2, 'LocalAsn')]: '65546',
    });
    expect(sent.BgpConfig).toBeUndefined();
    expect(wired(DUAL).EnableTunnelsBgp).toBe(false);
    expect(Object.keys(wired(DUAL)).some((k) => k.includes('TunnelBgpConfig'))).toBe(false);
  });

  it('single tunnel: the JSON string BgpConfig, only when BGP is on', () => {
    const sent = wired({
      ...SINGLE,
      'BgpConfig.EnableBgp': 'true',
      'BgpConfig.TunnelCidr': '169.254.11.0/30',
    });
    expect(JSON.parse(String(sent.BgpConfig))).toEqual({
      EnableBgp: true,
      TunnelCidr: '169.254.11.0/30',
      LocalBgpIp: '169.254.11.1',
      LocalAsn: 45_104,
    });
    expect(Object.keys(sent).filter((k) => k.startsWith('BgpConfig.'))).toEqual([]);
    expect(wired(SINGLE).BgpConfig).toBeUndefined();
    expect(
      errorsOf({
        ...SINGLE,
        'BgpConfig.EnableBgp': 'true',
        'BgpConfig.TunnelCidr': '169.254.11.0/30',
        'BgpConfig.LocalBgpIp': '169.254.11.3',
      })['BgpConfig.LocalBgpIp']?.en,
    ).toMatch(/^Alibaba Cloud’s BGP address: 169\.254\.11\.3 is not a usable address/);
  });
});

describe('the /30s proposed', () => {
  it('leaves out the reserved ones and those in use, and follows what is typed', () => {
    const used = new Set(['169.254.10.0/30', '169.254.10.8/30']);
    const values = freeTunnelCidrs(used, '', 100).map((c) => c.value);
    expect(values.slice(0, 3)).toEqual(['169.254.10.4/30', '169.254.10.12/30', '169.254.10.16/30']);
    expect(values).toHaveLength(100);
    const all = freeTunnelCidrs(new Set(), '', 20_000).map((c) => c.value);
    expect(all).toHaveLength(16_384 - 8);
    expect(all).not.toContain('169.254.169.252/30');
    expect(all).not.toContain('169.254.3.0/30');
    expect(freeTunnelCidrs(used, '169.254.77.8/30', 5).map((c) => c.value)).toEqual(['169.254.77.8/30']);
    expect(freeTunnelCidrs(used, '169.254.10.0/30', 5)).toEqual([]);
    expect(freeTunnelCidrs(used, '169.254.200.', 2).map((c) => c.value)).toEqual([
      '169.254.200.0/30',
      '169.254.200.4/30',
    ]);
  });
});

describe('each tunnel’s session, read back', () => {
  it('dual tunnel: master first, as TunnelBgpConfig gives it; nothing when BGP is off', () => {
    const session = (cidr: string, status: string) => ({
      TunnelCidr: cidr,
      LocalBgpIp: cidr.replace(/0\/30$/, '1'),
      LocalAsn: '45104',
      PeerAsn: '65001',
      PeerBgpIp: cidr.replace(/0\/30$/, '2'),
      BgpStatus: status,
    });
    const item = {
      EnableTunnelsBgp: true,
      TunnelOptionsSpecification: {
        TunnelOptions: [
          { Role: 'slave', TunnelBgpConfig: session('169.254.20.0/30', 'false') },
          { Role: 'master', TunnelBgpConfig: session('169.254.10.0/30', 'success') },
        ],
      },
    };
    expect(bgpOf(item)).toEqual([
      {
        index: 1,
        tunnelCidr: '169.254.10.0/30',
        localAsn: '45104',
        localBgpIp: '169.254.10.1',
        peerAsn: '65001',
        peerBgpIp: '169.254.10.2',
        status: 'success',
      },
      expect.objectContaining({ index: 2, tunnelCidr: '169.254.20.0/30', status: 'false' }),
    ]);
    expect(bgpOf({ ...item, EnableTunnelsBgp: false })).toEqual([]);
  });

  it('single tunnel: VpnBgpConfig, its ASNs numbers, its key never read', () => {
    const item = {
      VpnBgpConfig: {
        EnableBgp: 'true',
        TunnelCidr: '169.254.11.0/30',
        LocalBgpIp: '169.254.11.1',
        LocalAsn: 45_104,
        PeerAsn: 65_010,
        PeerBgpIp: '169.254.11.2',
        Status: 'success',
        AuthKey: 'never-shown-key',
      },
    };
    const [only] = bgpOf(item);
    expect(only).toEqual({
      index: 1,
      tunnelCidr: '169.254.11.0/30',
      localAsn: '45104',
      localBgpIp: '169.254.11.1',
      peerAsn: '65010',
      peerBgpIp: '169.254.11.2',
      status: 'success',
    });
    expect(JSON.stringify(connection.watch?.observe(item))).not.toContain('never-shown-key');
    expect(bgpOf({ VpnBgpConfig: { EnableBgp: 'false' } })).toEqual([]);
  });
});

describe('the tunnels-up watch with BGP', () => {
  const item = (bgpStatus: string) => ({
    VpnConnectionId: 'vco-0000000000000001',
    EnableTunnelsBgp: true,
    TunnelOptionsSpecification: {
      TunnelOptions: [1, 2].map((n) => ({
        TunnelId: `tun-000000000000000${n}`,
        Role: n === 1 ? 'master' : 'slave',
        CustomerGatewayId: `cgw-000000000000000${n}`,
        Status: 'ipsec_sa_established',
        TunnelBgpConfig: {
          TunnelCidr: `169.254.${n}0.0/30`,
          LocalBgpIp: `169.254.${n}0.1`,
          LocalAsn: '45104',
          PeerAsn: `6500${n}`,
          PeerBgpIp: `169.254.${n}0.2`,
          BgpStatus: bgpStatus,
        },
      })),
    },
  });

  it('is settled once every session is established, and says so; otherwise names the sessions down', () => {
    const settle = connection.settle;
    if (!settle) throw new Error('a connection is watched until its tunnels are up');
    const waiting = settle.observe(item('false'));
    expect(waiting.settled).toBe(false);
    expect(waiting.facts.Tunnel2Bgp).toBe(
      'false · 169.254.20.0/30 · 169.254.20.1 AS 45104 ↔ 169.254.20.2 AS 65002',
    );
    const late = settle.unsettled('vco-0000000000000001', waiting.facts, '30 minutes', 'en');
    expect(late).toContain('the tunnels of `vco-0000000000000001` are up but BGP is not established');
    expect(late).toContain('• Tunnel 2 (standby): false · 169.254.20.0/30');
    expect(settle.unsettled('vco-0000000000000001', waiting.facts, '30 分钟', 'zh-CN')).toContain(
      'BGP 会话未建立',
    );
    const up = settle.observe(item('success'));
    expect(up.settled).toBe(true);
    expect(settle.settled('vco-0000000000000001', up.facts, 'en')).toContain(
      'BGP is established in both tunnels',
    );
    const rows = connection.result(up.facts, { RegionId: 'cn-hangzhou' }, 'en').map((r) => r.label.en);
    expect(rows).toEqual([
      'Tunnel 1 (active)',
      'Tunnel 2 (standby)',
      'Tunnel 1 BGP (Alibaba Cloud ↔ your device)',
      'Tunnel 2 BGP (Alibaba Cloud ↔ your device)',
    ]);
  });
});
