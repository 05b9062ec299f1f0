/**
 * What a key rotation sends and when it counts as applied (docs/requests.md, "Key rotation"), from
 * DescribeVpnConnection answers written here in the shape Alibaba's SDK models give them: every
 * value the connection has is sent back as it is, the keys alone new; done once the connection's
 * `State` is `active` again and no tunnel is `updating`.
 */
import { describe, expect, it } from 'vitest';
import { resourceOf } from '../../src/resources/index.js';

const rotation = resourceOf('vpn_connection').rotateKey;
if (!rotation) throw new Error('vpn_connection has no key rotation');
const keyOf = (part: string) => `new-key-of-${part}`;

const IKE = {
  IkeVersion: 'ikev2',
  IkeMode: 'main',
  IkeEncAlg: 'aes256',
  IkeAuthAlg: 'sha256',
  IkePfs: 'group14',
  LocalId: '47.1.1.1',
  RemoteId: 'branch.example',
  Psk: 'old-key',
};
const SINGLE = {
  VpnConnectionId: 'vco-single000000000001',
  VpnGatewayId: 'vpn-0000000000000001',
  LocalSubnet: '10.0.0.0/16,10.1.0.0/16',
  RemoteSubnet: '172.16.0.0/16',
  EffectImmediately: true,
  State: 'active',
  IkeConfig: { ...IKE, IkeLifetime: 86400 },
  IpsecConfig: { IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'group2', IpsecLifetime: 86400 },
};

function tunnel(id: string, role: string, cidr: string) {
  return {
    TunnelId: id,
    Role: role,
    CustomerGatewayId: `cgw-of-${id}`,
    State: 'active',
    Status: 'ipsec_sa_established',
    EnableDpd: 'true',
    EnableNatTraversal: 'false',
    TunnelIkeConfig: { ...IKE, IkeLifetime: '28800' },
    TunnelIpsecConfig: {
      IpsecEncAlg: 'aes',
      IpsecAuthAlg: 'sha1',
      IpsecPfs: 'disabled',
      IpsecLifetime: '3600',
    },
    TunnelBgpConfig: {
      LocalAsn: '65001',
      LocalBgpIp: cidr.replace('0/30', '1'),
      TunnelCidr: cidr,
      PeerAsn: '65002',
      BgpStatus: 'success',
    },
  };
}
function dual(bgp: boolean) {
  return {
    VpnConnectionId: 'vco-dual00000000000001',
    LocalSubnet: '192.168.0.0/16',
    RemoteSubnet: '172.16.0.0/16',
    EffectImmediately: false,
    EnableTunnelsBgp: bgp,
    State: 'active',
    // The slave first: entries are sent master first whatever the answer's order.
    TunnelOptionsSpecification: {
      TunnelOptions: [
        tunnel('tun-b', 'slave', '169.254.20.0/30'),
        tunnel('tun-a', 'master', '169.254.10.0/30'),
      ],
    },
  };
}

describe('what a key rotation sends', () => {
  it('single tunnel: the whole IkeConfig with the new key, and the subnets and EffectImmediately as they are', () => {
    const sent = rotation.params(SINGLE, keyOf);
    expect(sent).toEqual({
      LocalSubnet: '10.0.0.0/16,10.1.0.0/16',
      RemoteSubnet: '172.16.0.0/16',
      EffectImmediately: true,
      IkeConfig: expect.any(String),
    });
    expect(JSON.parse(String(sent.IkeConfig))).toEqual({
      ...IKE,
      IkeLifetime: 86400,
      Psk: 'new-key-of-vco-single000000000001',
    });
  });

  it('dual tunnel: each entry whole, master first, its BGP settings only when BGP is on', () => {
    const entry = (n: number, id: string, cidr: string) => ({
      [`TunnelOptionsSpecification.${n}.TunnelId`]: id,
      [`TunnelOptionsSpecification.${n}.Role`]: n === 1 ? 'master' : 'slave',
      [`TunnelOptionsSpecification.${n}.EnableDpd`]: true,
      [`TunnelOptionsSpecification.${n}.EnableNatTraversal`]: false,
      ...Object.fromEntries(
        Object.entries({ ...IKE, IkeLifetime: '28800', Psk: `new-key-of-${id}` }).map(([k, v]) => [
          `TunnelOptionsSpecification.${n}.TunnelIkeConfig.${k}`,
          v,
        ]),
      ),
      [`TunnelOptionsSpecification.${n}.TunnelIpsecConfig.IpsecEncAlg`]: 'aes',
      [`TunnelOptionsSpecification.${n}.TunnelIpsecConfig.IpsecAuthAlg`]: 'sha1',
      [`TunnelOptionsSpecification.${n}.TunnelIpsecConfig.IpsecPfs`]: 'disabled',
      [`TunnelOptionsSpecification.${n}.TunnelIpsecConfig.IpsecLifetime`]: '3600',
      ...(cidr
        ? {
            [`TunnelOptionsSpecification.${n}.TunnelBgpConfig.LocalAsn`]: '65001',
            [`TunnelOptionsSpecification.${n}.TunnelBgpConfig.LocalBgpIp`]: cidr.replace('0/30', '1'),
            [`TunnelOptionsSpecification.${n}.TunnelBgpConfig.TunnelCidr`]: cidr,
          }
        : {}),
    });
    const common = { LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', EffectImmediately: false };
    expect(rotation.params(dual(false), keyOf)).toEqual({
      ...common,
      ...entry(1, 'tun-a', ''),
      ...entry(2, 'tun-b', ''),
    });
    expect(rotation.params(dual(true), keyOf)).toEqual({
      ...common,
      ...entry(1, 'tun-a', '169.254.10.0/30'),
      ...entry(2, 'tun-b', '169.254.20.0/30'),
    });
  });

  it('sends nothing it did not read: an answer without a setting gets no value made up for it', () => {
    const bare = {
      VpnConnectionId: 'vco-bare',
      TunnelOptionsSpecification: { TunnelOptions: [{ TunnelId: 'tun-x', Role: 'master' }] },
    };
    expect(rotation.params(bare, keyOf)).toEqual({
      'TunnelOptionsSpecification.1.TunnelId': 'tun-x',
      'TunnelOptionsSpecification.1.Role': 'master',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.Psk': 'new-key-of-tun-x',
    });
  });
});

describe('when a key rotation is applied', () => {
  const seen = (item: Record<string, unknown>) => rotation.watch.observe(item);
  const withTunnelState = (state: string) => {
    const item = dual(false);
    const [first] = item.TunnelOptionsSpecification.TunnelOptions;
    if (first) first.State = state;
    return item;
  };

  it('is done once the connection is active again and no tunnel is updating', () => {
    expect(seen(dual(false))).toEqual({ status: 'active', ready: true });
    expect(seen(SINGLE)).toEqual({ status: 'active', ready: true });
  });

  it('is not done while the connection, or one of its tunnels, is updating', () => {
    expect(seen({ ...SINGLE, State: 'updating' })).toEqual({ status: 'updating', ready: false });
    expect(seen({ ...dual(false), State: 'updating' }).ready).toBe(false);
    expect(seen(withTunnelState('updating')).ready).toBe(false);
  });

  it('is not taken for done from a state other than active, nor from none', () => {
    expect(seen({ ...SINGLE, State: 'financialLocked' }).ready).toBe(false);
    const { State: _, ...stateless } = SINGLE;
    expect(seen(stateless)).toEqual({ status: 'unknown', ready: false });
  });
});
