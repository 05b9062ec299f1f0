/**
 * The device's side as strongSwan's `swanctl.conf` (docs.strongswan.org, "swanctl.conf"): one
 * `connections` entry per tunnel and one `secrets` entry per tunnel's key. With BGP a tunnel is
 * route-based: its child carries all traffic (`0.0.0.0/0` both ways) through an XFRM interface
 * (`if_id_in`/`if_id_out`), and the routing daemon's neighbour is written in a comment.
 *
 * Strings are quoted as strongSwan's settings lexer reads them: inside double quotes a backslash
 * takes the next character as it is, so `"` and `\` are escaped and `#`, `{`, `}` and `=` need
 * nothing. swanctl reads a secret that starts with `0x` as hex and `0s` as Base64, so such a key
 * is written in hex.
 */
import { checkPeerConfig, doubleQuoted, oneLine, translate, usesBgp } from './check.js';
import type { PeerConfig, PeerTunnel } from './model.js';

const ENCRYPTION: Record<string, string> = {
  aes: 'aes128',
  aes192: 'aes192',
  aes256: 'aes256',
  des: 'des',
  '3des': '3des',
};

const INTEGRITY: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

const DH_GROUP: Record<string, string> = {
  group1: 'modp768',
  group2: 'modp1024',
  group5: 'modp1536',
  group14: 'modp2048',
  group24: 'modp2048s256',
};

/** A string as swanctl.conf reads it back unchanged. */
const swanctlString = doubleQuoted;

/** The pre-shared key as swanctl reads it: quoted, or in hex where quoting would read as hex or Base64. */
export function swanctlSecret(key: string): string {
  if (/^0[xs]/i.test(key)) return `0x${Buffer.from(key, 'utf8').toString('hex')}`;
  return swanctlString(key);
}

