/**
 * The /30 a BGP session runs over inside an IPsec tunnel (CreateVpnConnection:
 * `TunnelOptionsSpecification.N.TunnelBgpConfig.TunnelCidr`, or `TunnelCidr` in the single-tunnel
 * `BgpConfig`). Alibaba's rules, from the official metadata of CreateVpnConnection: a block with a
 * 30-bit mask inside 169.254.0.0/16, not 169.254.0.0/30 … 169.254.6.0/30 nor 169.254.169.252/30
 * (reserved), unique among the connections of one VPN gateway; `LocalBgpIp`, Alibaba's address,
 * lies inside it; `LocalAsn` is 1–4294967295 and defaults to 45104. The two usable addresses of a
 * /30 are the two ends of the session: Alibaba's and the device's.
 */
import { spaced, type Text, text } from '../i18n/index.js';
import { parseCidr } from './cidr.js';
import { parseIpv4 } from './rules.js';
import type { ValueChoice, ValueRule } from './spec.js';

/** Alibaba's side when none is given. */
export const DEFAULT_LOCAL_ASN = 45_104;

const LINK_LOCAL = 169 * 2 ** 24 + 254 * 2 ** 16;
const LINK_LOCAL_SIZE = 2 ** 16;

/** The /30s Alibaba keeps for itself. */
export const RESERVED_TUNNEL_CIDRS: readonly string[] = [
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.6.0/30',
  '169.254.169.252/30',
];

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Why a value is not a tunnel /30 Alibaba accepts, or undefined when it is one. */
export function tunnelCidrProblem(value: string): Text | undefined {
  const block = parseCidr(value);
  if (block?.prefix !== 30)
    return text(
      `"${value}" is not a /30 network. Write one such as 169.254.10.0/30 (the last number a multiple of 4).`,
      spaced`“${value}”不是掩码为 30 位的网段。请填写形如 169.254.10.0/30 的网段（最后一段为 4 的倍数）。`,
    );
  if (block.base < LINK_LOCAL || block.base >= LINK_LOCAL + LINK_LOCAL_SIZE)
    return text(
      `${block.text} is outside 169.254.0.0/16, where a BGP tunnel's /30 must lie. Choose one inside it, such as 169.254.10.0/30.`,
      spaced`${block.text} 不在 169.254.0.0/16 之内，而 BGP 隧道网段须位于其中。请在其中选择一个，例如 169.254.10.0/30。`,
    );
  if (RESERVED_TUNNEL_CIDRS.includes(block.text))
    return text(
      `${block.text} is reserved by Alibaba Cloud (as are 169.254.0.0/30 to 169.254.6.0/30 and 169.254.169.252/30). Choose another /30, such as 169.254.10.0/30.`,
      spaced`${block.text} 为阿里云保留网段（169.254.0.0/30 至 169.254.6.0/30 以及 169.254.169.252/30 均为保留）。请选择其他 /30 网段，例如 169.254.10.0/30。`,
    );
  return undefined;
}

export const tunnelCidrRule: ValueRule = {
  test: (v) => tunnelCidrProblem(v) === undefined,
  message: (v) => tunnelCidrProblem(v) ?? text('', ''),
};

/** A tunnel /30 in its one written form (`169.254.010.0/30` is refused by the format rule first). */
export function normalizeTunnelCidr(value: string): string {
  return parseCidr(value)?.text ?? value;
}

/** The two usable addresses of a /30, first and second; undefined for anything else. */
export function tunnelHosts(cidr: string): [string, string] | undefined {
  const block = parseCidr(cidr);
  if (block?.prefix !== 30) return undefined;
  return [dotted(block.base + 1), dotted(block.base + 2)];
}

/** Whether an address is one of the two usable addresses of the /30 (not its network or broadcast). */
export function isTunnelHost(cidr: string, ip: string): boolean {
  const octets = parseIpv4(ip);
  return octets !== undefined && (tunnelHosts(cidr)?.includes(octets.join('.')) ?? false);
}

/** Where proposals start: the first /30 Alibaba's own examples use; the lower ones come last. */
const FIRST_PROPOSED = 169 * 2 ** 24 + 254 * 2 ** 16 + 10 * 256;

/**
 * Free tunnel /30s, best first: from 169.254.10.0/30 upwards, then the lower ones, never a reserved
 * one nor one in `used`; only those containing `typed` (what the person types filters the list),
 * and `typed` itself first when it is a valid, free /30. At most `limit`.
 */
export function freeTunnelCidrs(used: ReadonlySet<string>, typed: string, limit: number): ValueChoice[] {
  const needle = typed.trim();
  const out: string[] = [];
  const exact = needle && tunnelCidrProblem(needle) === undefined ? normalizeTunnelCidr(needle) : undefined;
  if (exact && !used.has(exact)) out.push(exact);
  const start = FIRST_PROPOSED - LINK_LOCAL;
  for (let i = 0; i < LINK_LOCAL_SIZE / 4 && out.length < limit; i++) {
    const base = LINK_LOCAL + ((start + i * 4) % LINK_LOCAL_SIZE);
    const cidr = `${dotted(base)}/30`;
    if (cidr === exact || used.has(cidr) || RESERVED_TUNNEL_CIDRS.includes(cidr)) continue;
    if (needle && !cidr.includes(needle)) continue;
    out.push(cidr);
  }
  return out.map((value) => ({ value, label: text(value, value) }));
}
