/**
 * DownloadVpnConnectionConfig (`RegionId`, `VpnConnectionId`): the configuration of the on-premises
 * device of an IPsec-VPN connection, written from that device's point of view, in the shape of
 * Alibaba's `VpnConnectionConfig` (the vpc-20160428 SDK's DownloadVpnConnectionConfigResponseBody
 * models): `LocalSubnet` is the data centre's side (the connection's RemoteSubnet), `RemoteSubnet`
 * the VPC's; `Local` is the customer gateway's address, `Remote` the VPN gateway's; in `IkeConfig`
 * `LocalId` is the customer gateway's identity and `RemoteId` the VPN gateway's. A single-tunnel
 * connection answers them at the top; a dual-tunnel one lists `TunnelsConfig.TunnelConfig[]`, one
 * per tunnel with its `TunnelId`, `Local`, `Remote`, `IkeConfig` (with its own `Psk`) and
 * `IpsecConfig`. Lifetimes are numbers (Long). BGP is not part of it: DescribeVpnConnection tells it.
 *
 * An unknown connection: `InvalidVpnConnectionInstanceId.NotFound` (404), the code Alibaba
 * documents for the connection's other calls by id.
 */
import type { SimTunnel, SimVpnConnection } from '../state.js';
import { type ActionContext, type Handler, requestId } from './common.js';
import { findConnection } from './vpn-connections.js';

/** One tunnel as the device sees it: its own address is the customer gateway's. */
function deviceSide(t: SimTunnel, ctx: ActionContext) {
  const device = ctx.state.customerGateways.get(t.CustomerGatewayId)?.IpAddress ?? '';
  return {
    Local: device,
    Remote: t.InternetIp,
    IkeConfig: {
      IkeVersion: t.ike.IkeVersion,
      IkeMode: t.ike.IkeMode,
      IkeEncAlg: t.ike.IkeEncAlg,
      IkeAuthAlg: t.ike.IkeAuthAlg,
      IkePfs: t.ike.IkePfs,
      IkeLifetime: t.ike.IkeLifetime,
      // The connection keeps the identities from Alibaba's side: the device's are the other way round.
      LocalId: t.ike.RemoteId,
      RemoteId: t.ike.LocalId,
      Psk: t.ike.Psk,
    },
    IpsecConfig: { ...t.ipsec },
  };
}

function peerView(conn: SimVpnConnection, ctx: ActionContext): Record<string, unknown> {
  const subnets = { LocalSubnet: conn.RemoteSubnet, RemoteSubnet: conn.LocalSubnet };
  const [only] = conn.tunnels;
  if (!conn.dual && only) return { ...subnets, ...deviceSide(only, ctx) };
  return {
    ...subnets,
    TunnelsConfig: {
      TunnelConfig: conn.tunnels.map((t) => ({ TunnelId: t.TunnelId, ...deviceSide(t, ctx) })),
    },
  };
}

export const vpnConnectionConfigActions: Readonly<Record<string, Handler>> = {
  DownloadVpnConnectionConfig(p, ctx) {
    return { VpnConnectionConfig: peerView(findConnection(p, ctx), ctx), RequestId: requestId() };
  },
};
