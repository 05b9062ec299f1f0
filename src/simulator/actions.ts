/**
 * The VPC actions the simulator implements, with the documented parameters, response shapes
 * (list wrappers, paging) and error codes, ClientToken idempotency and quotas. Each handler gets
 * the request's own parameters and answers the JSON body, or throws a SimError.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { invalid, missing, SimError } from './errors.js';
import { fakeId } from './seed.js';
import type { SimCustomerGateway, SimulatorState, SimVpnGateway } from './state.js';

export interface ActionContext {
  state: SimulatorState;
  clock: Clock;
  provisionTimeMs: number;
  provisionTimeSpreadMs?: readonly [number, number];
  bandwidthValues: readonly number[];
  sslConnectionValues: readonly number[];
  quotas: { vpnGateways: number; customerGateways: number };
}

type Params = Readonly<Record<string, string>>;
type Handler = (p: Params, ctx: ActionContext) => Record<string, unknown>;

/** Parameters every RPC request carries; they are not part of an action's business parameters. */
export const COMMON_PARAMS = new Set([
  'AccessKeyId',
  'Action',
  'Format',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
  'Version',
  'SecurityToken',
  'Signature',
]);

const PERIODS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36]);
const HAN = '\\u4e00-\\u9fff';
const CGW_NAME = new RegExp(`^[A-Za-z${HAN}][A-Za-z0-9${HAN}._-]{1,127}$`);
const VPN_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,99}$/;
const STARTS_LETTER = new RegExp(`^[A-Za-z${HAN}]`);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function need(p: Params, name: string): string {
  const value = p[name];
  if (value === undefined || value === '') throw missing(name);
  return value;
}

function bool(p: Params, name: string, fallback: boolean): boolean {
  const value = p[name];
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(name, `${name} must be true or false.`);
}

