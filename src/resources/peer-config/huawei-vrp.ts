/**
 * The device's side as Huawei VRP commands (AR routers, V200R008 and later), written from Huawei's
 * CLI configuration guide for IPsec: `ike proposal` (IKEv1 `authentication-algorithm`, IKEv2
 * `integrity-algorithm` and `prf`), `ike peer` (`undo version 2` for IKEv1 only, `undo version 1`
 * for IKEv2 only, `pre-shared-key cipher`, `remote-address`), `ipsec proposal`. Static routing is
 * policy-based: an advanced ACL of the networks and an ISAKMP `ipsec policy` per tunnel (master
 * first) for the WAN interface. With BGP each tunnel is a tunnel interface
 * (`tunnel-protocol ipsec`, `ipsec profile`) with its inside address, and `bgp` peers with Alibaba.
 *
 * Names are kept within VRP's 15 characters. The VRP command line takes `?` as a request for help
 * and reads a string in double quotes as quoted, so a key holding either gets a note. Typed text
 * appears only in a `description`, on one line.
 */
import {
  addressAndMask,
  advertised,
  checkPeerConfig,
  cliText,
  identityKind,
  shortId,
  translate,
  usesBgp,
  wildcard,
} from './check.js';
import type { PeerConfig, PeerTunnel } from './model.js';

const ENCRYPTION: Record<string, string> = {
  aes: 'aes-128',
  aes192: 'aes-192',
  aes256: 'aes-256',
  des: 'des',
  '3des': '3des',
};
const AUTHENTICATION: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha2-256',
  sha384: 'sha2-384',
  sha512: 'sha2-512',
};
const INTEGRITY: Record<string, string> = {
  md5: 'hmac-md5-96',
  sha1: 'hmac-sha1-96',
  sha256: 'hmac-sha2-256',
  sha384: 'hmac-sha2-384',
  sha512: 'hmac-sha2-512',
};
const PRF: Record<string, string> = {
  md5: 'hmac-md5',
  sha1: 'hmac-sha1',
  sha256: 'hmac-sha2-256',
  sha384: 'hmac-sha2-384',
  sha512: 'hmac-sha2-512',
};
/** The groups Huawei's AR guide lists for `dh` and `pfs` that Alibaba also offers (no group 24). */
const GROUP: Record<string, string> = {
  group1: 'group1',
  group2: 'group2',
  group5: 'group5',
  group14: 'group14',
};

const at = (t: PeerTunnel) => `tunnels[${t.index}]`;

/** VRP's words for an identity type. */
const ID_TYPE = { address: 'ip', email: 'user-fqdn', fqdn: 'fqdn' } as const;

function ikeProposal(t: PeerTunnel): string[] {
  const { ike } = t;
  const auth =
    ike.version === 'ikev1'
      ? [` authentication-algorithm ${translate(AUTHENTICATION, ike.authAlg, `${at(t)}.ike.authAlg`)}`]
      : [
          ` integrity-algorithm ${translate(INTEGRITY, ike.authAlg, `${at(t)}.ike.authAlg`)}`,
          ` prf ${translate(PRF, ike.authAlg, `${at(t)}.ike.authAlg`)}`,
        ];
  return [
    '#',
    `ike proposal ${10 + t.index}`,
    ` encryption-algorithm ${translate(ENCRYPTION, ike.encAlg, `${at(t)}.ike.encAlg`)}`,
    ...auth,
    ' authentication-method pre-share',
    ` dh ${translate(GROUP, ike.dhGroup, `${at(t)}.ike.dhGroup`)}`,
    ` sa duration ${ike.lifetimeSeconds}`,
  ];
}

function idLines(role: 'local' | 'remote', id: string): string[] {
  const kind = identityKind(id);
  // An address identity is the peer's own address unless told otherwise.
  if (kind === 'address') return [` ${role}-id-type ip`];
  return [` ${role}-id-type ${ID_TYPE[kind]}`, ` ${role}-id ${id}`];
}

function ikePeer(t: PeerTunnel, name: string): string[] {
  const { ike } = t;
  return [
    '#',
    `ike peer ${name}`,
    ike.version === 'ikev1' ? ' undo version 2' : ' undo version 1',
    ...(ike.version === 'ikev1' ? [` exchange-mode ${ike.mode}`] : []),
    ` pre-shared-key cipher ${ike.psk}`,
    ` ike-proposal ${10 + t.index}`,
    ...idLines('local', ike.localId),
    ...idLines('remote', ike.remoteId),
    ` remote-address ${t.remote}`,
  ];
}

