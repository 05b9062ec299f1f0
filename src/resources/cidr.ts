/**
 * IPv4 CIDR lists as CreateVpnConnection takes them (`LocalSubnet`, `RemoteSubnet`: CIDR blocks
 * separated by commas): parsing, one normal form, and the overlap of the two sides, which no
 * IPsec policy can route.
 */
import { spaced, text } from '../i18n/index.js';
import { parseIpv4 } from './rules.js';
import type { ValueRule } from './spec.js';

export interface Cidr {
  text: string;
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

/** Our limit per side (Alibaba documents none); a longer list is almost always a paste mistake. */
export const MAX_CIDRS = 10;

export const ANY = '0.0.0.0/0';

function toNumber(octets: readonly number[]): number {
  return octets.reduce((n, o) => n * 256 + o, 0);
}

/** A CIDR block with no host bits set, or undefined. */
export function parseCidr(value: string): Cidr | undefined {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(value.trim());
  const octets = match?.[1] ? parseIpv4(match[1]) : undefined;
  const prefix = Number(match?.[2]);
  if (!octets || !Number.isInteger(prefix) || prefix > 32) return undefined;
  const base = toNumber(octets);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { text: `${octets.join('.')}/${prefix}`, base, prefix };
}

/** The network a CIDR with host bits set was probably meant to be (192.168.1.5/24 → 192.168.1.0/24). */
function networkOf(value: string): string | undefined {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(value.trim());
  const octets = match?.[1] ? parseIpv4(match[1]) : undefined;
  const prefix = Number(match?.[2]);
  if (!octets || !Number.isInteger(prefix) || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const base = Math.floor(toNumber(octets) / size) * size;
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${parts.join('.')}/${prefix}`;
}

export function splitCidrs(value: string): string[] {
  return value
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `10.0.0.0/16, 10.1.0.0/16` → `10.0.0.0/16,10.1.0.0/16` (the API's form). */
export function normalizeCidrList(value: string): string {
  return splitCidrs(value)
    .map((c) => parseCidr(c)?.text ?? c)
    .join(',');
}

export const cidrListFormat: ValueRule = {
  test: (v) => {
    const list = splitCidrs(v);
    return list.length > 0 && list.every((c) => parseCidr(c) !== undefined);
  },
  message: (v) => {
    const wrong = splitCidrs(v).find((c) => parseCidr(c) === undefined) ?? '';
    const meant = networkOf(wrong);
    return meant
      ? text(
          `"${wrong}" has host bits set. Write the network address, ${meant}.`,
          spaced`“${wrong}”的主机位不为 0。请填写网络地址 ${meant}。`,
        )
      : text(
          `${wrong ? `"${wrong}"` : 'the value'} is not a CIDR block. Write blocks such as 192.168.1.0/24, separated by commas.`,
          `${wrong ? `“${wrong}”` : '该值'}不是 CIDR 网段。请填写形如 192.168.1.0/24 的网段，多个以逗号分隔。`,
        );
  },
};

export const cidrListLength: ValueRule = {
  test: (v) => splitCidrs(v).length <= MAX_CIDRS,
  message: (v) =>
    text(
      `${splitCidrs(v).length} CIDR blocks, more than ${MAX_CIDRS}. Keep at most ${MAX_CIDRS} per side.`,
      `共 ${splitCidrs(v).length} 个网段，超过 ${MAX_CIDRS} 个。每侧最多保留 ${MAX_CIDRS} 个。`,
    ),
};

function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/**
 * The first local and remote blocks that overlap, or undefined. `0.0.0.0/0` is routing by
 * destination, not a block to protect, so a side that has it is not compared.
 */
export function firstOverlap(local: string, remote: string): [string, string] | undefined {
  const l = splitCidrs(local).map(parseCidr);
  const r = splitCidrs(remote).map(parseCidr);
  if ([...l, ...r].some((c) => c?.text === ANY)) return undefined;
  for (const a of l) for (const b of r) if (a && b && overlaps(a, b)) return [a.text, b.text];
  return undefined;
}
