/**
 * The on-premises side of IPsec-VPN connections, which no API call can reach: a test, the
 * playground or a person says that the device behind a customer gateway (or behind every tunnel
 * of one connection) is configured, and from then on those tunnels are established. Saying it for
 * a customer gateway before any connection uses it brings that connection's tunnels up as soon as
 * it is created. `configured: false` takes the peer down again.
 *
 * Served as `POST /_simulator/peer` (control.ts) and as `configurePeer` on the simulator handle,
 * in one account when it is named, else in the account that holds the id (ids are unique across
 * the simulator's accounts).
 */
import type { SimulatorState } from './state.js';

export type PeerTarget = { customerGatewayId: string } | { vpnConnectionId: string };

/** An id the simulator does not know; the HTTP route answers 404. */
export class UnknownPeerError extends Error {
  override name = 'UnknownPeerError';
}

/**
 * Reads `{"customerGatewayId": "cgw-…"}` or `{"vpnConnectionId": "vco-…"}` (exactly one), with an
 * optional `configured` and an optional `account`.
 */
export function parsePeerBody(body: unknown): { target: PeerTarget; configured: boolean; account?: string } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { customerGatewayId, vpnConnectionId, configured = true, account } = fields;
  const unknown = Object.keys(fields).filter(
    (k) => !['customerGatewayId', 'vpnConnectionId', 'configured', 'account'].includes(k),
  );
  if (unknown.length > 0) throw new Error(`unknown field(s): ${unknown.join(', ')}`);
  if (typeof configured !== 'boolean') throw new Error('configured must be true or false');
  if (account !== undefined && (typeof account !== 'string' || account === ''))
    throw new Error("account must be the name of one of the simulator's accounts");
  if ((customerGatewayId === undefined) === (vpnConnectionId === undefined))
    throw new Error('give exactly one of customerGatewayId and vpnConnectionId');
  const id = customerGatewayId ?? vpnConnectionId;
  if (typeof id !== 'string' || id === '') throw new Error('the id must be a non-empty string');
  return {
    target: customerGatewayId !== undefined ? { customerGatewayId: id } : { vpnConnectionId: id },
    configured,
    ...(typeof account === 'string' ? { account } : {}),
  };
}

/** Whether the account holds the customer gateway or connection the target names. */
export function holdsPeer(state: SimulatorState, target: PeerTarget): boolean {
  return 'customerGatewayId' in target
    ? state.customerGateways.has(target.customerGatewayId)
    : state.vpnConnections.has(target.vpnConnectionId);
}

/**
 * Marks the peer configured (or not) and returns the ids of the connections whose tunnels it
 * affects now. Throws UnknownPeerError for a customer gateway or connection that does not exist.
 */
export function configurePeer(state: SimulatorState, target: PeerTarget, configured = true): string[] {
  if ('customerGatewayId' in target) {
    const id = target.customerGatewayId;
    if (!state.customerGateways.has(id)) throw new UnknownPeerError(`no customer gateway ${id}`);
    if (configured) state.configuredPeers.add(id);
    else state.configuredPeers.delete(id);
    const using = [...state.vpnConnections.values()].filter((c) =>
      c.tunnels.some((t) => t.CustomerGatewayId === id),
    );
    // The device is configured as the connections are now: with their current keys.
    if (configured)
      for (const c of using)
        for (const t of c.tunnels) if (t.CustomerGatewayId === id) state.newKeyTunnels.delete(t.TunnelId);
    return using.map((c) => c.VpnConnectionId);
  }
  const id = target.vpnConnectionId;
  const conn = state.vpnConnections.get(id);
  if (!conn) throw new UnknownPeerError(`no IPsec-VPN connection ${id}`);
  if (configured) {
    state.configuredConnections.add(id);
    for (const t of conn.tunnels) state.newKeyTunnels.delete(t.TunnelId);
  } else state.configuredConnections.delete(id);
  return [id];
}
