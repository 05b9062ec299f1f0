/**
 * ModifyVpnConnectionAttribute, as far as a key rotation takes it: a tunnel's IKE settings (its
 * pre-shared key among them) in both modes. Dual tunnel: `TunnelOptionsSpecification.N.TunnelId`
 * names the tunnel, and its `TunnelIkeConfig.*` (sent flat, as for CreateVpnConnection) replace
 * what is given of its settings; `Role` and `CustomerGatewayId`, when sent, must be the tunnel's
 * own. Single tunnel: the `IkeConfig` JSON string. A key is 1 to 100 characters of letters,
 * digits and ``~!`@#$%^&*()_-+={}[]|;:',.<>/?``, no spaces (ipsec-options.ts).
 *
 * Alibaba's Terraform provider (aliyun/terraform-provider-alicloud, resource_alicloud_vpn_connection.go)
 * sends more with a changed key: `LocalSubnet` and `RemoteSubnet` with every change, and each
 * dual-tunnel entry whole (`EnableDpd`, `EnableNatTraversal`, `TunnelIpsecConfig.*`,
 * `TunnelBgpConfig.*` besides the IKE settings). The simulator takes those, and
 * `EffectImmediately`, when they say what the connection already has; a different value is a
 * change it does not model. The SDK's model says `TunnelBgpConfig` is for a connection with BGP on
 * (`EnableTunnelsBgp`): sent for one without, it is refused.
 *
 * As Alibaba documents it, the change is asynchronous: the connection's VPN gateway is `updating`
 * for a while (`updateTimeMs`), and so are the connection and its tunnels (`State`), then `active`
 * again; and takes one change at a time
 * (`VpnGateway.Configuring` meanwhile). A tunnel whose key changed is down until its peer is
 * configured again (peers.ts). ClientToken idempotency as for every call.
 *
 * Codes chosen where Alibaba documents none (all 400):
 *   OperationUnsupported.Attribute      a parameter the simulator does not change (a name, IPsec or
 *                                       BGP settings, subnets) given a value other than the
 *                                       connection's own: it models key changes only
 *   InvalidTunnelOptionsSpecification   an entry without TunnelId, a tunnel of another connection,
 *                                       a Role or CustomerGatewayId that is not the tunnel's own,
 *                                       TunnelBgpConfig on a connection without BGP
 *   InvalidTunnelOptionsSpecification.NotSupported / InvalidIkeConfig.NotSupported
 *                                       the parameters of the other mode
 */
import { SimError } from '../errors.js';
import type { SimTunnel, SimVpnConnection } from '../state.js';
import {
  bool,
  COMMON_PARAMS,
  type Handler,
  idempotent,
  need,
  type Params,
  region,
  requestId,
} from './common.js';
import { flatParam, ikeConfig, jsonParam } from './ipsec-options.js';
import { sameBlocks } from './subnets.js';
import { findConnection } from './vpn-connections.js';

const TUNNELS = 'TunnelOptionsSpecification';
/** The parameters this simulator changes, besides the ones every change names. */
const OWN = new Set(['RegionId', 'VpnConnectionId', 'ClientToken', 'IkeConfig']);
/** What it takes when it is what the connection already has. */
const KEPT = new Set(['LocalSubnet', 'RemoteSubnet', 'EffectImmediately']);
/** The fields of an entry it reads; `TunnelIkeConfig.*` besides. */
const ENTRY_FIELDS = new Set(['TunnelId', 'Role', 'CustomerGatewayId']);

function unsupported(name: string): SimError {
  return new SimError(
    'OperationUnsupported.Attribute',
    400,
    `The simulator changes a connection's IKE settings only, not ${name}.`,
  );
}

function refuseOthers(p: Params, conn: SimVpnConnection): void {
  const other = Object.keys(p).find(
    (k) => !OWN.has(k) && !KEPT.has(k) && !COMMON_PARAMS.has(k) && !k.startsWith(`${TUNNELS}.`),
  );
  if (other) throw unsupported(other);
  for (const name of ['LocalSubnet', 'RemoteSubnet'] as const) {
    const given = p[name];
    if (given !== undefined && !sameBlocks(given, conn[name])) throw unsupported(`a new ${name}`);
  }
  if (bool(p, 'EffectImmediately', conn.EffectImmediately) !== conn.EffectImmediately)
    throw unsupported('a new EffectImmediately');
}

/** The entries sent, by their index (1, 2…). */
function entries(p: Params): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const key of Object.keys(p)) {
    const match = new RegExp(`^${TUNNELS}\\.(\\d+)\\.`).exec(key);
    if (match?.[1] && !out.has(match[1])) out.set(match[1], flatParam(p, `${TUNNELS}.${match[1]}`));
  }
  return out;
}

function badEntry(n: string, says: string): SimError {
  return new SimError('InvalidTunnelOptionsSpecification', 400, `${TUNNELS}.${n} ${says}.`);
}

/**
 * An entry's field besides the IKE settings and the tunnel's names: taken when it says what the
 * tunnel already has (`EnableDpd`, `TunnelIpsecConfig.*`, …), refused otherwise.
 */
