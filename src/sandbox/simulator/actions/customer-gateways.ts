/**
 * Customer gateway actions: CreateCustomerGateway, DescribeCustomerGateway(s),
 * DeleteCustomerGateway, with the seed's Name/Description/IpAddress rules and error codes, and
 * today's BGP (`Asn`, `AuthKey`), `ResourceGroupId` and `Tags`. A customer gateway that an IPsec-VPN
 * connection uses cannot be deleted (dependencies.ts).
 */
import { invalid, SimError } from '../errors.js';
import { fakeId } from '../seed.js';
import type { SimCustomerGateway } from '../state.js';
import {
  type ActionContext,
  type Handler,
  idempotent,
  need,
  type Params,
  pagedList,
  region,
  requestId,
  resourceGroup,
  tags,
} from './common.js';
import { refuseWhileUsed } from './dependencies.js';

const HAN = '\\u4e00-\\u9fff';
/** Seed: 2–128 characters, starts with a letter or a Chinese character; digits, `.`, `_`, `-`. */
const CGW_NAME = new RegExp(`^[A-Za-z${HAN}][A-Za-z0-9${HAN}._-]{1,127}$`);
const STARTS_WITH_LETTER = new RegExp(`^[A-Za-z${HAN}]`);
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Addresses Alibaba refuses for a customer gateway: this network, shared, loopback, link-local, multicast and up. */
export function refusedIp(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 0 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

/** Name (2–128) and Description (2–256) per the seed; neither may start with http:// or https://. */
function text(p: Params, name: 'Name' | 'Description', max: number): string {
  const value = p[name];
  if (value === undefined) return '';
  const length = [...value].length;
  const ok =
    !/^https?:\/\//i.test(value) &&
    length >= 2 &&
    length <= max &&
    (name === 'Name' ? CGW_NAME.test(value) : STARTS_WITH_LETTER.test(value));
  if (!ok)
    throw new SimError(
      `Invalid${name}`,
      400,
      name === 'Name' ? 'The name is not valid' : 'The description is not valid',
    );
  return value;
}

/** Newer documents: an ASN from 1 to 4294967295, not 45104 (Alibaba's own), or written `hi.lo`. */
function asn(p: Params): number | undefined {
  const value = p.Asn;
  if (value === undefined) return undefined;
  const dotted = /^(\d{1,5})\.(\d{1,5})$/.exec(value);
  const n = dotted
    ? Number(dotted[1]) <= 65_535 && Number(dotted[2]) <= 65_535
      ? Number(dotted[1]) * 65_536 + Number(dotted[2])
      : Number.NaN
    : /^\d{1,10}$/.test(value)
      ? Number(value)
      : Number.NaN;
  if (!(n >= 1 && n <= 4_294_967_295) || n === 45_104)
    throw invalid('Asn', 'Asn must be from 1 to 4294967295 and not 45104.');
  return n;
}

/** A BGP key: 1 to 64 ASCII characters, no spaces, no `?`. */
function authKey(p: Params): boolean {
  const value = p.AuthKey;
  if (value === undefined) return false;
  if (!/^[\x21-\x3e\x40-\x7e]{1,64}$/.test(value))
    throw invalid('AuthKey', 'AuthKey must be 1 to 64 ASCII characters without spaces or "?".');
  return true;
}

/** What DescribeCustomerGateway(s) shows; a BGP key is never shown back. */
function cgwView(gw: SimCustomerGateway) {
  return {
    CustomerGatewayId: gw.CustomerGatewayId,
    IpAddress: gw.IpAddress,
    Name: gw.Name,
    Description: gw.Description,
    CreateTime: gw.CreateTime,
    ...(gw.Asn !== undefined ? { Asn: gw.Asn } : {}),
    ResourceGroupId: gw.ResourceGroupId,
    Tags: { Tag: gw.Tags.map((t) => ({ ...t })) },
  };
}

function findCustomerGateway(p: Params, ctx: ActionContext): SimCustomerGateway {
  return customerGatewayIn(ctx, region(p, ctx), need(p, 'CustomerGatewayId'));
}

/** The customer gateway with this id in the region, or the API's NotFound error. */
export function customerGatewayIn(ctx: ActionContext, regionId: string, id: string): SimCustomerGateway {
  const gw = ctx.state.customerGateways.get(id);
  if (!gw || gw.RegionId !== regionId) {
    throw new SimError(
      'InvalidCustomerGatewayInstanceId.NotFound',
      404,
      `The specified CustomerGatewayId ${id} does not exist.`,
    );
  }
  return gw;
}

function create(p: Params, ctx: ActionContext, regionId: string, ip: string): Record<string, unknown> {
  if (!IPV4.test(ip) || refusedIp(ip))
    throw new SimError('InvalidIpAddress.WrongFormat', 400, 'Specified IpAddress is invalid.');
  const name = text(p, 'Name', 128);
  const description = text(p, 'Description', 256);
  const bgpAsn = asn(p);
  const keyed = authKey(p);
  const group = resourceGroup(p);
  const tagList = tags(p);
  const inRegion = [...ctx.state.customerGateways.values()].filter((g) => g.RegionId === regionId);
  // Unique per account and region, as the seed says.
  if (inRegion.some((g) => g.IpAddress === ip))
    throw new SimError('InvalidIpAddress.AlreadyExist', 400, 'Specified IpAddress is already exist.');
  if (inRegion.length >= ctx.quotas.customerGateways)
    throw new SimError('Resource.QuotaFull', 400, 'The quota of resource is full');
  const now = ctx.clock.now();
  const n = ctx.state.nextNumber();
  const gw: SimCustomerGateway = {
    CustomerGatewayId: fakeId('cgw', n, `${regionId}:${now}`),
    RegionId: regionId,
    IpAddress: ip,
    Name: name,
    Description: description,
    CreateTime: now,
    ...(bgpAsn !== undefined ? { Asn: bgpAsn } : {}),
    AuthKeySet: keyed,
    ResourceGroupId: group,
    Tags: tagList,
    ...(p.ClientToken !== undefined ? { ClientToken: p.ClientToken } : {}),
  };
  ctx.state.customerGateways.set(gw.CustomerGatewayId, gw);
  return { ...cgwView(gw), RequestId: requestId() };
}

export const customerGatewayActions: Readonly<Record<string, Handler>> = {
  CreateCustomerGateway(p, ctx) {
    const regionId = region(p, ctx);
    const ip = need(p, 'IpAddress');
    return idempotent('CreateCustomerGateway', p, ctx, () => create(p, ctx, regionId, ip));
  },

  DescribeCustomerGateway(p, ctx) {
    return { ...cgwView(findCustomerGateway(p, ctx)), RequestId: requestId() };
  },

  DescribeCustomerGateways(p, ctx) {
    const regionId = region(p, ctx);
    const all = [...ctx.state.customerGateways.values()]
      .filter((g) => g.RegionId === regionId)
      .filter((g) => !p.CustomerGatewayId || g.CustomerGatewayId === p.CustomerGatewayId)
      .sort((a, b) => b.CreateTime - a.CreateTime)
      .map(cgwView);
    return pagedList('CustomerGateways', 'CustomerGateway', all, p);
  },

  DeleteCustomerGateway(p, ctx) {
    region(p, ctx);
    need(p, 'CustomerGatewayId');
    return idempotent('DeleteCustomerGateway', p, ctx, () => {
      const gw = findCustomerGateway(p, ctx);
      refuseWhileUsed(ctx.state, { customerGatewayId: gw.CustomerGatewayId });
      ctx.state.customerGateways.delete(gw.CustomerGatewayId);
      ctx.state.configuredPeers.delete(gw.CustomerGatewayId);
      return { RequestId: requestId() };
    });
  },
};
