/**
 * IPsec-VPN connection actions: CreateVpnConnection (single- or dual-tunnel, as the VPN gateway
 * is; tunnels.ts reads the request's tunnels), DescribeVpnConnection(s) and DeleteVpnConnection.
 *
 * Error codes documented for CreateVpnConnection: `InvalidVpnGatewayInstanceId.NotFound` (404),
 * `InvalidCustomerGatewayInstanceId.NotFound` (404), `InvalidVpnConnection.AlreadyExists` (the
 * pair already has a connection), `Resource.QuotaFull`, `VpnGateway.Configuring`,
 * `VpnGateway.FinancialLocked`, `IllegalParam.LocalSubnet` / `IllegalParam.RemoteSubnet` (which
 * values raise them: subnets.ts), `InvalidName`; DescribeVpnConnection and DeleteVpnConnection:
 * `InvalidVpnConnectionInstanceId.NotFound` (404). Chosen where Alibaba documents none (all 400):
 *   IncorrectStatus.VpnGateway         the VPN gateway is being deleted
 *   OperationFailed.IpsecNotEnabled    the gateway was created with EnableIpsec=false
 *   MissingCustomerGatewayId           single-tunnel gateway, no CustomerGatewayId
 *   MissingTunnelOptionsSpecification  dual-tunnel gateway, no tunnels
 *   Invalid<Param>.NotSupported        a parameter of the other mode: TunnelOptionsSpecification or
 *                                      EnableTunnelsBgp on a single-tunnel gateway; CustomerGatewayId,
 *                                      IkeConfig, IpsecConfig, EnableDpd… on a dual-tunnel one
 *   InvalidTunnelOptionsSpecification  not exactly two entries, a missing CustomerGatewayId or Role,
 *                                      not one master and one slave, an unknown field or bad setting
 *   InvalidIkeConfig, InvalidIpsecConfig        not a JSON object, an unknown or bad setting
 *   InvalidBgpConfig, InvalidHealthCheckConfig  not a JSON object
 *   DryRunOperation                    DryRun=true and every check passed (Alibaba's convention)
 * BGP's rules and the codes chosen for them: bgp.ts.
 * `Resource.QuotaFull` counts connections per VPN gateway (10 unless configured).
 *
 * The documentation says a create puts the VPN gateway in `updating` for a while; the simulator
 * creates the connection at once and leaves the gateway `active`. Its `State` is `active` (attached
 * to a VPN gateway), `updating` while a change is applied (vpn-connection-changes.ts). Tunnels negotiate only once the on-premises peer is configured, which a test or
 * a person says through `/_simulator/peer` (peers.ts); until then every tunnel is
 * `ike_sa_not_established`, then `ipsec_sa_established`. A dual-tunnel connection's own `Status`
 * is that of its best tunnel: the documentation only says the standby tunnel carries the traffic
 * when the active one is down, so the connection passes traffic while either is up.
 */
import { SimError } from '../errors.js';
import { fakeId } from '../seed.js';
import type { SimTunnel, SimVpnConnection, SimVpnGateway } from '../state.js';
import { applyBgp, tunnelBgpView, vpnBgpView } from './bgp.js';
import {
  type ActionContext,
  bool,
  type Handler,
  idempotent,
  need,
  type Params,
  pagedList,
  region,
  requestId,
  tags,
} from './common.js';
import { connectionSubnets } from './subnets.js';
import { dualTunnels, singleTunnel } from './tunnels.js';
import { findVpnGateway } from './vpn-gateways.js';

