/**
 * IPv4 CIDR lists as CreateVpnConnection takes them (`LocalSubnet`, `RemoteSubnet`: CIDR blocks
 * separated by commas): parsing, one normal form, and the rules of a list and of the two sides.
 *
 * What Alibaba documents: comma-separated CIDR blocks (the official metadata); `0.0.0.0/0` on both
 * sides routes by destination, specific blocks on both protect those data flows (metadata); its
 * multi-site guides set the local network alone to `0.0.0.0/0`, so one side may be `0.0.0.0/0`;
 * the data center's and the VPC's networks must not overlap (its configuration overview);
 * `IllegalParam.LocalSubnet` / `IllegalParam.RemoteSubnet` for a value it refuses (the error
 * table of CreateVpnConnection and ModifyVpnConnectionAttribute). Which values raise those it
 * does not say. Chosen as Terraform (the reference client) validates: a block with host bits set
 * is refused, and more than 10 blocks a side. Chosen where nothing says: a block given twice, or
 * lying inside another of its side, is refused (Terraform keeps a side as a set, so it never sends
 * one twice): it adds nothing to what the side covers and is almost always a paste mistake.
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

/**
 * Blocks per side: Terraform's limit. Alibaba's API reference states none (its limits page of
 * 2020 said 5 per connection); a longer list is almost always a paste mistake anyway.
 */
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

/**
 * A CIDR list as the networks it names, host bits cleared (`10.0.0.1/16` → `10.0.0.0/16`), or
 * undefined when a block is no CIDR at all: what the rules across fields judge while the list
 * itself is refused.
 */
export function cidrListMeant(value: string): string | undefined {
  const meant = splitCidrs(value).map((c) => parseCidr(c)?.text ?? networkOf(c));
  return meant.length > 0 && meant.every((c) => c !== undefined) ? meant.join(',') : undefined;
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

/** Whether two blocks share an address: for CIDR blocks, whether one lies inside the other. */
function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/**
 * The first block of a list that repeats an earlier one or overlaps it, with the block it meets:
 * `outer` the larger (either, for a repeat), `inner` the one inside it. Undefined when every
 * block stands alone; blocks that do not parse are the format rule's to name, not compared.
 */
export function firstCovered(value: string): { outer: string; inner: string } | undefined {
  const seen: Cidr[] = [];
  for (const entry of splitCidrs(value)) {
    const block = parseCidr(entry);
    if (!block) continue;
    const met = seen.find((earlier) => overlaps(earlier, block));
    if (met)
      return met.prefix <= block.prefix
        ? { outer: met.text, inner: block.text }
        : { outer: block.text, inner: met.text };
    seen.push(block);
  }
  return undefined;
}

export const cidrListDistinct: ValueRule = {
  test: (v) => firstCovered(v) === undefined,
  message: (v) => {
    const covered = firstCovered(v);
    if (!covered)
      return text(
        'a CIDR block is given twice, or lies inside another of this side. Keep each network once.',
        '有网段填写了两次，或位于本侧另一网段之内。请每个网段只保留一次。',
      );
    const { outer, inner } = covered;
    return outer === inner
      ? text(`"${inner}" is given twice. Keep it once.`, spaced`“${inner}”填写了两次。请只保留一个。`)
      : text(
          `"${inner}" lies inside "${outer}", which this side already has. Remove ${inner}, or correct the block you mistyped.`,
          spaced`“${inner}”位于本侧已有的“${outer}”之内。请删除 ${inner}，或改正填错的网段。`,
        );
  },
};

/**
 * The first local and remote blocks that overlap, or undefined. A side that is `0.0.0.0/0` covers
 * every address by design (routing by destination when both are; a hub that reaches every site
 * when only the local side is, as Alibaba's multi-site guides set it), so it is not compared.
 */
export function firstOverlap(local: string, remote: string): [string, string] | undefined {
  const l = splitCidrs(local).map(parseCidr);
  const r = splitCidrs(remote).map(parseCidr);
  if ([...l, ...r].some((c) => c?.text === ANY)) return undefined;
  for (const a of l) for (const b of r) if (a && b && overlaps(a, b)) return [a.text, b.text];
  return undefined;
}