function int(p: Params, name: string): number | undefined {
  const value = p[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw invalid(name, `${name} must be an integer.`);
  return Number(value);
}

function region(p: Params, ctx: ActionContext, required = true): string | undefined {
  const id = required ? need(p, 'RegionId') : p.RegionId;
  if (id !== undefined && !ctx.state.seed.regions.some((r) => r.RegionId === id)) {
    throw new SimError('InvalidRegionId.NotFound', 404, `The specified RegionId ${id} does not exist.`);
  }
  return id;
}

function paging(p: Params): { page: number; size: number } {
  const page = int(p, 'PageNumber') ?? 1;
  const size = int(p, 'PageSize') ?? 10;
  if (page < 1) throw invalid('PageNumber');
  if (size < 1 || size > 50) throw invalid('PageSize', 'PageSize must be from 1 to 50.');
  return { page, size };
}

/** A paged list answer: `{ <Plural>: { <Singular>: [...] }, TotalCount, PageNumber, PageSize, RequestId }`. */
function pagedList<T>(plural: string, singular: string, items: T[], p: Params) {
  const { page, size } = paging(p);
  return {
    [plural]: { [singular]: items.slice((page - 1) * size, page * size) },
    TotalCount: items.length,
    PageNumber: page,
    PageSize: size,
    RequestId: randomUUID().toUpperCase(),
  };
}

/** The action's own parameters, canonical, for comparing two uses of one ClientToken. */
function businessKey(p: Params): string {
  return JSON.stringify(
    Object.keys(p)
      .filter((k) => !COMMON_PARAMS.has(k) && k !== 'ClientToken')
      .sort()
      .map((k) => [k, p[k]]),
  );
}

/** Same token and parameters: the first answer again. Same token, other parameters: a mismatch. */
function idempotent(action: string, p: Params, ctx: ActionContext, create: () => Record<string, unknown>) {
  const token = p.ClientToken;
  if (token === undefined) return create();
  if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))
    throw invalid('ClientToken', 'ClientToken must be at most 64 ASCII characters.');
  const key = `${action}:${token}`;
  const seen = ctx.state.tokens.get(key);
  const paramsKey = businessKey(p);
  if (seen) {
    if (seen.paramsKey !== paramsKey) {
      throw new SimError(
        'IdempotentParameterMismatch',
        400,
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
    return { ...seen.response, RequestId: randomUUID().toUpperCase() };
  }
  const response = create();
  ctx.state.tokens.set(key, { action, paramsKey, response });
  return response;
}

function internetIp(regionIndex: number, n: number): string {
  return `47.${96 + regionIndex}.${(n >> 8) & 255}.${n & 255 || 1}`;
}

function vpnView(gw: SimVpnGateway, ctx: ActionContext) {
  const { Status, BusinessStatus } = ctx.state.vpnStatus(gw, ctx.clock);
  return {
    VpnGatewayId: gw.VpnGatewayId,
    VpcId: gw.VpcId,
    VSwitchId: gw.VSwitchId,
    InternetIp: Status === 'active' ? gw.InternetIp : '',
    Spec: `${gw.Bandwidth}M`,
    Name: gw.Name,
    Description: '',
    Status,
    BusinessStatus,
    ChargeType: gw.InstanceChargeType === 'PREPAY' ? 'Prepay' : 'Postpay',
    IpsecVpn: gw.EnableIpsec ? 'enable' : 'disable',
    SslVpn: gw.EnableSsl ? 'enable' : 'disable',
    SslMaxConnections: gw.EnableSsl ? gw.SslConnections : 0,
    CreateTime: gw.CreateTime,
    EndTime: gw.InstanceChargeType === 'PREPAY' ? gw.CreateTime + 30 * 24 * 3600 * 1000 : 0,
    VpnType: gw.VpnType,
    NetworkType: gw.NetworkType,
    Tags: { Tag: [] },
  };
}

function cgwView(gw: SimCustomerGateway) {
  return {
    CustomerGatewayId: gw.CustomerGatewayId,
    IpAddress: gw.IpAddress,
    Name: gw.Name,
    Description: gw.Description,
    CreateTime: gw.CreateTime,
  };
}

function checkCgwText(p: Params, name: 'Name' | 'Description', max: number) {
  const value = p[name];
  if (value === undefined) return '';
  const ok =
    !/^https?:\/\//i.test(value) &&
    [...value].length >= 2 &&
    [...value].length <= max &&
    (name === 'Name' ? CGW_NAME.test(value) : STARTS_LETTER.test(value));
  if (!ok)
    throw new SimError(
      `Invalid${name}`,
      400,
      name === 'Name' ? 'The name is not valid' : 'The description is not valid',
    );
  return value;
}

function refusedIp(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 0 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

/** The gateway a request names, in the request's region, or the API's NotFound error. */
function findVpnGateway(p: Params, ctx: ActionContext): SimVpnGateway {
  const regionId = region(p, ctx);
  const id = need(p, 'VpnGatewayId');
  const gw = ctx.state.vpnGateways.get(id);
  if (!gw || gw.RegionId !== regionId) {
    throw new SimError(
      'InvalidVpnGatewayInstanceId.NotFound',
      404,
      `The specified VpnGatewayId ${id} does not exist.`,
    );
  }
  return gw;
}

function findCustomerGateway(p: Params, ctx: ActionContext): SimCustomerGateway {
  const regionId = region(p, ctx);
  const id = need(p, 'CustomerGatewayId');
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

export const ACTIONS: Readonly<Record<string, Handler>> = {
  CreateVpnGateway(p, ctx) {
    const regionId = region(p, ctx) as string;
    const vpcId = need(p, 'VpcId');
    const bandwidthText = need(p, 'Bandwidth');
    return idempotent('CreateVpnGateway', p, ctx, () => {
      const vpc = ctx.state.seed.vpcs.find((v) => v.VpcId === vpcId && v.RegionId === regionId);
      if (!vpc)
        throw new SimError('InvalidVpcId.NotFound', 404, `The specified VpcId ${vpcId} does not exist.`);
      const vswitchId = p.VSwitchId;
      if (vswitchId !== undefined) {
        const vsw = ctx.state.seed.vswitches.find(
          (s) => s.VSwitchId === vswitchId && s.RegionId === regionId,
        );
        if (!vsw || vsw.VpcId !== vpcId) {
          throw new SimError(
            'InvalidVSwitchId.NotFound',
            404,
            `The specified VSwitchId ${vswitchId} does not exist in ${vpcId}.`,
          );
        }
      }
      const bandwidth = Number(bandwidthText);
      if (!/^\d+$/.test(bandwidthText) || !ctx.bandwidthValues.includes(bandwidth)) {
        throw invalid('Bandwidth', `Bandwidth must be one of ${ctx.bandwidthValues.join(', ')}.`);
      }
      const name = p.Name;
      if (name !== undefined && !VPN_NAME.test(name))
        throw new SimError('InvalidName', 400, 'The name is not valid');
      const chargeType = p.InstanceChargeType ?? 'POSTPAY';
      if (chargeType !== 'POSTPAY' && chargeType !== 'PREPAY') throw invalid('InstanceChargeType');
      const period = int(p, 'Period');
      if (chargeType === 'PREPAY' && period === undefined) throw missing('Period');
      if (period !== undefined && !PERIODS.has(period))
        throw invalid('Period', 'Period must be 1-9, 12, 24 or 36.');
      const enableSsl = bool(p, 'EnableSsl', false);
      const sslConnections = int(p, 'SslConnections');
      if (sslConnections !== undefined && !ctx.sslConnectionValues.includes(sslConnections))
        throw invalid('SslConnections');
      const vpnType = p.VpnType ?? 'Normal';
      if (vpnType !== 'Normal' && vpnType !== 'NationalStandard') throw invalid('VpnType');
      const networkType = p.NetworkType ?? 'public';
      if (networkType !== 'public' && networkType !== 'private') throw invalid('NetworkType');
      const inRegion = [...ctx.state.vpnGateways.values()].filter((g) => g.RegionId === regionId).length;
      if (inRegion >= ctx.quotas.vpnGateways)
        throw new SimError('Resource.QuotaFull', 400, 'The quota of resource is full');
      const n = ++ctx.state.counter;
      const id = fakeId('vpn', n, `${regionId}:${ctx.clock.now()}`);
      const regionIndex = ctx.state.seed.regions.findIndex((r) => r.RegionId === regionId);
      const gw: SimVpnGateway = {
        VpnGatewayId: id,
        RegionId: regionId,
        VpcId: vpcId,
        VSwitchId: vswitchId ?? '',
        Name: name ?? id,
        Bandwidth: bandwidth,
        InstanceChargeType: chargeType,
        AutoPay: bool(p, 'AutoPay', false),
        EnableIpsec: bool(p, 'EnableIpsec', true),
        EnableSsl: enableSsl,
        SslConnections: sslConnections ?? 5,
        VpnType: vpnType,
        NetworkType: networkType,
        OrderId: 208240895400000 + n,
        CreateTime: ctx.clock.now(),
        provisionTimeMs: ctx.provisionTimeSpreadMs
          ? ctx.provisionTimeSpreadMs[0] +
            Math.random() * (ctx.provisionTimeSpreadMs[1] - ctx.provisionTimeSpreadMs[0])
          : ctx.provisionTimeMs,
        InternetIp: internetIp(regionIndex, n),
        ...(p.ClientToken ? { ClientToken: p.ClientToken } : {}),
      };
      ctx.state.vpnGateways.set(id, gw);
      return { VpnGatewayId: id, Name: gw.Name, OrderId: gw.OrderId, RequestId: randomUUID().toUpperCase() };
    });
  },

  CreateCustomerGateway(p, ctx) {
    const regionId = region(p, ctx) as string;
    const ip = need(p, 'IpAddress');
    return idempotent('CreateCustomerGateway', p, ctx, () => {
      if (!IPV4.test(ip) || refusedIp(ip))
        throw new SimError('InvalidIpAddress.WrongFormat', 400, 'Specified IpAddress is invalid.');
      const name = checkCgwText(p, 'Name', 128);
      const description = checkCgwText(p, 'Description', 256);
      const existing = [...ctx.state.customerGateways.values()].filter((g) => g.RegionId === regionId);
      if (existing.some((g) => g.IpAddress === ip)) {
        throw new SimError('InvalidIpAddress.AlreadyExist', 400, 'Specified IpAddress is already exist.');
      }
      if (existing.length >= ctx.quotas.customerGateways)
        throw new SimError('Resource.QuotaFull', 400, 'The quota of resource is full');
      const n = ++ctx.state.counter;
      const gw: SimCustomerGateway = {
        CustomerGatewayId: fakeId('cgw', n, `${regionId}:${ctx.clock.now()}`),
        RegionId: regionId,
        IpAddress: ip,
        Name: name,
        Description: description,
        CreateTime: ctx.clock.now(),
        ...(p.ClientToken ? { ClientToken: p.ClientToken } : {}),
      };
      ctx.state.customerGateways.set(gw.CustomerGatewayId, gw);
      return { ...cgwView(gw), RequestId: randomUUID().toUpperCase() };
    });
  },

  DescribeVpnGateway(p, ctx) {
    const gw = findVpnGateway(p, ctx);
    return { ...vpnView(gw, ctx), RequestId: randomUUID().toUpperCase() };
  },

  DescribeVpnGateways(p, ctx) {
    const regionId = region(p, ctx);
    const ids = p.VpnGatewayId?.split(',').map((s) => s.trim());
    const all = [...ctx.state.vpnGateways.values()]
      .filter((g) => g.RegionId === regionId)
      .filter((g) => !ids || ids.includes(g.VpnGatewayId))
      .filter((g) => !p.VpcId || g.VpcId === p.VpcId)
      .map((g) => vpnView(g, ctx))
      .filter((g) => !p.Status || g.Status === p.Status)
      .filter((g) => !p.BusinessStatus || g.BusinessStatus === p.BusinessStatus)
      .sort((a, b) => b.CreateTime - a.CreateTime);
    return pagedList('VpnGateways', 'VpnGateway', all, p);
  },

  DescribeCustomerGateway(p, ctx) {
    const gw = findCustomerGateway(p, ctx);
    return { ...cgwView(gw), RequestId: randomUUID().toUpperCase() };
  },

  DescribeCustomerGateways(p, ctx) {
    const regionId = region(p, ctx);
    const all = [...ctx.state.customerGateways.values()]
      .filter(
        (g) =>
          g.RegionId === regionId && (!p.CustomerGatewayId || g.CustomerGatewayId === p.CustomerGatewayId),
      )
      .sort((a, b) => b.CreateTime - a.CreateTime)
      .map(cgwView);
    return pagedList('CustomerGateways', 'CustomerGateway', all, p);
  },

  DescribeRegions(p, ctx) {
    const language = p.AcceptLanguage ?? 'zh-CN';
    if (language !== 'zh-CN' && language !== 'en-US' && language !== 'ja') throw invalid('AcceptLanguage');
    return {
      Regions: {
        Region: ctx.state.seed.regions.map((r) => ({
          RegionId: r.RegionId,
          LocalName: language === 'zh-CN' ? r.LocalName['zh-CN'] : r.LocalName['en-US'],
          RegionEndpoint: `vpc.${r.RegionId}.aliyuncs.com`,
        })),
      },
      RequestId: randomUUID().toUpperCase(),
    };
  },

  DescribeVpcs(p, ctx) {
    const regionId = region(p, ctx);
    const ids = p.VpcId?.split(',').map((s) => s.trim());
    if (ids && ids.length > 20) throw invalid('VpcId', 'At most 20 VPC ids can be given.');
    const all = ctx.state.seed.vpcs
      .filter(
        (v) =>
          v.RegionId === regionId &&
          (!ids || ids.includes(v.VpcId)) &&
          (!p.VpcName || v.VpcName === p.VpcName),
      )
      .map((v) => ({
        ...v,
        Status: 'Available',
        VSwitchIds: {
          VSwitchId: ctx.state.seed.vswitches.filter((s) => s.VpcId === v.VpcId).map((s) => s.VSwitchId),
        },
      }));
    return pagedList('Vpcs', 'Vpc', all, p);
  },

  DescribeVSwitches(p, ctx) {
    const regionId = region(p, ctx, false);
    if (regionId === undefined && p.VpcId === undefined) throw missing('RegionId');
    const all = ctx.state.seed.vswitches
      .filter((s) => (!regionId || s.RegionId === regionId) && (!p.VpcId || s.VpcId === p.VpcId))
      .filter((s) => (!p.VSwitchId || s.VSwitchId === p.VSwitchId) && (!p.ZoneId || s.ZoneId === p.ZoneId))
      .map((s) => ({ ...s, Status: 'Available', AvailableIpAddressCount: 4000 }));
    return pagedList('VSwitches', 'VSwitch', all, p);
  },

  DeleteVpnGateway(p, ctx) {
    const gw = findVpnGateway(p, ctx);
    if (ctx.state.vpnStatus(gw, ctx.clock).Status !== 'active') {
      throw new SimError(
        'VpnGateway.Configuring',
        400,
        'The VPN gateway is being configured; try again later.',
      );
    }
    ctx.state.vpnGateways.delete(gw.VpnGatewayId);
    return { RequestId: randomUUID().toUpperCase() };
  },

  DeleteCustomerGateway(p, ctx) {
    const gw = findCustomerGateway(p, ctx);
    ctx.state.customerGateways.delete(gw.CustomerGatewayId);
    return { RequestId: randomUUID().toUpperCase() };
  },
};
