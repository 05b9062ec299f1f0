/**
 * The device's side as Cisco IOS / IOS XE configuration commands, written from Cisco's guides:
 * IKEv1 with `crypto isakmp policy` and `crypto isakmp key` (aggressive mode through `crypto
 * isakmp peer` and `set aggressive-mode`), IKEv2 with `crypto ikev2 proposal`, `policy`, `keyring`
 * and `profile`; ESP with `crypto ipsec transform-set`. Static routing is policy-based: a crypto
 * map over an access list of the networks, the tunnels as its peers (master first). With BGP each
 * tunnel is a static VTI (`tunnel mode ipsec ipv4`, `tunnel protection ipsec profile`) with the
 * tunnel's inside address, and `router bgp` has Alibaba's address as a neighbour.
 *
 * A key is one word after `0` (not encrypted); the IOS command line takes `?` as a request for
 * help, so a key holding one gets a note. Typed text appears only in a `description`, on one line,
 * `?` shown by name.
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

const ISAKMP_ENCRYPTION: Record<string, string> = {
  aes: 'aes',
  aes192: 'aes 192',
  aes256: 'aes 256',
  des: 'des',
  '3des': '3des',
};
const ISAKMP_HASH: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};
const IKEV2_ENCRYPTION: Record<string, string> = {
  aes: 'aes-cbc-128',
  aes192: 'aes-cbc-192',
  aes256: 'aes-cbc-256',
  des: 'des',
  '3des': '3des',
};
const IKEV2_INTEGRITY: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};
const GROUP: Record<string, string> = { group1: '1', group2: '2', group5: '5', group14: '14', group24: '24' };
const ESP_ENCRYPTION: Record<string, string> = {
  aes: 'esp-aes',
  aes192: 'esp-aes 192',
  aes256: 'esp-aes 256',
  des: 'esp-des',
  '3des': 'esp-3des',
};
const ESP_AUTHENTICATION: Record<string, string> = {
  md5: 'esp-md5-hmac',
  sha1: 'esp-sha-hmac',
  sha256: 'esp-sha256-hmac',
  sha384: 'esp-sha384-hmac',
  sha512: 'esp-sha512-hmac',
};

interface Names {
  /** The connection's prefix (`ALI-000001`): the keyring, the IKEv2 profile and policy, the map, the ACL. */
  base: string;
  tunnel(t: PeerTunnel): string;
}

const at = (t: PeerTunnel) => `tunnels[${t.index}]`;

/** Typed text for a description: one line, `?` (help on the IOS command line) named, 200 characters. */
function descriptionText(value: string): string {
  return cliText(value, 200);
}

/** `identity local …` / `match identity remote …` as IOS words an identity. */
function identity(id: string, remote: boolean): string {
  const kind = identityKind(id);
  if (kind === 'address') return remote ? `address ${id} 255.255.255.255` : `address ${id}`;
  return `${kind} ${id}`;
}

function ikev1Lines(t: PeerTunnel): string[] {
  const { ike } = t;
  const lines = [
    `crypto isakmp policy ${10 * t.index}`,
    ` encryption ${translate(ISAKMP_ENCRYPTION, ike.encAlg, `${at(t)}.ike.encAlg`)}`,
    ` hash ${translate(ISAKMP_HASH, ike.authAlg, `${at(t)}.ike.authAlg`)}`,
    ' authentication pre-share',
    ` group ${translate(GROUP, ike.dhGroup, `${at(t)}.ike.dhGroup`)}`,
    ` lifetime ${ike.lifetimeSeconds}`,
  ];
  if (ike.mode === 'aggressive') {
    const kind = identityKind(ike.localId);
    const endpoint = kind === 'address' ? 'ipv4-address' : kind === 'email' ? 'user-fqdn' : 'fqdn';
    lines.push(
      `crypto isakmp peer address ${t.remote}`,
      ` set aggressive-mode password ${ike.psk}`,
      ` set aggressive-mode client-endpoint ${endpoint} ${ike.localId}`,
    );
  } else {
    lines.push(`crypto isakmp key 0 ${ike.psk} address ${t.remote}`);
  }
  return lines;
}

/** IKEv2: a proposal per tunnel, one policy, one keyring and one profile for the connection. */
function ikev2Lines(tunnels: PeerTunnel[], names: Names): string[] {
  const first = tunnels[0];
  if (!first) return [];
  const lines: string[] = [];
  for (const t of tunnels) {
    lines.push(
      `crypto ikev2 proposal ${names.tunnel(t)}`,
      ` encryption ${translate(IKEV2_ENCRYPTION, t.ike.encAlg, `${at(t)}.ike.encAlg`)}`,
      ` integrity ${translate(IKEV2_INTEGRITY, t.ike.authAlg, `${at(t)}.ike.authAlg`)}`,
      ` group ${translate(GROUP, t.ike.dhGroup, `${at(t)}.ike.dhGroup`)}`,
    );
  }
  lines.push(`crypto ikev2 policy ${names.base}`, ` match address local ${first.local}`);
  for (const t of tunnels) lines.push(` proposal ${names.tunnel(t)}`);
  lines.push(`crypto ikev2 keyring ${names.base}`);
  for (const t of tunnels)
    lines.push(` peer tunnel${t.index}`, `  address ${t.remote}`, `  pre-shared-key 0 ${t.ike.psk}`);
  lines.push(`crypto ikev2 profile ${names.base}`);
  for (const t of tunnels) lines.push(` match identity remote ${identity(t.ike.remoteId, true)}`);
  lines.push(
    ` identity local ${identity(first.ike.localId, false)}`,
    ' authentication remote pre-share',
    ' authentication local pre-share',
    ` keyring local ${names.base}`,
    ` lifetime ${first.ike.lifetimeSeconds}`,
    ' dpd 30 5 on-demand',
  );
  return lines;
}

