/**
 * The simulator's control routes, for tests and people:
 *
 *   GET  /_simulator/state    the state as JSON (SimulatorSnapshot)
 *   POST /_simulator/reset    back to the seed: no gateways, tokens, nonces, counts or log
 *   POST /_simulator/faults   JSON FaultConfig, or a JSON string in the SIMULATOR_FAULTS grammar
 *   POST /_simulator/config   JSON `{ "provisionTimeMs": n, "deleteTimeMs": n }` (either or both):
 *                             time to `active` of new gateways, time from DeleteVpnGateway to gone
 *   POST /_simulator/peer     JSON `{ "customerGatewayId": "cgw-…" }` or `{ "vpnConnectionId": "vco-…" }`,
 *                             optionally `"configured": false`: the on-premises peer is configured,
 *                             its tunnels come up (peers.ts); `{ ok, vpnConnectionIds }`, 404 for an unknown id
 *   GET  /_simulator/rate-limits   the limits enforced and the calls throttled so far
 *   POST /_simulator/rate-limits   a JSON string in the SIMULATOR_RATE_LIMITS grammar
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatRateLimit } from '../../units/rate-limits.js';
import { rateLimitsOf, type SimulatorCore } from './core.js';
import { faultConfigFromJson } from './faults.js';
import { json, readText } from './http.js';
import { configurePeer, parsePeerBody, UnknownPeerError } from './peers.js';

/** `/_simulator/config`: `provisionTimeMs` and/or `deleteTimeMs`, each a number of ms, 0 or more. */
function setTimes(core: SimulatorCore, body: unknown): void {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const given = (['provisionTimeMs', 'deleteTimeMs'] as const).filter((k) => fields[k] !== undefined);
  if (given.length === 0) throw new Error('give provisionTimeMs and/or deleteTimeMs');
  for (const key of given) {
    const ms = fields[key];
    if (typeof ms !== 'number' || !(ms >= 0)) throw new Error(`${key} must be a number, 0 or more`);
  }
  for (const key of given) core.ctx[key] = fields[key] as number;
}

function showRateLimits(core: SimulatorCore, res: ServerResponse): void {
  const limits = Object.fromEntries(
    Object.entries(core.rateLimits.current).map(([action, limit]) => [action, formatRateLimit(limit)]),
  );
  json(res, 200, { limits, throttled: core.rateLimits.throttles() });
}

async function setRateLimits(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body: unknown = JSON.parse((await readText(req, res)) || '""');
    if (typeof body !== 'string') throw new Error('the body must be a JSON string such as "published"');
    core.rateLimits.set(rateLimitsOf(body));
  } catch (err) {
    return json(res, 400, { ok: false, error: (err as Error).message });
  }
  json(res, 200, { ok: true });
}

/** The routes whose body is a JSON object: faults, times and peers. */
async function applyJson(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse((await readText(req, res)) || '{}');
  } catch {
    return json(res, 400, { ok: false, error: 'the body is not JSON' });
  }
  try {
    if (route === 'POST /_simulator/faults') core.faults.set(faultConfigFromJson(body));
    else if (route === 'POST /_simulator/peer') {
      const { target, configured } = parsePeerBody(body);
      return json(res, 200, { ok: true, vpnConnectionIds: configurePeer(core.state, target, configured) });
    } else setTimes(core, body);
  } catch (err) {
    return json(res, err instanceof UnknownPeerError ? 404 : 400, {
      ok: false,
      error: (err as Error).message,
    });
  }
  json(res, 200, { ok: true });
}

const JSON_ROUTES = new Set(['POST /_simulator/faults', 'POST /_simulator/config', 'POST /_simulator/peer']);

export async function answerControl(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method} ${path}`;
  if (route === 'GET /_simulator/state') return json(res, 200, core.state.snapshot(core.clock));
  if (route === 'POST /_simulator/reset') {
    core.state.reset();
    core.rateLimits.reset();
    return json(res, 200, { ok: true });
  }
  if (route === 'GET /_simulator/rate-limits') return showRateLimits(core, res);
  if (route === 'POST /_simulator/rate-limits') return setRateLimits(core, req, res);
  if (JSON_ROUTES.has(route)) return applyJson(core, req, res, route);
  json(res, 404, { ok: false, error: `no route ${route}` });
}
