/**
 * `LocalSubnet` and `RemoteSubnet` of CreateVpnConnection, as the simulator holds Alibaba to take
 * them (written from Alibaba's documentation, not from the bot's rules).
 *
 * Documented: comma-separated IPv4 CIDR blocks (the official metadata); `0.0.0.0/0` on both sides
 * is destination routing and specific blocks on both are protected data flows (metadata); the
 * multi-site guides ("Configure multi-site connections", VPN Gateway with CEN or Express Connect)
 * set the local network alone to `0.0.0.0/0` with the offices' blocks as remote networks, so one
 * side may be `0.0.0.0/0`; the data center's and the VPC's networks must not overlap (the IPsec-VPN
 * configuration overview). A refused value answers 400 `IllegalParam.LocalSubnet` or
 * `IllegalParam.RemoteSubnet`, `The specified "LocalSubnet" (%s) is invalid.` (the error table of
 * CreateVpnConnection and of ModifyVpnConnectionAttribute).
 *
 * Which values raise those codes Alibaba does not say. Chosen here, each answered with the
 * documented code and message naming the block at fault:
 *   - a block that is not an IPv4 CIDR block;
 *   - more than 10 blocks on a side (Terraform's limit; Alibaba's limits page of 2020 said 5);
 *   - a block given twice on a side, or lying inside another of its side (with the automatic
 *     routes each local and remote pair becomes a policy-based route, and a repeated or covered
 *     one adds nothing);
 *   - a remote block overlapping a local one, unless a side covers every address (`0.0.0.0/0`),
 *     answered on `RemoteSubnet`.
 * A block with host bits set is taken as written: nothing documents Alibaba refusing one.
 */
import { SimError } from '../errors.js';
import { need, type Params } from './common.js';
import { IPV4 } from './customer-gateways.js';

type Side = 'LocalSubnet' | 'RemoteSubnet';

/** A block as written, with the first and last address of the network it stands for. */
interface Block {
  written: string;
  first: number;
  last: number;
}

const CIDR = /^([0-9.]+)\/(3[0-2]|[12]?\d)$/;
const MOST_BLOCKS_PER_SIDE = 10;
const LAST_ADDRESS = 2 ** 32 - 1;

function illegal(side: Side, shown: string): SimError {
  return new SimError(`IllegalParam.${side}`, 400, `The specified "${side}" (${shown}) is invalid.`);
}

function block(side: Side, written: string): Block {
  const match = CIDR.exec(written);
  const address = match?.[1];
  if (!match || !address || !IPV4.test(address)) throw illegal(side, written);
  const number = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(match[2]));
  const first = number - (number % size);
  return { written, first, last: first + size - 1 };
}

const meet = (a: Block, b: Block) => a.first <= b.last && b.first <= a.last;
const everything = (b: Block) => b.first === 0 && b.last === LAST_ADDRESS;

function side(p: Params, name: Side): Block[] {
  const value = need(p, name);
  const blocks = value.split(',').map((written) => block(name, written.trim()));
  if (blocks.length > MOST_BLOCKS_PER_SIDE) throw illegal(name, value);
  blocks.forEach((b, i) => {
    if (blocks.slice(0, i).some((earlier) => meet(earlier, b))) throw illegal(name, b.written);
  });
  return blocks;
}

/** Both sides checked, each as it is stored and described: its blocks as written, joined by commas. */
export function connectionSubnets(p: Params): { LocalSubnet: string; RemoteSubnet: string } {
  const local = side(p, 'LocalSubnet');
  const remote = side(p, 'RemoteSubnet');
  if (![...local, ...remote].some(everything)) {
    const clash = remote.find((r) => local.some((l) => meet(l, r)));
    if (clash) throw illegal('RemoteSubnet', clash.written);
  }
  const joined = (blocks: Block[]) => blocks.map((b) => b.written).join(',');
  return { LocalSubnet: joined(local), RemoteSubnet: joined(remote) };
}

/**
 * Whether two values of a side name the same blocks, in any order and spacing (a change that sends
 * the subnets a connection already has, ModifyVpnConnectionAttribute).
 */
export function sameBlocks(a: string, b: string): boolean {
  const blocks = (list: string) =>
    list
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
      .sort()
      .join(',');
  return blocks(a) === blocks(b);
}