function transformSet(t: PeerTunnel, name: string): string[] {
  const enc = translate(ESP_ENCRYPTION, t.ipsec.encAlg, `${at(t)}.ipsec.encAlg`);
  const auth = translate(ESP_AUTHENTICATION, t.ipsec.authAlg, `${at(t)}.ipsec.authAlg`);
  return [`crypto ipsec transform-set ${name} ${enc} ${auth}`, ' mode tunnel'];
}

/** `set pfs …` and the SA lifetime, for a crypto map entry or an IPsec profile. */
function phase2Settings(t: PeerTunnel): string[] {
  const pfs = t.ipsec.pfs.toLowerCase();
  return [
    ...(pfs === 'disabled' ? [] : [` set pfs group${translate(GROUP, pfs, `${at(t)}.ipsec.pfs`)}`]),
    ` set security-association lifetime seconds ${t.ipsec.lifetimeSeconds}`,
  ];
}

function policyBasedLines(config: PeerConfig, names: Names): string[] {
  const first = config.tunnels[0] as PeerTunnel;
  const lines = [`ip access-list extended ${names.base}`];
  for (const local of config.localSubnets)
    for (const remote of config.remoteSubnets) {
      const [l, r] = [addressAndMask(local)[0], addressAndMask(remote)[0]];
      lines.push(` permit ip ${l} ${wildcard(local)} ${r} ${wildcard(remote)}`);
    }
  lines.push(`crypto map ${names.base} 10 ipsec-isakmp`);
  if (config.name) lines.push(` description ${descriptionText(config.name)}`);
  for (const t of config.tunnels) lines.push(` set peer ${t.remote}`);
  lines.push(` set transform-set ${config.tunnels.map((t) => names.tunnel(t)).join(' ')}`);
  lines.push(...phase2Settings(first));
  if (first.ike.version === 'ikev2') lines.push(` set ikev2-profile ${names.base}`);
  lines.push(
    ` match address ${names.base}`,
    '! Apply the map on the interface facing the Internet, for example:',
    '!   interface GigabitEthernet0/0',
    `!    crypto map ${names.base}`,
  );
  return lines;
}

function tunnelInterfaceLines(config: PeerConfig, t: PeerTunnel, names: Names): string[] {
  const description = `Alibaba Cloud ${config.connectionId} tunnel ${t.index}${config.name ? `: ${config.name}` : ''}`;
  return [
    `crypto ipsec profile ${names.tunnel(t)}`,
    ` set transform-set ${names.tunnel(t)}`,
    ...phase2Settings(t),
    ...(t.ike.version === 'ikev2' ? [` set ikev2-profile ${names.base}`] : []),
    `interface Tunnel${t.index}`,
    ` description ${descriptionText(description)}`,
    ...(t.bgp
      ? [` ip address ${t.bgp.localIp} ${addressAndMask(t.bgp.tunnelCidr)[1]}`]
      : [' ip unnumbered Loopback0']),
    ` tunnel source ${t.local}`,
    ' tunnel mode ipsec ipv4',
    ` tunnel destination ${t.remote}`,
    ` tunnel protection ipsec profile ${names.tunnel(t)}`,
  ];
}

function bgpLines(config: PeerConfig): string[] {
  const withBgp = config.tunnels.filter((t) => t.bgp);
  const first = withBgp[0]?.bgp;
  if (!first) return [];
  const lines = [`router bgp ${first.localAsn}`];
  for (const t of withBgp) if (t.bgp) lines.push(` neighbor ${t.bgp.peerIp} remote-as ${t.bgp.peerAsn}`);
  lines.push(' address-family ipv4');
  for (const net of advertised(config)) {
    const [address, mask] = addressAndMask(net);
    lines.push(`  network ${address} mask ${mask}`);
  }
  for (const t of withBgp) if (t.bgp) lines.push(`  neighbor ${t.bgp.peerIp} activate`);
  lines.push(' exit-address-family');
  return lines;
}

export function renderCiscoIos(config: PeerConfig): string {
  checkPeerConfig(config);
  const base = `ALI-${shortId(config).toUpperCase()}`;
  const names: Names = { base, tunnel: (t) => `${base}-T${t.index}` };
  const routeBased = usesBgp(config);
  const lines = [
    `! Cisco IOS configuration for Alibaba Cloud IPsec connection ${config.connectionId}`,
    `! ${routeBased ? 'Route-based (a VTI per tunnel, BGP over it)' : 'Policy-based (a crypto map)'}; enter it in configuration mode.`,
    ...(config.tunnels.some((t) => t.ike.psk.includes('?'))
      ? ['! A key holds "?": on the command line, press Ctrl-V before typing each "?" of it.']
      : []),
    ...config.tunnels.filter((t) => t.ike.version === 'ikev1').flatMap(ikev1Lines),
    ...ikev2Lines(
      config.tunnels.filter((t) => t.ike.version === 'ikev2'),
      names,
    ),
    ...config.tunnels.flatMap((t) => transformSet(t, names.tunnel(t))),
    ...(routeBased
      ? [...config.tunnels.flatMap((t) => tunnelInterfaceLines(config, t, names)), ...bgpLines(config)]
      : policyBasedLines(config, names)),
    'end',
    '',
  ];
  return lines.join('\n');
}
