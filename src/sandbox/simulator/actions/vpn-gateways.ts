/**
 * VPN gateway actions: CreateVpnGateway, DescribeVpnGateway(s), DeleteVpnGateway and
 * DescribeVpnGatewayAvailableZones, as Alibaba Cloud behaves today. A gateway's status is computed
 * from the clock when asked (see SimulatorState.vpnStatus), never by timers.
 *
 * Deletion is asynchronous: DeleteVpnGateway refuses a gateway with IPsec-VPN connections
 * (dependencies.ts), a subscription in its term (`ForbiddenRelease`) and one still being set up
 * (`VpnGateway.Configuring`); otherwise the gateway shows `deleting` for the configured delete time,
 * then is not found at all. A second delete while it is `deleting` (with another token) is
 * answered `IncorrectStatus.VpnGateway` (400), the code Terraform treats as "already going";
 * Alibaba documents none for this case.
 *
 * Dual-tunnel regions (docs/requests.md, "VPN gateway"). The documentation says a new gateway there
 * needs `VSwitchId`
 * and `DisasterRecoveryVSwitchId`, two vSwitches of the VPC in different zones (the same one twice
 * only in a one-zone region), in zones that can host a VPN gateway; it names no error codes, so
 * these are chosen in Alibaba's style (and the bot's retry rules treat them as permanent):
 *   MissingVSwitchId, MissingDisasterRecoveryVSwitchId                   400  one of them absent
 *   InvalidDisasterRecoveryVSwitchId.SameZone                            400  both in one zone
 *   InvalidVSwitchId.ZoneNotSupported (or …DisasterRecoveryVSwitchId…)   400  a zone that cannot host it
 *   InvalidDisasterRecoveryVSwitchId.NotSupported                        400  given in a single-tunnel region
 */
import { VPN_GATEWAY_BANDWIDTHS } from '../alibaba.js';
import { invalid, missing, SimError } from '../errors.js';
import { fakeId } from '../seed.js';
import type { SimVpnGateway } from '../state.js';
import {
  type ActionContext,
  bool,
  type Handler,
  idempotent,
  int,
  need,
  type Params,
  pagedList,
  region,
  requestId,
  resourceGroup,
} from './common.js';
import { refuseWhileUsed } from './dependencies.js';

const PERIODS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36]);
/** Seed rule: 2–100 characters, starts with a letter; letters, digits, `_` and `-`. */
const VPN_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,99}$/;

function internetIp(regionIndex: number, n: number, second = false): string {
  return `${second ? 39 : 47}.${96 + regionIndex}.${(n >> 8) & 255}.${n & 255 || 1}`;
}

/** Bandwidths a gateway of this network type can have. */
function bandwidthsFor(networkType: string, ctx: ActionContext): readonly number[] {
  return (
    ctx.bandwidthValues ??
    (networkType === 'private' ? VPN_GATEWAY_BANDWIDTHS.private : VPN_GATEWAY_BANDWIDTHS.public)
  );
}

/** The specs DescribeVpnGatewayAvailableZones knows. */
const SPECS = new Set(['5M', '10M', '20M', '50M', '100M', '200M', '500M', '1000M']);

/** A subscription ends `months` calendar months after it starts. */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

/** DescribeVpnGateway's attribute set, as the API names them. */
function vpnView(gw: SimVpnGateway, ctx: ActionContext) {
  const { Status, BusinessStatus } = ctx.state.vpnStatus(gw, ctx.clock);
  // A gateway being deleted keeps the addresses it had.
  const { deletion: _deletion, ...before } = gw;
  const addressed = ctx.state.vpnStatus(before, ctx.clock).Status === 'active';
  return {
    VpnGatewayId: gw.VpnGatewayId,
    VpcId: gw.VpcId,
    VSwitchId: gw.VSwitchId,
    DisasterRecoveryVSwitchId: gw.DisasterRecoveryVSwitchId,
    // The public addresses are allocated while the gateway is provisioned.
    InternetIp: addressed ? gw.InternetIp : '',
    DisasterRecoveryInternetIp: addressed ? gw.DisasterRecoveryInternetIp : '',
    // Alibaba now reports the spec as "5M" or "5"; gateways here alternate, so clients read both.
    Spec: gw.OrderId % 2 === 0 ? `${gw.Bandwidth}M` : String(gw.Bandwidth),
    ResourceGroupId: gw.ResourceGroupId,
    EnableBgp: false,
    AutoPropagate: false,
    Name: gw.Name,
    Description: '',
    Status,
    BusinessStatus,
    ChargeType: gw.InstanceChargeType === 'PREPAY' ? 'Prepay' : 'Postpay',
    IpsecVpn: gw.EnableIpsec ? 'enable' : 'disable',
    SslVpn: gw.EnableSsl ? 'enable' : 'disable',
    SslMaxConnections: gw.EnableSsl ? gw.SslConnections : 0,
    CreateTime: gw.CreateTime,
    EndTime: gw.EndTime,
    VpnType: gw.VpnType,
    NetworkType: gw.NetworkType,
    Tags: { Tag: [] as { Key: string; Value: string }[] },
  };
}

