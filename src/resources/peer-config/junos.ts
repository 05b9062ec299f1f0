/**
 * The device's side as Junos `set` commands (SRX), written from Juniper's guide to route-based
 * IPsec VPNs: `security ike proposal` / `policy` / `gateway` (`version v1-only` or `v2-only`,
 * `pre-shared-key ascii-text`), `security ipsec proposal` / `policy` (`perfect-forward-secrecy
 * keys`) / `vpn` bound to a secure tunnel interface `st0.N`. Every tunnel is an st0 unit: with
 * static routing the VPN carries `traffic-selector`s for the networks (the way Junos meets a
 * policy-based peer, with the routes put in by itself); with BGP the unit has the tunnel's inside
 * address and `protocols bgp` peers with Alibaba.
 *
 * Paste it with `load set terminal`. Strings are in double quotes with `"` and `\` escaped;
 * typed text appears only in a `description`, on one line.
 */
import {
  advertised,
  checkPeerConfig,
  doubleQuoted,
  identityKind,
  oneLine,
  shortId,
  translate,
  usesBgp,
} from './check.js';
import type { PeerConfig, PeerTunnel } from './model.js';

const ENCRYPTION: Record<string, string> = {
  aes: 'aes-128-cbc',
  aes192: 'aes-192-cbc',
  aes256: 'aes-256-cbc',
  des: 'des-cbc',
  '3des': '3des-cbc',
};
/** Junos's IKE authentication algorithms for Alibaba's; the guide lists no SHA-512 for IKE. */
const IKE_AUTHENTICATION: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha-256',
  sha384: 'sha-384',
};
const ESP_AUTHENTICATION: Record<string, string> = {
  md5: 'hmac-md5-96',
  sha1: 'hmac-sha1-96',
  sha256: 'hmac-sha-256-128',
  sha384: 'hmac-sha-384-192',
  sha512: 'hmac-sha-512-256',
};
const GROUP: Record<string, string> = {
  group1: 'group1',
  group2: 'group2',
  group5: 'group5',
  group14: 'group14',
  group24: 'group24',
};

const at = (t: PeerTunnel) => `tunnels[${t.index}]`;

/** Junos's words for an identity: `inet 1.2.3.4`, `hostname x`, `user-at-hostname "a@b"`. */
function identity(id: string): string {
  const kind = identityKind(id);
  if (kind === 'address') return `inet ${id}`;
  return `${kind === 'email' ? 'user-at-hostname' : 'hostname'} ${doubleQuoted(id)}`;
}

function ikeLines(t: PeerTunnel, name: string): string[] {
  const { ike } = t;
  const proposal = `set security ike proposal ${name}`;
  const policy = `set security ike policy ${name}`;
  const gateway = `set security ike gateway ${name}`;
  return [
    `${proposal} authentication-method pre-shared-keys`,
    `${proposal} dh-group ${translate(GROUP, ike.dhGroup, `${at(t)}.ike.dhGroup`)}`,
    `${proposal} authentication-algorithm ${translate(IKE_AUTHENTICATION, ike.authAlg, `${at(t)}.ike.authAlg`)}`,
    `${proposal} encryption-algorithm ${translate(ENCRYPTION, ike.encAlg, `${at(t)}.ike.encAlg`)}`,
    `${proposal} lifetime-seconds ${ike.lifetimeSeconds}`,
    ...(ike.version === 'ikev1' ? [`${policy} mode ${ike.mode}`] : []),
    `${policy} proposals ${name}`,
    `${policy} pre-shared-key ascii-text ${doubleQuoted(ike.psk)}`,
    `${gateway} ike-policy ${name}`,
    `${gateway} address ${t.remote}`,
    `${gateway} local-identity ${identity(ike.localId)}`,
    `${gateway} remote-identity ${identity(ike.remoteId)}`,
    `${gateway} external-interface ge-0/0/0.0`,
    `${gateway} dead-peer-detection`,
    `${gateway} version ${ike.version === 'ikev1' ? 'v1-only' : 'v2-only'}`,
  ];
}

