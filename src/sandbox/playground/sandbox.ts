/**
 * The playground's side of the simulated account, sandbox mode only: what the page's "your site"
 * panel lists (customer gateways and IPsec connections, their tunnels' state, which peers are
 * configured) and its "Configure the peer" control, which stands for configuring the on-premises
 * VPN device: no cloud API can do that, so the page asks the simulator through its own
 * `POST /_simulator/peer` (src/simulator/peers.ts), and the bot's tunnel watch then sees the
 * tunnels come up as it would in Alibaba Cloud.
 *
 *   GET  /playground/sandbox  { sandbox, customerGateways, connections }: ids, names, addresses,
 *                             tunnel states; never a pre-shared key (the page is no place for one)
 *   POST /playground/peer     { "customerGatewayId": "cgw-…" } or { "vpnConnectionId": "vco-…" },
 *                             passed to the simulator; its answer (404 for an unknown id) comes back
 *   POST /playground/tunnel   { "vpnConnectionId": "vco-…", "tunnel": 1, "up": false }: the tunnel
 *                             taken down on the on-premises side, or let back (`POST /_simulator/tunnel`)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningSimulator, SimulatorSnapshot } from '../simulator/index.js';
import { readJson, send } from './http.js';

export interface SandboxCustomerGateway {
  id: string;
  name: string;
  ipAddress: string;
  regionId: string;
  /** The device's BGP AS number, for a customer gateway that can take a BGP connection. */
  asn?: string;
  /** The device behind it is configured: every tunnel to it comes up. */
  configured: boolean;
}

/** A tunnel's BGP session, when BGP is on: its /30, and whether it is established (the tunnel is up). */
export interface SandboxBgp {
  tunnelCidr: string;
  established: boolean;
}

export interface SandboxConnection {
  id: string;
  name: string;
  regionId: string;
  vpnGatewayId: string;
  tunnels: {
    index: number;
    customerGatewayId: string;
    role: string;
    up: boolean;
    /** Taken down on the on-premises side ("Take tunnel down"): it stays down until let back. */
    takenDown: boolean;
    bgp?: SandboxBgp;
  }[];
  /** Every tunnel's peer is configured, by the connection or by its customer gateways. */
  configured: boolean;
}

export interface SandboxListing {
  sandbox: boolean;
  customerGateways: SandboxCustomerGateway[];
  connections: SandboxConnection[];
}

/**
 * The simulated accounts as the panel shows them, every account's resources together (the peer
 * route finds the account of an id by itself). Fields are copied one by one: the simulator's own
 * snapshot carries the tunnels' keys, and none of them may reach the page this way.
 */
export function sandboxListing(simulator: RunningSimulator | undefined): SandboxListing {
  if (!simulator) return { sandbox: false, customerGateways: [], connections: [] };
  const listings = simulator.accounts().map((account) => accountListing(simulator.state(account)));
  return {
    sandbox: true,
    customerGateways: listings.flatMap((l) => l.customerGateways),
    connections: listings.flatMap((l) => l.connections),
  };
}

function accountListing(state: SimulatorSnapshot): Omit<SandboxListing, 'sandbox'> {
  const peers = new Set(state.configuredPeers);
  const takenDown = new Set(state.downTunnels);
  return {
    customerGateways: state.customerGateways.map((g) => ({
      id: g.CustomerGatewayId,
      name: g.Name,
      ipAddress: g.IpAddress,
      regionId: g.RegionId,
      ...(g.Asn !== undefined ? { asn: String(g.Asn) } : {}),
      configured: peers.has(g.CustomerGatewayId),
    })),
    connections: state.vpnConnections.map((c) => {
      const bgpOn = c.dual ? c.EnableTunnelsBgp : c.enableBgp;
      const tunnels = c.tunnels.map((t) => {
        const up = t.Status === 'ipsec_sa_established';
        return {
          index: t.TunnelIndex,
          customerGatewayId: t.CustomerGatewayId,
          role: t.Role,
          up,
          takenDown: takenDown.has(t.TunnelId),
          ...(bgpOn ? { bgp: { tunnelCidr: t.bgp.TunnelCidr ?? '', established: up } } : {}),
        };
      });
      return {
        id: c.VpnConnectionId,
        name: c.Name,
        regionId: c.RegionId,
        vpnGatewayId: c.VpnGatewayId,
        tunnels,
        configured: tunnels.length > 0 && tunnels.every((t) => t.up),
      };
    }),
  };
}

/** The one field the page may send, as the simulator's peer endpoint takes it; undefined otherwise. */
function peerTarget(body: unknown): Record<string, string> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const entries = Object.entries(body);
  const [only] = entries;
  if (entries.length !== 1 || !only) return undefined;
  const [field, id] = only;
  const shape =
    field === 'customerGatewayId'
      ? /^cgw-[a-z0-9]+$/
      : field === 'vpnConnectionId'
        ? /^vco-[a-z0-9]+$/
        : undefined;
  return shape && typeof id === 'string' && shape.test(id) ? { [field]: id } : undefined;
}

/** A tunnel to take down or let back, as the simulator's tunnel endpoint takes it; undefined otherwise. */
function tunnelTarget(body: unknown): { vpnConnectionId: string; tunnel: number; up: boolean } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { vpnConnectionId, tunnel, up, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof up !== 'boolean' || (tunnel !== 1 && tunnel !== 2))
    return undefined;
  if (typeof vpnConnectionId !== 'string' || !/^vco-[a-z0-9]+$/.test(vpnConnectionId)) return undefined;
  return { vpnConnectionId, tunnel, up };
}

/** Passes a checked body to one of the simulator's control routes, and its answer back. */
async function toSimulator(sim: RunningSimulator, res: ServerResponse, route: string, body: object) {
  const answer = await fetch(`${sim.url}/_simulator/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  send(res, answer.status, await answer.text());
}

/** Routes for the page; `simulator` is read at each request (it starts after the playground). */
export function createSandboxRoutes(simulator: () => RunningSimulator | undefined) {
  return async function sandboxRoute(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<boolean> {
    if (req.method === 'GET' && path === '/playground/sandbox') {
      send(res, 200, sandboxListing(simulator()));
      return true;
    }
    if (req.method !== 'POST' || (path !== '/playground/peer' && path !== '/playground/tunnel')) return false;
    const sim = simulator();
    if (!sim) {
      send(res, 404, {
        error: 'not_sandbox',
        message: 'The bot talks to Alibaba Cloud: configure the on-premises device itself.',
      });
      return true;
    }
    const body = await readJson(req, res).catch(() => undefined);
    if (path === '/playground/tunnel') {
      const tunnel = tunnelTarget(body);
      if (tunnel) await toSimulator(sim, res, 'tunnel', tunnel);
      else
        send(res, 400, {
          error: 'invalid_tunnel',
          message: 'Send {"vpnConnectionId":"vco-…","tunnel":1,"up":false}.',
        });
      return true;
    }
    const target = peerTarget(body);
    if (!target) {
      send(res, 400, {
        error: 'invalid_peer',
        message: 'Send {"customerGatewayId":"cgw-…"} or {"vpnConnectionId":"vco-…"}.',
      });
      return true;
    }
    await toSimulator(sim, res, 'peer', target);
    return true;
  };
}