function keepField(conn: SimVpnConnection, tunnel: SimTunnel, n: string, key: string, value: unknown): void {
  const [group, name = ''] = key.split(/\.(.*)/s);
  if (group === 'TunnelBgpConfig' && !conn.EnableTunnelsBgp)
    throw badEntry(
      n,
      `.TunnelBgpConfig is for a connection with EnableTunnelsBgp; ${conn.VpnConnectionId} has none`,
    );
  const ipsec = tunnel.ipsec as unknown as Record<string, unknown>;
  const has =
    group === 'EnableDpd'
      ? String(tunnel.EnableDpd)
      : group === 'EnableNatTraversal'
        ? String(tunnel.EnableNatTraversal)
        : group === 'TunnelIpsecConfig' && Object.hasOwn(ipsec, name)
          ? String(ipsec[name])
          : group === 'TunnelBgpConfig'
            ? tunnel.bgp[name]
            : undefined;
  if (has === undefined || value !== has) throw unsupported(`a new ${TUNNELS}.${n}.${key}`);
}

/** A tunnel's new IKE settings from one entry, its current ones completing them. */
function changedTunnel(conn: SimVpnConnection, n: string, entry: Record<string, unknown>) {
  const tunnel = conn.tunnels.find((t) => t.TunnelId === entry.TunnelId);
  if (!tunnel) throw badEntry(n, `.TunnelId must name a tunnel of ${conn.VpnConnectionId}`);
  const ike: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key.startsWith('TunnelIkeConfig.')) ike[key.slice('TunnelIkeConfig.'.length)] = value;
    else if (!ENTRY_FIELDS.has(key)) keepField(conn, tunnel, n, key, value);
  }
  if (entry.Role !== undefined && entry.Role !== tunnel.Role)
    throw badEntry(n, `.Role is not the tunnel's own`);
  if (entry.CustomerGatewayId !== undefined && entry.CustomerGatewayId !== tunnel.CustomerGatewayId)
    throw badEntry(n, `.CustomerGatewayId is not the tunnel's own`);
  const where = `${TUNNELS}.${n}.TunnelIkeConfig`;
  return {
    tunnel,
    ike: ikeConfig({ ...tunnel.ike, ...ike }, where, 'InvalidTunnelOptionsSpecification', tunnel.ike),
  };
}

function changes(p: Params, conn: SimVpnConnection): { tunnel: SimTunnel; ike: SimTunnel['ike'] }[] {
  const given = entries(p);
  if (conn.dual) {
    if (p.IkeConfig !== undefined)
      throw new SimError(
        'InvalidIkeConfig.NotSupported',
        400,
        `IkeConfig is for single-tunnel connections; ${conn.VpnConnectionId} is dual-tunnel: give ${TUNNELS}.N.TunnelIkeConfig.`,
      );
    return [...given].map(([n, entry]) => {
      if (entry.TunnelId === undefined) throw badEntry(n, 'needs its TunnelId');
      return changedTunnel(conn, n, entry);
    });
  }
  if (given.size > 0)
    throw new SimError(
      `Invalid${TUNNELS}.NotSupported`,
      400,
      `${TUNNELS} is for dual-tunnel connections; ${conn.VpnConnectionId} is single-tunnel: give IkeConfig.`,
    );
  const [tunnel] = conn.tunnels;
  const raw = jsonParam(p, 'IkeConfig');
  if (!tunnel || !raw) return [];
  return [{ tunnel, ike: ikeConfig({ ...tunnel.ike, ...raw }, 'IkeConfig', 'InvalidIkeConfig', tunnel.ike) }];
}

export const vpnConnectionChangeActions: Readonly<Record<string, Handler>> = {
  ModifyVpnConnectionAttribute(p, ctx) {
    region(p, ctx);
    need(p, 'VpnConnectionId');
    return idempotent('ModifyVpnConnectionAttribute', p, ctx, () => {
      const conn = findConnection(p, ctx);
      refuseOthers(p, conn);
      const gw = ctx.state.vpnGateways.get(conn.VpnGatewayId);
      const status = gw ? ctx.state.vpnStatus(gw, ctx.clock).Status : 'active';
      if (status !== 'active')
        throw new SimError(
          'VpnGateway.Configuring',
          400,
          `The specified service is configuring: VPN gateway ${conn.VpnGatewayId} is ${status}; try again later.`,
        );
      const changed = changes(p, conn);
      for (const { tunnel, ike } of changed) {
        if (ike.Psk !== tunnel.ike.Psk) ctx.state.newKeyTunnels.add(tunnel.TunnelId);
        tunnel.ike = ike;
      }
      const until = ctx.clock.now() + ctx.updateTimeMs;
      conn.updatingUntil = until;
      if (gw) gw.updatingUntil = until;
      return {
        VpnConnectionId: conn.VpnConnectionId,
        VpnGatewayId: conn.VpnGatewayId,
        Name: conn.Name,
        LocalSubnet: conn.LocalSubnet,
        RemoteSubnet: conn.RemoteSubnet,
        CreateTime: conn.CreateTime,
        EffectImmediately: conn.EffectImmediately,
        RequestId: requestId(),
      };
    });
  },
};