function ipsecLines(config: PeerConfig, t: PeerTunnel, name: string): string[] {
  const { ipsec } = t;
  const proposal = `set security ipsec proposal ${name}`;
  const policy = `set security ipsec policy ${name}`;
  const vpn = `set security ipsec vpn ${name}`;
  const pfs = ipsec.pfs.toLowerCase();
  const selectors = t.bgp
    ? []
    : config.localSubnets.flatMap((l, i) =>
        config.remoteSubnets.map(
          (r, j) =>
            `${vpn} traffic-selector ts${i * config.remoteSubnets.length + j + 1} local-ip ${l} remote-ip ${r}`,
        ),
      );
  return [
    `${proposal} protocol esp`,
    `${proposal} authentication-algorithm ${translate(ESP_AUTHENTICATION, ipsec.authAlg, `${at(t)}.ipsec.authAlg`)}`,
    `${proposal} encryption-algorithm ${translate(ENCRYPTION, ipsec.encAlg, `${at(t)}.ipsec.encAlg`)}`,
    `${proposal} lifetime-seconds ${ipsec.lifetimeSeconds}`,
    ...(pfs === 'disabled'
      ? []
      : [`${policy} perfect-forward-secrecy keys ${translate(GROUP, pfs, `${at(t)}.ipsec.pfs`)}`]),
    `${policy} proposals ${name}`,
    `${vpn} bind-interface st0.${t.index}`,
    `${vpn} ike gateway ${name}`,
    `${vpn} ike ipsec-policy ${name}`,
    ...selectors,
    `${vpn} establish-tunnels immediately`,
  ];
}

function interfaceLines(config: PeerConfig, t: PeerTunnel): string[] {
  const unit = `set interfaces st0 unit ${t.index}`;
  const description = `Alibaba Cloud ${config.connectionId} tunnel ${t.index}${config.name ? `: ${config.name}` : ''}`;
  return [
    `${unit} description ${doubleQuoted(oneLine(description).slice(0, 200))}`,
    t.bgp
      ? `${unit} family inet address ${t.bgp.localIp}/${t.bgp.tunnelCidr.split('/')[1]}`
      : `${unit} family inet`,
  ];
}

function bgpLines(config: PeerConfig): string[] {
  const withBgp = config.tunnels.filter((t) => t.bgp);
  const first = withBgp[0]?.bgp;
  if (!first) return [];
  const group = 'set protocols bgp group alibaba';
  return [
    `${group} type external`,
    `${group} local-as ${first.localAsn}`,
    ...withBgp.flatMap((t) => (t.bgp ? [`${group} neighbor ${t.bgp.peerIp} peer-as ${t.bgp.peerAsn}`] : [])),
    ...advertised(config).map(
      (net) => `set policy-options policy-statement alibaba-out term office from route-filter ${net} exact`,
    ),
    'set policy-options policy-statement alibaba-out term office then accept',
    'set policy-options policy-statement alibaba-out then reject',
    `${group} export alibaba-out`,
  ];
}

export function renderJunos(config: PeerConfig): string {
  checkPeerConfig(config);
  const name = (t: PeerTunnel) => `alibaba-${shortId(config)}-${t.index}`;
  const lines = [
    `# Junos configuration for Alibaba Cloud IPsec connection ${config.connectionId}; paste it with: load set terminal`,
    `# ${usesBgp(config) ? 'Route-based with BGP over each st0 unit' : 'Route-based with traffic selectors for the networks'}.`,
    '# ge-0/0/0.0 stands for the interface facing the Internet; put the st0 units in a security zone and allow traffic by policy.',
    ...config.tunnels.flatMap((t) => ikeLines(t, name(t))),
    ...config.tunnels.flatMap((t) => ipsecLines(config, t, name(t))),
    ...config.tunnels.flatMap((t) => interfaceLines(config, t)),
    ...bgpLines(config),
    '',
  ];
  return lines.join('\n');
}
