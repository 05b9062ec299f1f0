/**
 * What happens to an account outside the bot, which no call of the bot's makes happen: a tunnel
 * taken down on the on-premises side (a device restarted, a link cut) and brought back, and a
 * resource changed or deleted in the console. Served as `POST /_simulator/tunnel` and
 * `POST /_simulator/outside` (control.ts), and on the simulator handle.
 *
 * A console change is what Alibaba's console allows: an IPsec connection's networks, a VPN
 * gateway's bandwidth (a bandwidth change order), and deleting a gateway that no connection uses
 * (the console refuses otherwise, as DeleteVpnGateway and DeleteCustomerGateway do) or a connection.
 */
import type { SimulatorState } from './state.js';

/** An id the simulator does not know, or a change it refuses; the HTTP route answers 404 or 400. */
export class OutsideError extends Error {
  override name = 'OutsideError';
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

export interface TunnelChange {
  vpnConnectionId: string;
  /** 1 for the master (or only) tunnel, 2 for the slave. */
  tunnel: number;
  up: boolean;
}

export interface OutsideChange {
  id: string;
  /** Fields to set: `LocalSubnet`, `RemoteSubnet` (a connection), `Bandwidth` (a VPN gateway). */
  set?: Record<string, string | number>;
  delete?: boolean;
}

const fieldsOf = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};

function refuseUnknown(fields: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(fields).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new OutsideError(`unknown field(s): ${unknown.join(', ')}`);
}

export function parseTunnelBody(body: unknown): TunnelChange & { account?: string } {
  const f = fieldsOf(body);
  refuseUnknown(f, ['vpnConnectionId', 'tunnel', 'up', 'account']);
  const { vpnConnectionId, tunnel = 1, up, account } = f;
  if (typeof vpnConnectionId !== 'string' || vpnConnectionId === '')
    throw new OutsideError('vpnConnectionId must be the id of an IPsec-VPN connection');
  if (tunnel !== 1 && tunnel !== 2) throw new OutsideError('tunnel must be 1 or 2');
  if (typeof up !== 'boolean') throw new OutsideError('up must be true or false');
  return { vpnConnectionId, tunnel, up, ...(typeof account === 'string' ? { account } : {}) };
}

export function parseOutsideBody(body: unknown): OutsideChange & { account?: string } {
  const f = fieldsOf(body);
  refuseUnknown(f, ['id', 'set', 'delete', 'account']);
  const { id, set, delete: remove, account } = f;
  if (typeof id !== 'string' || id === '') throw new OutsideError('id must be a resource id');
  if (set !== undefined && (typeof set !== 'object' || set === null || Array.isArray(set)))
    throw new OutsideError('set must be an object of fields');
  if (remove !== undefined && typeof remove !== 'boolean')
    throw new OutsideError('delete must be true or false');
  if ((set === undefined) === (remove !== true)) throw new OutsideError('give set or "delete": true');
  return {
    id,
    ...(set ? { set: set as Record<string, string | number> } : {}),
    ...(remove ? { delete: true } : {}),
    ...(typeof account === 'string' ? { account } : {}),
  };
}

/** Whether the account holds the resource. */
export function holdsResource(state: SimulatorState, id: string): boolean {
  return state.vpnConnections.has(id) || state.vpnGateways.has(id) || state.customerGateways.has(id);
}

/** Takes a tunnel down, or lets it come back (up once its peer is configured). */
export function setTunnel(state: SimulatorState, change: TunnelChange): void {
  const conn = state.vpnConnections.get(change.vpnConnectionId);
  if (!conn) throw new OutsideError(`no IPsec-VPN connection ${change.vpnConnectionId}`, true);
  const tunnel = conn.tunnels.find((t) => t.TunnelIndex === change.tunnel) ?? conn.tunnels[change.tunnel - 1];
  if (!tunnel) throw new OutsideError(`${change.vpnConnectionId} has no tunnel ${change.tunnel}`);
  if (change.up) state.downTunnels.delete(tunnel.TunnelId);
  else state.downTunnels.add(tunnel.TunnelId);
}

function usedBy(state: SimulatorState, id: string): string[] {
  return [...state.vpnConnections.values()]
    .filter((c) => c.VpnGatewayId === id || c.tunnels.some((t) => t.CustomerGatewayId === id))
    .map((c) => c.VpnConnectionId);
}

function setFields(state: SimulatorState, id: string, set: Record<string, string | number>): void {
  const conn = state.vpnConnections.get(id);
  const gw = state.vpnGateways.get(id);
  for (const [field, value] of Object.entries(set)) {
    if (conn && (field === 'LocalSubnet' || field === 'RemoteSubnet') && typeof value === 'string')
      conn[field] = value;
    else if (gw && field === 'Bandwidth' && typeof value === 'number' && Number.isInteger(value) && value > 0)
      gw.Bandwidth = value;
    else
      throw new OutsideError(`${field} of ${id} cannot be set to ${JSON.stringify(value)} from the console`);
  }
}

/** Changes or deletes a resource as someone in the console would. */
export function changeOutside(state: SimulatorState, change: OutsideChange): void {
  if (!holdsResource(state, change.id)) throw new OutsideError(`no resource ${change.id}`, true);
  if (change.set) {
    setFields(state, change.id, change.set);
    return;
  }
  const users = usedBy(state, change.id);
  if (!state.vpnConnections.has(change.id) && users.length > 0)
    throw new OutsideError(`${change.id} is used by ${users.join(', ')}: delete those first`);
  state.vpnConnections.delete(change.id);
  state.vpnGateways.delete(change.id);
  state.customerGateways.delete(change.id);
}