/** 1 to 100 characters, not starting with http:// or https://. */
function connectionName(p: Params): string | undefined {
  const name = p.Name;
  if (name === undefined) return undefined;
  const length = [...name].length;
  if (length < 1 || length > 100 || /^https?:\/\//i.test(name))
    throw new SimError('InvalidName', 400, 'The name is not valid');
  return name;
}

/** A connection can be made only on an active, paid VPN gateway with IPsec-VPN enabled. */
function checkGatewayReady(gw: SimVpnGateway, ctx: ActionContext): void {
  const { Status, BusinessStatus } = ctx.state.vpnStatus(gw, ctx.clock);
  if (Status === 'deleting')
    throw new SimError(
      'IncorrectStatus.VpnGateway',
      400,
      `The VPN gateway ${gw.VpnGatewayId} is being deleted.`,
    );
  if (BusinessStatus === 'FinancialLocked')
    throw new SimError('VpnGateway.FinancialLocked', 400, 'The specified service is financial locked.');
  if (Status !== 'active')
    throw new SimError(
      'VpnGateway.Configuring',
      400,
      `The specified service is configuring: VPN gateway ${gw.VpnGatewayId} is ${Status}, not yet active; try again later.`,
    );
  if (!gw.EnableIpsec)
    throw new SimError(
      'OperationFailed.IpsecNotEnabled',
      400,
      `IPsec-VPN is not enabled on VPN gateway ${gw.VpnGatewayId}.`,
    );
}

function create(p: Params, ctx: ActionContext, regionId: string): Record<string, unknown> {
  const { LocalSubnet, RemoteSubnet } = connectionSubnets(p);
  const name = connectionName(p);
  const effectImmediately = bool(p, 'EffectImmediately', false);
  const autoConfigRoute = bool(p, 'AutoConfigRoute', true);
  const dryRun = bool(p, 'DryRun', false);
  const tagList = tags(p, 'Tags');
  const gw = findVpnGateway(p, ctx);
  checkGatewayReady(gw, ctx);
  const dual = gw.DisasterRecoveryVSwitchId !== '';
  const drafted = dual ? dualTunnels(p, ctx, regionId, gw) : singleTunnel(p, ctx, regionId, gw);
  applyBgp(p, drafted, ctx, gw);
  const onGateway = [...ctx.state.vpnConnections.values()].filter((c) => c.VpnGatewayId === gw.VpnGatewayId);
  const wanted = new Set(drafted.tunnels.map((t) => t.CustomerGatewayId));
  for (const other of onGateway) {
    const shared = other.tunnels.find((t) => wanted.has(t.CustomerGatewayId));
    if (shared)
      throw new SimError(
        'InvalidVpnConnection.AlreadyExists',
        400,
        `Vpn connection already exists: ${other.VpnConnectionId} connects ${gw.VpnGatewayId} and ${shared.CustomerGatewayId}.`,
      );
  }
  if (onGateway.length >= ctx.quotas.vpnConnectionsPerGateway)
    throw new SimError(
      'Resource.QuotaFull',
      400,
      `The quota of resource is full: ${ctx.quotas.vpnConnectionsPerGateway} IPsec-VPN connections per VPN gateway.`,
    );
  if (dryRun)
    throw new SimError('DryRunOperation', 400, 'Request validation has been passed with DryRun flag set.');

  const now = ctx.clock.now();
  const n = ctx.state.nextNumber();
  const id = fakeId('vco', n, `${regionId}:${now}`);
  const conn: SimVpnConnection = {
    VpnConnectionId: id,
    RegionId: regionId,
    VpnGatewayId: gw.VpnGatewayId,
    Name: name ?? id,
    LocalSubnet,
    RemoteSubnet,
    CreateTime: now,
    EffectImmediately: effectImmediately,
    AutoConfigRoute: autoConfigRoute,
    dual,
    tunnels: drafted.tunnels.map((t) => ({ ...t, TunnelId: fakeId('tun', n * 10 + t.TunnelIndex, id) })),
    EnableTunnelsBgp: drafted.enableTunnelsBgp,
    enableBgp: drafted.enableBgp,
    healthCheck: drafted.healthCheck,
    Tags: tagList,
    ...(p.ClientToken !== undefined ? { ClientToken: p.ClientToken } : {}),
  };
  ctx.state.vpnConnections.set(id, conn);
  return { VpnConnectionId: id, Name: conn.Name, CreateTime: now, RequestId: requestId() };
}

/** `updating` while a change is applied (ModifyVpnConnectionAttribute), else `active`; its tunnels' too. */
function connectionState(conn: SimVpnConnection, ctx: ActionContext): string {
  return conn.updatingUntil !== undefined && ctx.clock.now() < conn.updatingUntil ? 'updating' : 'active';
}

/**
 * A dual-tunnel entry as DescribeVpnConnection(s) shows it. The model classes of Alibaba's V2 SDK
 * type a tunnel's `EnableDpd`, `EnableNatTraversal` and lifetimes as strings (unlike the
 * single-tunnel `IkeConfig`), so they are strings here.
 */
function tunnelView(conn: SimVpnConnection, t: SimTunnel, ctx: ActionContext) {
  return {
    TunnelId: t.TunnelId,
    TunnelIndex: t.TunnelIndex,
    CustomerGatewayId: t.CustomerGatewayId,
    Role: t.Role,
    State: connectionState(conn, ctx),
    Status: ctx.state.tunnelStatus(conn, t),
    InternetIp: t.InternetIp,
    ZoneNo: t.ZoneNo,
    EnableDpd: String(t.EnableDpd),
    EnableNatTraversal: String(t.EnableNatTraversal),
    TunnelIkeConfig: { ...t.ike, IkeLifetime: String(t.ike.IkeLifetime) },
    TunnelIpsecConfig: { ...t.ipsec, IpsecLifetime: String(t.ipsec.IpsecLifetime) },
    TunnelBgpConfig: tunnelBgpView(conn, t, ctx),
  };
}

/**
 * DescribeVpnConnection's attribute set. `tagKey` differs between the two describes: `Tags` for
 * one connection, `Tag` for a list item (as Alibaba's response models name them).
 */
function connectionView(conn: SimVpnConnection, ctx: ActionContext, tagKey: 'Tags' | 'Tag') {
  const gw = ctx.state.vpnGateways.get(conn.VpnGatewayId);
  const statuses = conn.tunnels.map((t) => ctx.state.tunnelStatus(conn, t));
  const common = {
    VpnConnectionId: conn.VpnConnectionId,
    VpnGatewayId: conn.VpnGatewayId,
    Name: conn.Name,
    LocalSubnet: conn.LocalSubnet,
    RemoteSubnet: conn.RemoteSubnet,
    CreateTime: conn.CreateTime,
    EffectImmediately: conn.EffectImmediately,
    Status: statuses.includes('ipsec_sa_established') ? 'ipsec_sa_established' : 'ike_sa_not_established',
    State: connectionState(conn, ctx),
    AttachType: 'VPNGW',
    NetworkType: gw?.NetworkType ?? 'public',
    Spec: gw ? `${gw.Bandwidth}M` : '',
    InternetIp: gw?.InternetIp ?? '',
    ResourceGroupId: '',
    CrossAccountAuthorized: false,
    EnableTunnelsBgp: conn.EnableTunnelsBgp,
    [tagKey]: { Tag: conn.Tags.map((t) => ({ ...t })) },
  };
  const [only] = conn.tunnels;
  if (conn.dual || !only)
    return {
      ...common,
      TunnelOptionsSpecification: { TunnelOptions: conn.tunnels.map((t) => tunnelView(conn, t, ctx)) },
    };
  return {
    ...common,
    CustomerGatewayId: only.CustomerGatewayId,
    EnableDpd: only.EnableDpd,
    EnableNatTraversal: only.EnableNatTraversal,
    IkeConfig: { ...only.ike },
    IpsecConfig: { ...only.ipsec },
    VpnBgpConfig: vpnBgpView(conn, ctx),
    VcoHealthCheck: { Enable: String(conn.healthCheck) },
  };
}

/** The connection named by `VpnConnectionId` in the request's region, or Alibaba's NotFound error. */
export function findConnection(p: Params, ctx: ActionContext): SimVpnConnection {
  const regionId = region(p, ctx);
  const id = need(p, 'VpnConnectionId');
  const conn = ctx.state.vpnConnections.get(id);
  if (!conn || conn.RegionId !== regionId)
    throw new SimError(
      'InvalidVpnConnectionInstanceId.NotFound',
      404,
      'The specified vpn connection instance id does not exist.',
    );
  return conn;
}

export const vpnConnectionActions: Readonly<Record<string, Handler>> = {
  CreateVpnConnection(p, ctx) {
    const regionId = region(p, ctx);
    need(p, 'VpnGatewayId');
    need(p, 'LocalSubnet');
    need(p, 'RemoteSubnet');
    // The token is looked up first: a retry finds its connection even if the quota filled since.
    return idempotent('CreateVpnConnection', p, ctx, () => create(p, ctx, regionId));
  },

  DescribeVpnConnection(p, ctx) {
    return { ...connectionView(findConnection(p, ctx), ctx, 'Tags'), RequestId: requestId() };
  },

  DescribeVpnConnections(p, ctx) {
    const regionId = region(p, ctx);
    // A filter tag without a value matches any value.
    const wanted = tags(p, 'Tag').map((t, i) => ({ ...t, anyValue: p[`Tag.${i + 1}.Value`] === undefined }));
    const all = [...ctx.state.vpnConnections.values()]
      .reverse()
      .filter((c) => c.RegionId === regionId)
      .filter((c) => !p.VpnConnectionId || c.VpnConnectionId === p.VpnConnectionId)
      .filter((c) => !p.VpnGatewayId || c.VpnGatewayId === p.VpnGatewayId)
      .filter(
        (c) => !p.CustomerGatewayId || c.tunnels.some((t) => t.CustomerGatewayId === p.CustomerGatewayId),
      )
      // Connections here belong to no resource group.
      .filter(() => !p.ResourceGroupId)
      .filter((c) =>
        wanted.every((w) => c.Tags.some((t) => t.Key === w.Key && (w.anyValue || t.Value === w.Value))),
      )
      .sort((a, b) => b.CreateTime - a.CreateTime)
      .map((c) => connectionView(c, ctx, 'Tag'));
    return pagedList('VpnConnections', 'VpnConnection', all, p);
  },

  DeleteVpnConnection(p, ctx) {
    region(p, ctx);
    need(p, 'VpnConnectionId');
    // A repeated delete with its token answers as the first did, even though the connection is gone.
    return idempotent('DeleteVpnConnection', p, ctx, () => {
      const conn = findConnection(p, ctx);
      ctx.state.vpnConnections.delete(conn.VpnConnectionId);
      ctx.state.configuredConnections.delete(conn.VpnConnectionId);
      return { RequestId: requestId() };
    });
  },
};
