/**
 * Peer configurations the format tests write from: a dual-tunnel connection with BGP over IKEv2,
 * the same without BGP, and a single-tunnel one over IKEv1 (static, policy-based). Addresses are
 * from the documentation ranges (RFC 5737) and 169.254.0.0/16 for BGP, as Alibaba asks.
 */
import type { PeerConfig, PeerIke, PeerTunnel } from '../../../src/resources/peer-config/index.js';

/** Every character of Alibaba's key alphabet that is not a letter or a digit. */
export const AWKWARD_KEY = '~!`@#$%^&*()_-+={}[]|;:\',.<>/?"\\k';

function ike(version: PeerIke['version'], psk: string, remoteId: string): PeerIke {
  return {
    version,
    mode: 'main',
    encAlg: 'aes256',
    authAlg: 'sha256',
    dhGroup: 'group14',
    lifetimeSeconds: 86400,
    localId: '198.51.100.10',
    remoteId,
    psk,
  };
}

function tunnel(index: 1 | 2, version: PeerIke['version'], bgp: boolean): PeerTunnel {
  const remote = `203.0.113.${index}`;
  return {
    index,
    tunnelId: `tun-0000000000000000${index}`,
    role: index === 1 ? 'master' : 'slave',
    local: '198.51.100.10',
    remote,
    ike: ike(version, index === 1 ? 'Key1of2_abcdefgh' : 'Key2of2_ijklmnop', remote),
    ipsec: { encAlg: 'aes', authAlg: 'sha1', pfs: 'group2', lifetimeSeconds: 3600 },
    ...(bgp
      ? {
          bgp: {
            localAsn: '65010',
            peerAsn: '45104',
            tunnelCidr: `169.254.1${index}.0/30`,
            localIp: `169.254.1${index}.2`,
            peerIp: `169.254.1${index}.1`,
          },
        }
      : {}),
  };
}

export function dualTunnel(options: { bgp: boolean; version?: PeerIke['version'] }): PeerConfig {
  const version = options.version ?? 'ikev2';
  return {
    connectionId: 'vco-0000000000000001',
    name: 'Shanghai office',
    localSubnets: ['192.168.10.0/24', '192.168.20.0/24'],
    remoteSubnets: ['10.10.0.0/16'],
    tunnels: [tunnel(1, version, options.bgp), tunnel(2, version, options.bgp)],
  };
}

export function singleTunnel(options: { version?: PeerIke['version']; psk?: string } = {}): PeerConfig {
  const only = tunnel(1, options.version ?? 'ikev1', false);
  const { tunnelId: _id, role: _role, ...rest } = only;
  return {
    connectionId: 'vco-0000000000000002',
    localSubnets: ['192.168.30.0/24'],
    remoteSubnets: ['10.20.0.0/16', '10.30.0.0/16'],
    tunnels: [{ ...rest, ike: { ...rest.ike, psk: options.psk ?? rest.ike.psk } }],
  };
}

/** A copy of `config` with every tunnel's settings changed by `change`. */
export function withTunnels(config: PeerConfig, change: (t: PeerTunnel) => PeerTunnel): PeerConfig {
  return { ...config, tunnels: config.tunnels.map(change) };
}