/** A section name: letters, digits, `-` and `_` only (a dot would split it in two). */
function sectionName(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

function ikeProposal(tunnel: PeerTunnel, at: string): string {
  const { encAlg, authAlg, dhGroup } = tunnel.ike;
  return [
    translate(ENCRYPTION, encAlg, `${at}.ike.encAlg`),
    translate(INTEGRITY, authAlg, `${at}.ike.authAlg`),
    translate(DH_GROUP, dhGroup, `${at}.ike.dhGroup`),
  ].join('-');
}

function espProposal(tunnel: PeerTunnel, at: string): string {
  const { encAlg, authAlg, pfs } = tunnel.ipsec;
  const parts = [
    translate(ENCRYPTION, encAlg, `${at}.ipsec.encAlg`),
    translate(INTEGRITY, authAlg, `${at}.ipsec.authAlg`),
  ];
  if (pfs.toLowerCase() !== 'disabled') parts.push(translate(DH_GROUP, pfs, `${at}.ipsec.pfs`));
  return parts.join('-');
}

/** Rekeying at nine tenths of Alibaba's lifetime keeps every SA within it. */
function rekeyAt(lifetimeSeconds: number): number {
  return Math.max(1, Math.floor(lifetimeSeconds * 0.9));
}

interface Child {
  name: string;
  localTs: string[];
  remoteTs: string[];
}

/**
 * The tunnel's children: route-based, one for all traffic; IKEv2, one for all the networks; IKEv1,
 * which negotiates one pair of networks per SA, one per pair.
 */
function childrenOf(config: PeerConfig, tunnel: PeerTunnel, name: string, routeBased: boolean): Child[] {
  if (routeBased) return [{ name, localTs: ['0.0.0.0/0'], remoteTs: ['0.0.0.0/0'] }];
  if (tunnel.ike.version === 'ikev2')
    return [{ name, localTs: config.localSubnets, remoteTs: config.remoteSubnets }];
  const pairs = config.localSubnets.flatMap((l) => config.remoteSubnets.map((r) => [l, r] as const));
  return pairs.map(([l, r], i) => ({
    name: pairs.length === 1 ? name : `${name}-${i + 1}`,
    localTs: [l],
    remoteTs: [r],
  }));
}

function childLines(child: Child, tunnel: PeerTunnel, esp: string, routeBased: boolean): string[] {
  const life = tunnel.ipsec.lifetimeSeconds;
  return [
    `      ${child.name} {`,
    `        local_ts = ${child.localTs.join(',')}`,
    `        remote_ts = ${child.remoteTs.join(',')}`,
    ...(routeBased ? [`        if_id_in = ${tunnel.index}`, `        if_id_out = ${tunnel.index}`] : []),
    `        esp_proposals = ${esp}`,
    `        life_time = ${life}s`,
    `        rekey_time = ${rekeyAt(life)}s`,
    '        dpd_action = restart',
    '        start_action = start',
    '      }',
  ];
}

function connectionLines(config: PeerConfig, tunnel: PeerTunnel, routeBased: boolean): string[] {
  const at = `tunnels[${tunnel.index}]`;
  const name = sectionName(`alibaba-${config.connectionId}-tunnel${tunnel.index}`);
  const { ike } = tunnel;
  const esp = espProposal(tunnel, at);
  return [
    `  ${name} {`,
    `    version = ${ike.version === 'ikev1' ? 1 : 2}`,
    `    local_addrs = ${tunnel.local}`,
    `    remote_addrs = ${tunnel.remote}`,
    `    proposals = ${ikeProposal(tunnel, at)}`,
    ...(ike.version === 'ikev1' && ike.mode === 'aggressive' ? ['    aggressive = yes'] : []),
    `    rekey_time = ${rekeyAt(ike.lifetimeSeconds)}s`,
    `    over_time = ${ike.lifetimeSeconds - rekeyAt(ike.lifetimeSeconds)}s`,
    '    dpd_delay = 30s',
    ...(ike.version === 'ikev2' ? ['    mobike = no'] : []),
    '    local {',
    '      auth = psk',
    `      id = ${swanctlString(ike.localId)}`,
    '    }',
    '    remote {',
    '      auth = psk',
    `      id = ${swanctlString(ike.remoteId)}`,
    '    }',
    '    children {',
    ...childrenOf(config, tunnel, name, routeBased).flatMap((c) => childLines(c, tunnel, esp, routeBased)),
    '    }',
    '  }',
  ];
}

function secretLines(tunnel: PeerTunnel): string[] {
  return [
    `  ike-tunnel${tunnel.index} {`,
    `    id-local = ${swanctlString(tunnel.ike.localId)}`,
    `    id-remote = ${swanctlString(tunnel.ike.remoteId)}`,
    `    secret = ${swanctlSecret(tunnel.ike.psk)}`,
    '  }',
  ];
}

/** What the host needs besides this file for a route-based tunnel: its interface and BGP neighbour. */
function routeBasedComment(config: PeerConfig, tunnel: PeerTunnel): string[] {
  const bgp = tunnel.bgp;
  const prefix = bgp?.tunnelCidr.split('/')[1] ?? '30';
  const link = `ipsec${tunnel.index}`;
  return [
    `# Tunnel ${tunnel.index} is route-based: its traffic goes through the XFRM interface with if_id ${tunnel.index}.`,
    '# Make the interface before loading (eth0: the interface facing the Internet):',
    `#   ip link add ${link} type xfrm dev eth0 if_id ${tunnel.index}`,
    ...(bgp ? [`#   ip address add ${bgp.localIp}/${prefix} dev ${link}`] : []),
    `#   ip link set ${link} up`,
    ...(bgp
      ? [
          `# BGP over tunnel ${tunnel.index}, for the routing daemon (FRR, BIRD, ...):`,
          `#   neighbour ${bgp.peerIp}, its AS ${bgp.peerAsn}; this device's AS ${bgp.localAsn}, source ${bgp.localIp}`,
        ]
      : config.remoteSubnets.map((net) => `#   ip route add ${net} dev ${link}`)),
  ];
}

export function renderStrongswan(config: PeerConfig): string {
  checkPeerConfig(config);
  const routeBased = usesBgp(config);
  const header = [
    `# strongSwan swanctl.conf for Alibaba Cloud IPsec connection ${config.connectionId}`,
    ...(config.name ? [`# Name: ${oneLine(config.name)}`] : []),
    '# Put it in /etc/swanctl/conf.d/ (mode 600: it holds the pre-shared key), then run swanctl --load-all.',
    ...(routeBased ? config.tunnels.flatMap((t) => routeBasedComment(config, t)) : []),
  ];
  return [
    ...header,
    'connections {',
    ...config.tunnels.flatMap((t) => connectionLines(config, t, routeBased)),
    '}',
    'secrets {',
    ...config.tunnels.flatMap(secretLines),
    '}',
    '',
  ].join('\n');
}
