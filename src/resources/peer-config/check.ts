/**
 * What every format needs before it writes a line: a configuration whose addresses, networks,
 * numbers and identities have the shape the formats write unquoted, and one way to name a value a
 * format cannot translate. The pre-shared key is checked but never named in an error.
 */
import { type Text, text } from '../../i18n/index.js';
import { nameHiddenCharacters } from '../../text/hidden-characters.js';
import { parseCidr } from '../cidr.js';
import { parseIpv4 } from '../rules.js';
import type { PeerConfig, PeerTunnel } from './model.js';

/** A configuration a format cannot be written from; `words` says which field, in both languages. */
export class PeerConfigError extends Error {
  constructor(
    readonly field: string,
    readonly words: Text,
  ) {
    super(words.en);
    this.name = 'PeerConfigError';
  }
}

/** Printable ASCII without spaces: Alibaba's key alphabet and every identity it gives fit in it. */
const PRINTABLE = /^[\x21-\x7e]+$/;
const ASN = /^[1-9]\d{0,9}$/;

function refuse(field: string, en: string, zh: string): never {
  throw new PeerConfigError(field, text(`${field}: ${en}`, `${field}：${zh}`));
}

function checkAddress(field: string, value: string): void {
  if (!parseIpv4(value)) refuse(field, 'not an IPv4 address.', '不是 IPv4 地址。');
}

function checkCidr(field: string, value: string): void {
  if (!parseCidr(value)) refuse(field, 'not an IPv4 CIDR block.', '不是 IPv4 网段。');
}

function checkSeconds(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) refuse(field, 'not a whole number of seconds.', '不是整数秒。');
}

function checkTunnel(tunnel: PeerTunnel): void {
  const at = `tunnels[${tunnel.index}]`;
  if (!Number.isInteger(tunnel.index) || tunnel.index < 1)
    refuse(`${at}.index`, 'not a tunnel number.', '不是隧道编号。');
  checkAddress(`${at}.local`, tunnel.local);
  checkAddress(`${at}.remote`, tunnel.remote);
  // The key itself is never part of the message.
  if (!PRINTABLE.test(tunnel.ike.psk))
    refuse(
      `${at}.ike.psk`,
      'empty, or holds a space or a character outside ASCII.',
      '为空，或含空格或非 ASCII 字符。',
    );
  for (const id of ['localId', 'remoteId'] as const)
    if (!PRINTABLE.test(tunnel.ike[id]))
      refuse(
        `${at}.ike.${id}`,
        'empty, or holds a space or a character outside ASCII.',
        '为空，或含空格或非 ASCII 字符。',
      );
  checkSeconds(`${at}.ike.lifetimeSeconds`, tunnel.ike.lifetimeSeconds);
  checkSeconds(`${at}.ipsec.lifetimeSeconds`, tunnel.ipsec.lifetimeSeconds);
  const bgp = tunnel.bgp;
  if (!bgp) return;
  for (const asn of ['localAsn', 'peerAsn'] as const)
    if (!ASN.test(bgp[asn]) || Number(bgp[asn]) > 4294967295)
      refuse(`${at}.bgp.${asn}`, 'not an AS number.', '不是 AS 号。');
  checkCidr(`${at}.bgp.tunnelCidr`, bgp.tunnelCidr);
  checkAddress(`${at}.bgp.localIp`, bgp.localIp);
  checkAddress(`${at}.bgp.peerIp`, bgp.peerIp);
}

/** Throws a `PeerConfigError` for the first field no format could write safely. */
export function checkPeerConfig(config: PeerConfig): void {
  if (config.tunnels.length === 0) refuse('tunnels', 'none.', '没有隧道。');
  if (config.localSubnets.length === 0) refuse('localSubnets', 'none.', '没有网段。');
  if (config.remoteSubnets.length === 0) refuse('remoteSubnets', 'none.', '没有网段。');
  for (const [i, cidr] of config.localSubnets.entries()) checkCidr(`localSubnets[${i}]`, cidr);
  for (const [i, cidr] of config.remoteSubnets.entries()) checkCidr(`remoteSubnets[${i}]`, cidr);
  if (!/^[A-Za-z0-9-]+$/.test(config.connectionId))
    refuse('connectionId', 'not a connection id.', '不是连接 ID。');
  for (const tunnel of config.tunnels) checkTunnel(tunnel);
}

/**
 * A value one format names in its own words (an algorithm, a group); an Alibaba value the table
 * lacks is refused rather than guessed.
 */
export function translate(table: Readonly<Record<string, string>>, value: string, field: string): string {
  const found = Object.hasOwn(table, value.toLowerCase()) ? table[value.toLowerCase()] : undefined;
  if (found === undefined) {
    const shown = oneLine(value);
    refuse(field, `“${shown}” has no equivalent in this format.`, `“${shown}”在此格式中没有对应值。`);
  }
  return found;
}

/**
 * Typed text (a connection's name) on one line: every control, format or separator character,
 * the line feed included, shown by name (`[U+000A]`), so it can never start a line of its own.
 */
export function oneLine(value: string): string {
  return nameHiddenCharacters(value).replace(/\n/g, '[U+000A]');
}

/**
 * Typed text for a command line that reads `?` as a request for help (Cisco IOS, Huawei VRP,
 * FortiOS): one line, `?` named, at most `max` characters.
 */
export function cliText(value: string, max: number): string {
  return oneLine(value).replace(/\?/g, '[U+003F]').slice(0, max);
}

/**
 * `value` in double quotes, `"` and `\` escaped with a backslash: how strongSwan's settings,
 * FortiOS's CLI and Junos's CLI read a quoted string back unchanged.
 */
export function doubleQuoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** What an IKE identity is, as the devices name its type. */
export function identityKind(id: string): 'address' | 'email' | 'fqdn' {
  if (parseIpv4(id)) return 'address';
  return id.includes('@') ? 'email' : 'fqdn';
}

/** A short tag of the connection for names devices limit (15 characters on some): its id's last six. */
export function shortId(config: PeerConfig): string {
  return config.connectionId
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-6)
    .toLowerCase();
}

/** The office's networks worth advertising over BGP: all but a default route. */
export function advertised(config: PeerConfig): string[] {
  return config.localSubnets.filter((c) => c !== '0.0.0.0/0');
}

/** Whether the connection is route-based: BGP on any tunnel. */
export function usesBgp(config: PeerConfig): boolean {
  return config.tunnels.some((t) => t.bgp !== undefined);
}

/** A network as address and mask (`10.0.0.0 255.0.0.0`), as Cisco IOS and FortiOS write them. */
export function addressAndMask(cidr: string): [string, string] {
  const parsed = parseCidr(cidr);
  if (!parsed) refuse('cidr', 'not an IPv4 CIDR block.', '不是 IPv4 网段。');
  const mask = parsed.prefix === 0 ? 0 : (0xffffffff << (32 - parsed.prefix)) >>> 0;
  return [parsed.text.split('/')[0] ?? '', dotted(mask)];
}

/** The wildcard mask of a network (`0.0.0.255` for a /24), as Cisco access lists write it. */
export function wildcard(cidr: string): string {
  const [, mask] = addressAndMask(cidr);
  return dotted(~ipNumber(mask) >>> 0);
}

function ipNumber(address: string): number {
  return (parseIpv4(address) ?? [0, 0, 0, 0]).reduce((n, o) => n * 256 + o, 0);
}

function dotted(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}