function ipsecProposal(t: PeerTunnel, name: string): string[] {
  return [
    '#',
    `ipsec proposal ${name}`,
    ` esp authentication-algorithm ${translate(AUTHENTICATION, t.ipsec.authAlg, `${at(t)}.ipsec.authAlg`)}`,
    ` esp encryption-algorithm ${translate(ENCRYPTION, t.ipsec.encAlg, `${at(t)}.ipsec.encAlg`)}`,
  ];
}

/** What an IPsec policy and an IPsec profile share: the peer, the proposal, PFS and lifetime. */
function phase2Settings(t: PeerTunnel, name: string): string[] {
  const pfs = t.ipsec.pfs.toLowerCase();
  return [
    ` ike-peer ${name}`,
    ` proposal ${name}`,
    ...(pfs === 'disabled' ? [] : [` pfs dh-${translate(GROUP, pfs, `${at(t)}.ipsec.pfs`)}`]),
    ` sa duration time-based ${t.ipsec.lifetimeSeconds}`,
  ];
}

function policyBased(
  config: PeerConfig,
  base: string,
  acl: number,
  name: (t: PeerTunnel) => string,
): string[] {
  const lines = ['#', `acl number ${acl}`];
  let rule = 5;
  for (const local of config.localSubnets)
    for (const remote of config.remoteSubnets) {
      const [l, r] = [addressAndMask(local)[0], addressAndMask(remote)[0]];
      lines.push(
        ` rule ${rule} permit ip source ${l} ${wildcard(local)} destination ${r} ${wildcard(remote)}`,
      );
      rule += 5;
    }
  for (const t of config.tunnels)
    lines.push(
      '#',
      `ipsec policy ${base} ${10 * t.index} isakmp`,
      ` security acl ${acl}`,
      ...phase2Settings(t, name(t)),
    );
  lines.push(
    '#',
    '# Apply the policy on the interface facing the Internet, for example:',
    '#   interface GigabitEthernet0/0/1',
    `#    ipsec policy ${base}`,
  );
  return lines;
}

function routeBased(config: PeerConfig, name: (t: PeerTunnel) => string): string[] {
  const lines: string[] = [];
  for (const t of config.tunnels) {
    const description = `Alibaba Cloud ${config.connectionId} tunnel ${t.index}${config.name ? `: ${config.name}` : ''}`;
    lines.push(
      '#',
      `ipsec profile ${name(t)}`,
      ...phase2Settings(t, name(t)),
      '#',
      `interface Tunnel0/0/${t.index}`,
      ` description ${cliText(description, 200)}`,
      ...(t.bgp ? [` ip address ${t.bgp.localIp} ${addressAndMask(t.bgp.tunnelCidr)[1]}`] : []),
      ' tunnel-protocol ipsec',
      ` source ${t.local}`,
      ` destination ${t.remote}`,
      ` ipsec profile ${name(t)}`,
    );
  }
  const withBgp = config.tunnels.filter((t) => t.bgp);
  const first = withBgp[0]?.bgp;
  if (!first) return lines;
  lines.push('#', `bgp ${first.localAsn}`);
  for (const t of withBgp) if (t.bgp) lines.push(` peer ${t.bgp.peerIp} as-number ${t.bgp.peerAsn}`);
  lines.push(' ipv4-family unicast');
  for (const net of advertised(config)) lines.push(`  network ${addressAndMask(net).join(' ')}`);
  for (const t of withBgp) if (t.bgp) lines.push(`  peer ${t.bgp.peerIp} enable`);
  return lines;
}

export function renderHuaweiVrp(config: PeerConfig): string {
  checkPeerConfig(config);
  const base = `ali${shortId(config)}`;
  const name = (t: PeerTunnel) => `${base}-t${t.index}`;
  const awkwardKey = config.tunnels.some((t) => t.ike.psk.includes('?') || t.ike.psk.startsWith('"'));
  return [
    `# Huawei VRP configuration for Alibaba Cloud IPsec connection ${config.connectionId}`,
    `# ${usesBgp(config) ? 'Route-based (a tunnel interface per tunnel, BGP over it)' : 'Policy-based (an IPsec policy per tunnel)'}; enter it in the system view.`,
    '# The numbers and names chosen here (ACL, IKE proposals, tunnel interfaces) must be free on the device.',
    ...(awkwardKey
      ? [
          '# A key holds "?" or starts with a double quote, which the VRP command line does not take as typed: set it from the web interface.',
        ]
      : []),
    ...config.tunnels.flatMap(ikeProposal),
    ...config.tunnels.flatMap((t) => ikePeer(t, name(t))),
    ...config.tunnels.flatMap((t) => ipsecProposal(t, name(t))),
    ...(usesBgp(config) ? routeBased(config, name) : policyBased(config, base, 3100, name)),
    '#',
    'return',
    '',
  ].join('\n');
}
