/**
 * The device's side as FortiOS CLI (FortiGate), written from Fortinet's CLI reference for
 * `config vpn ipsec phase1-interface` and `phase2-interface`: interface mode, one phase 1 per
 * tunnel (`ike-version`, `proposal` as encryption-integrity pairs, `dhgrp`, `keylife`, `psksecret`)
 * and its phase 2 (`pfs`, `dhgrp`, `keylifeseconds`, selectors). Static routing: a phase 2 per pair
 * of networks and a static route per VPC network through each tunnel, the master's preferred.
 * With BGP: selectors for all traffic, the tunnel interface's inside addresses, and `config router
 * bgp` with Alibaba's address as a neighbour.
 *
 * Strings are in double quotes with `"` and `\` escaped; FortiOS's command line takes `?` as a
 * request for help, so a key holding one gets a note. Typed text appears only in `comments`.
 */
import {
  addressAndMask,
  advertised,
  checkPeerConfig,
  cliText,
  doubleQuoted,
  shortId,
  translate,
  usesBgp,
} from './check.js';
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
/** FortiOS's `dhgrp` numbers for Alibaba's groups; it has no group 24. */
const GROUP: Record<string, string> = { group1: '1', group2: '2', group5: '5', group14: '14' };

const at = (t: PeerTunnel) => `tunnels[${t.index}]`;

function proposal(t: PeerTunnel, phase: 'ike' | 'ipsec'): string {
  const settings = t[phase];
  return `${translate(ENCRYPTION, settings.encAlg, `${at(t)}.${phase}.encAlg`)}-${translate(INTEGRITY, settings.authAlg, `${at(t)}.${phase}.authAlg`)}`;
}

function phase1(config: PeerConfig, t: PeerTunnel, name: string): string[] {
  const { ike } = t;
  const comment = `Alibaba Cloud ${config.connectionId} tunnel ${t.index}${config.name ? `: ${config.name}` : ''}`;
  return [
    `    edit ${doubleQuoted(name)}`,
    '        set interface "wan1"',
    `        set ike-version ${ike.version === 'ikev1' ? 1 : 2}`,
    ...(ike.version === 'ikev1' ? [`        set mode ${ike.mode}`] : []),
    '        set peertype any',
    '        set net-device disable',
    `        set proposal ${proposal(t, 'ike')}`,
    `        set dhgrp ${translate(GROUP, ike.dhGroup, `${at(t)}.ike.dhGroup`)}`,
    `        set keylife ${ike.lifetimeSeconds}`,
    `        set remote-gw ${t.remote}`,
    ...(ike.localId !== t.local ? [`        set localid ${doubleQuoted(ike.localId)}`] : []),
    '        set dpd on-idle',
    `        set comments ${doubleQuoted(cliText(comment, 255))}`,
    `        set psksecret ${doubleQuoted(ike.psk)}`,
    '    next',
  ];
}

/** A phase 2 per pair of networks; all traffic (`0.0.0.0/0` both ways) when route-based. */
function phase2(config: PeerConfig, t: PeerTunnel, name: string, routeBased: boolean): string[] {
  const pairs = routeBased
    ? [['0.0.0.0/0', '0.0.0.0/0'] as const]
    : config.localSubnets.flatMap((l) => config.remoteSubnets.map((r) => [l, r] as const));
  const pfs = t.ipsec.pfs.toLowerCase();
  return pairs.flatMap(([local, remote], i) => [
    `    edit ${doubleQuoted(pairs.length === 1 ? name : `${name}-${i + 1}`)}`,
    `        set phase1name ${doubleQuoted(name)}`,
    `        set proposal ${proposal(t, 'ipsec')}`,
    ...(pfs === 'disabled'
      ? ['        set pfs disable']
      : ['        set pfs enable', `        set dhgrp ${translate(GROUP, pfs, `${at(t)}.ipsec.pfs`)}`]),
    `        set keylifeseconds ${t.ipsec.lifetimeSeconds}`,
    `        set src-subnet ${addressAndMask(local).join(' ')}`,
    `        set dst-subnet ${addressAndMask(remote).join(' ')}`,
    '        set auto-negotiate enable',
    '    next',
  ]);
}

function staticRoutes(config: PeerConfig, name: (t: PeerTunnel) => string): string[] {
  const lines = ['config router static'];
  for (const t of config.tunnels)
    for (const net of config.remoteSubnets)
      lines.push(
        '    edit 0',
        `        set dst ${addressAndMask(net).join(' ')}`,
        `        set device ${doubleQuoted(name(t))}`,
        `        set distance ${10 * t.index}`,
        '    next',
      );
  lines.push('end');
  return lines;
}

function bgp(config: PeerConfig, name: (t: PeerTunnel) => string): string[] {
  const withBgp = config.tunnels.filter((t) => t.bgp);
  const first = withBgp[0]?.bgp;
  if (!first) return [];
  const lines = ['config system interface'];
  for (const t of withBgp)
    if (t.bgp)
      lines.push(
        `    edit ${doubleQuoted(name(t))}`,
        `        set ip ${t.bgp.localIp} 255.255.255.255`,
        `        set remote-ip ${t.bgp.peerIp} ${addressAndMask(t.bgp.tunnelCidr)[1]}`,
        '        set allowaccess ping',
        '    next',
      );
  lines.push('end', 'config router bgp', `    set as ${first.localAsn}`, '    config neighbor');
  for (const t of withBgp)
    if (t.bgp)
      lines.push(
        `        edit ${doubleQuoted(t.bgp.peerIp)}`,
        `            set remote-as ${t.bgp.peerAsn}`,
        '        next',
      );
  lines.push('    end', '    config network');
  advertised(config).forEach((net, i) => {
    lines.push(
      `        edit ${i + 1}`,
      `            set prefix ${addressAndMask(net).join(' ')}`,
      '        next',
    );
  });
  lines.push('    end', 'end');
  return lines;
}

export function renderFortios(config: PeerConfig): string {
  checkPeerConfig(config);
  const routeBased = usesBgp(config);
  const name = (t: PeerTunnel) => `ali-${shortId(config)}-${t.index}`;
  return [
    `# FortiOS configuration for Alibaba Cloud IPsec connection ${config.connectionId}`,
    `# ${routeBased ? 'Route-based with BGP over each tunnel' : 'Static: a phase 2 per pair of networks, routes through the tunnels'}.`,
    '# "wan1" stands for the interface facing the Internet; firewall policies between the office and the tunnels are still needed.',
    ...(config.tunnels.some((t) => t.ike.psk.includes('?'))
      ? ['# A key holds "?": on the command line, press Ctrl-V before typing each "?" of it.']
      : []),
    'config vpn ipsec phase1-interface',
    ...config.tunnels.flatMap((t) => phase1(config, t, name(t))),
    'end',
    'config vpn ipsec phase2-interface',
    ...config.tunnels.flatMap((t) => phase2(config, t, name(t), routeBased)),
    'end',
    ...(routeBased ? bgp(config, name) : staticRoutes(config, name)),
    '',
  ].join('\n');
}