/** The gateway a request names, in the request's region, or the API's NotFound error. */
export function findVpnGateway(p: Params, ctx: ActionContext): SimVpnGateway {
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

/** The zone of a vSwitch of the VPC in the region, or `Invalid<Param>.NotFound`. */
function vswitchZone(ctx: ActionContext, regionId: string, vpcId: string, param: string, id: string): string {
  const vsw = ctx.state.seed.vswitches.find((s) => s.VSwitchId === id && s.RegionId === regionId);
  if (!vsw || vsw.VpcId !== vpcId) {
    throw new SimError(
      `Invalid${param}.NotFound`,
      404,
      `The specified ${param} ${id} does not exist in ${vpcId}.`,
    );
  }
  return vsw.ZoneId;
}

function regionOf(ctx: ActionContext, regionId: string) {
  return ctx.state.seed.regions.find((r) => r.RegionId === regionId);
}

/** The vSwitch rules of today's API: both in dual-tunnel regions, in zones that can host a gateway. */
function checkVSwitches(p: Params, ctx: ActionContext, regionId: string, vpcId: string): void {
  const vpnZones = regionOf(ctx, regionId)?.vpnZones ?? [];
  const first = p.VSwitchId;
  const second = p.DisasterRecoveryVSwitchId;
  const dual = ctx.dualTunnelRegions.includes(regionId);
  if (dual && first === undefined)
    throw new SimError(
      'MissingVSwitchId',
      400,
      `VSwitchId is mandatory: ${regionId} creates dual-tunnel VPN gateways.`,
    );
  if (dual && second === undefined)
    throw new SimError(
      'MissingDisasterRecoveryVSwitchId',
      400,
      `DisasterRecoveryVSwitchId is mandatory: ${regionId} creates dual-tunnel VPN gateways.`,
    );
  if (!dual && second !== undefined)
    throw new SimError(
      'InvalidDisasterRecoveryVSwitchId.NotSupported',
      400,
      `${regionId} creates single-tunnel VPN gateways; DisasterRecoveryVSwitchId is not supported there.`,
    );
  const zones: string[] = [];
  for (const [param, id] of [
    ['VSwitchId', first],
    ['DisasterRecoveryVSwitchId', second],
  ] as const) {
    if (id === undefined) continue;
    const zone = vswitchZone(ctx, regionId, vpcId, param, id);
    if (!vpnZones.includes(zone))
      throw new SimError(
        `Invalid${param}.ZoneNotSupported`,
        400,
        `The zone ${zone} of ${param} cannot host a VPN gateway.`,
      );
    zones.push(zone);
  }
  if (zones.length === 2 && zones[0] === zones[1] && vpnZones.length > 1)
    throw new SimError(
      'InvalidDisasterRecoveryVSwitchId.SameZone',
      400,
      'VSwitchId and DisasterRecoveryVSwitchId must be in different zones.',
    );
}

function create(p: Params, ctx: ActionContext, regionId: string): Record<string, unknown> {
  const vpcId = need(p, 'VpcId');
  const bandwidthText = need(p, 'Bandwidth');
  if (!ctx.state.seed.vpcs.some((v) => v.VpcId === vpcId && v.RegionId === regionId))
    throw new SimError('InvalidVpcId.NotFound', 404, `The specified VpcId ${vpcId} does not exist.`);
  checkVSwitches(p, ctx, regionId, vpcId);
  const vswitchId = p.VSwitchId;
  const drVSwitchId = p.DisasterRecoveryVSwitchId;
  const networkType = p.NetworkType ?? 'public';
  if (networkType !== 'public' && networkType !== 'private')
    throw invalid('NetworkType', 'NetworkType must be public or private.');
  const bandwidth = Number(bandwidthText);
  const bandwidths = bandwidthsFor(networkType, ctx);
  if (!/^\d+$/.test(bandwidthText) || !bandwidths.includes(bandwidth))
    throw invalid(
      'Bandwidth',
      `Bandwidth must be one of ${bandwidths.join(', ')} for a ${networkType} VPN gateway.`,
    );
  const resourceGroupId = resourceGroup(p);
  const name = p.Name;
  if (name !== undefined && !VPN_NAME.test(name))
    throw new SimError('InvalidName', 400, 'The name is not valid');
  const chargeType = p.InstanceChargeType ?? 'POSTPAY';
  if (chargeType !== 'POSTPAY' && chargeType !== 'PREPAY')
    throw invalid('InstanceChargeType', 'InstanceChargeType must be POSTPAY or PREPAY.');
  const period = int(p, 'Period');
  if (chargeType === 'PREPAY' && period === undefined) throw missing('Period');
  if (period !== undefined && !PERIODS.has(period))
    throw invalid('Period', 'Period must be 1-9, 12, 24 or 36.');
  const autoPay = bool(p, 'AutoPay', false);
  const enableIpsec = bool(p, 'EnableIpsec', true);
  const enableSsl = bool(p, 'EnableSsl', false);
  const sslConnections = int(p, 'SslConnections');
  if (sslConnections !== undefined && !ctx.sslConnectionValues.includes(sslConnections))
    throw invalid('SslConnections', `SslConnections must be one of ${ctx.sslConnectionValues.join(', ')}.`);
  const vpnType = p.VpnType ?? 'Normal';
  if (vpnType !== 'Normal' && vpnType !== 'NationalStandard')
    throw invalid('VpnType', 'VpnType must be Normal or NationalStandard.');
  const inRegion = [...ctx.state.vpnGateways.values()].filter((g) => g.RegionId === regionId).length;
  if (inRegion >= ctx.quotas.vpnGateways)
    throw new SimError('Resource.QuotaFull', 400, 'The quota of resource is full');

  const now = ctx.clock.now();
  const n = ctx.state.nextNumber();
  const id = fakeId('vpn', n, `${regionId}:${now}`);
  const spread = ctx.provisionTimeSpreadMs;
  const gw: SimVpnGateway = {
    VpnGatewayId: id,
    RegionId: regionId,
    VpcId: vpcId,
    VSwitchId: vswitchId ?? '',
    DisasterRecoveryVSwitchId: drVSwitchId ?? '',
    Name: name ?? id,
    Bandwidth: bandwidth,
    InstanceChargeType: chargeType,
    AutoPay: autoPay,
    EnableIpsec: enableIpsec,
    EnableSsl: enableSsl,
    SslConnections: sslConnections ?? 5,
    VpnType: vpnType,
    NetworkType: networkType,
    OrderId: 208240895400000 + n,
    CreateTime: now,
    EndTime: chargeType === 'PREPAY' && period !== undefined ? addMonths(now, period) : 0,
    provisionTimeMs: spread ? spread[0] + Math.random() * (spread[1] - spread[0]) : ctx.provisionTimeMs,
    InternetIp: internetIp(
      ctx.state.seed.regions.findIndex((r) => r.RegionId === regionId),
      n,
    ),
    DisasterRecoveryInternetIp: drVSwitchId
      ? internetIp(
          ctx.state.seed.regions.findIndex((r) => r.RegionId === regionId),
          n,
          true,
        )
      : '',
    ResourceGroupId: resourceGroupId,
    ...(p.ClientToken !== undefined ? { ClientToken: p.ClientToken } : {}),
  };
  ctx.state.vpnGateways.set(id, gw);
  return { VpnGatewayId: id, Name: gw.Name, OrderId: gw.OrderId, RequestId: requestId() };
}

export const vpnGatewayActions: Readonly<Record<string, Handler>> = {
  CreateVpnGateway(p, ctx) {
    const regionId = region(p, ctx);
    need(p, 'VpcId');
    need(p, 'Bandwidth');
    // The token is looked up before the quota and the VPC, so a retry finds its gateway even
    // when the quota has filled since.
    return idempotent('CreateVpnGateway', p, ctx, () => create(p, ctx, regionId));
  },

  DescribeVpnGateway(p, ctx) {
    return { ...vpnView(findVpnGateway(p, ctx), ctx), RequestId: requestId() };
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

  DescribeVpnGatewayAvailableZones(p, ctx) {
    const regionId = region(p, ctx);
    const spec = need(p, 'Spec');
    if (!SPECS.has(spec)) throw invalid('Spec', `Spec must be one of ${[...SPECS].join(', ')}.`);
    const zones = regionOf(ctx, regionId)?.vpnZones ?? [];
    return {
      RegionId: regionId,
      AvailableZoneIdList: zones.map((z) => ({ ZoneId: z, ZoneName: z })),
      RequestId: requestId(),
    };
  },

  DeleteVpnGateway(p, ctx) {
    region(p, ctx);
    need(p, 'VpnGatewayId');
    // A repeated delete with its token answers as the first did, even once the gateway is gone.
    return idempotent('DeleteVpnGateway', p, ctx, () => {
      const gw = findVpnGateway(p, ctx);
      const { Status, BusinessStatus } = ctx.state.vpnStatus(gw, ctx.clock);
      if (Status === 'deleting')
        throw new SimError('IncorrectStatus.VpnGateway', 400, 'The VPN gateway is already being deleted.');
      // An unpaid order can always be cancelled; anything else must have settled first.
      if (BusinessStatus !== 'FinancialLocked') {
        if (Status !== 'active')
          throw new SimError(
            'VpnGateway.Configuring',
            400,
            'The VPN gateway is being configured; try again later.',
          );
        if (gw.InstanceChargeType === 'PREPAY' && gw.EndTime > ctx.clock.now())
          throw new SimError(
            'ForbiddenRelease',
            403,
            'Forbidden to release a prepaid instance within validity period',
          );
      }
      refuseWhileUsed(ctx.state, { vpnGatewayId: gw.VpnGatewayId });
      gw.deletion = { requestedAt: ctx.clock.now(), timeMs: ctx.deleteTimeMs };
      return { RequestId: requestId() };
    });
  },
};
