/**
 * The simulator's control routes, for tests and people. `?account=NAME` (or `"account"` in the
 * peer's body) picks one account; without it, the state is the first account's, the throttles are
 * every account's added up, and a peer is looked for in every account. An unknown account is 404.
 *
 *   GET  /_simulator/accounts the names of the accounts served (never a key)
 *   GET  /_simulator/state    one account's state as JSON (SimulatorSnapshot)
 *   POST /_simulator/reset    every account back to the seed: no gateways, tokens, nonces, counts
 *                             or log (the keys, and those the STS issued, stay)
 *   POST /_simulator/faults   JSON FaultConfig, or a JSON string in the SIMULATOR_FAULTS grammar
 *   POST /_simulator/config   JSON `{ "provisionTimeMs": n, "deleteTimeMs": n }` (either or both):
 *                             time to `active` of new gateways, time from DeleteVpnGateway to gone
 *   POST /_simulator/peer     JSON `{ "customerGatewayId": "cgw-…" }` or `{ "vpnConnectionId": "vco-…" }`,
 *                             optionally `"configured": false` and `"account"`: the on-premises peer
 *                             is configured, its tunnels come up (peers.ts); `{ ok, vpnConnectionIds }`,
 *                             404 for an unknown id
 *   POST /_simulator/tunnel   JSON `{ "vpnConnectionId": "vco-…", "tunnel": 1, "up": false }` (and
 *                             `"account"`): the tunnel is taken down on the on-premises side, or let
 *                             come back (outside.ts); 404 for an unknown id
 *   POST /_simulator/outside  JSON `{ "id": "vco-…", "set": { "LocalSubnet": "…" } }` or
 *                             `{ "id": "vpn-…", "delete": true }` (and `"account"`): a resource changed
 *                             or deleted in the console, outside the bot (outside.ts)
 *   GET  /_simulator/rate-limits   the limits enforced and the calls throttled so far
 *   POST /_simulator/rate-limits   a JSON string in the SIMULATOR_RATE_LIMITS grammar
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatRateLimit } from '../../units/rate-limits.js';
import {
  accountState,
  changeOutsideIn,
  configurePeerIn,
  rateLimitsOf,
  resetAll,
  type SimulatorCore,
  setTunnelIn,
  snapshotOf,
  UnknownAccountError,
} from './core.js';
import { faultConfigFromJson } from './faults.js';
import { json, readText } from './http.js';
import { OutsideError, parseOutsideBody, parseTunnelBody } from './outside.js';
import { parsePeerBody, UnknownPeerError } from './peers.js';

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

function showRateLimits(core: SimulatorCore, res: ServerResponse, account: string | undefined): void {
  if (account !== undefined) accountState(core, account);
  const limits = Object.fromEntries(
    Object.entries(core.rateLimits.current).map(([action, limit]) => [action, formatRateLimit(limit)]),
  );
  json(res, 200, { limits, throttled: core.rateLimits.throttles(account) });
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
      const { target, configured, account } = parsePeerBody(body);
      return json(res, 200, {
        ok: true,
        vpnConnectionIds: configurePeerIn(core, target, configured, account),
      });
    } else if (route === 'POST /_simulator/tunnel') {
      const { account, ...change } = parseTunnelBody(body);
      setTunnelIn(core, change, account);
    } else if (route === 'POST /_simulator/outside') {
      const { account, ...change } = parseOutsideBody(body);
      changeOutsideIn(core, change, account);
    } else setTimes(core, body);
  } catch (err) {
    const notFound =
      err instanceof UnknownPeerError ||
      err instanceof UnknownAccountError ||
      (err instanceof OutsideError && err.notFound);
    return json(res, notFound ? 404 : 400, { ok: false, error: (err as Error).message });
  }
  json(res, 200, { ok: true });
}

const JSON_ROUTES = new Set([
  'POST /_simulator/faults',
  'POST /_simulator/config',
  'POST /_simulator/peer',
  'POST /_simulator/tunnel',
  'POST /_simulator/outside',
]);

/** The route's answer; `account` is the `?account=` asked for, if any. */
async function route(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  account: string | undefined,
): Promise<void> {
  if (name === 'GET /_simulator/accounts') return json(res, 200, { accounts: [...core.accounts.keys()] });
  if (name === 'GET /_simulator/state') return json(res, 200, snapshotOf(core, account));
  if (name === 'POST /_simulator/reset') {
    resetAll(core);
    return json(res, 200, { ok: true });
  }
  if (name === 'GET /_simulator/rate-limits') return showRateLimits(core, res, account);
  if (name === 'POST /_simulator/rate-limits') return setRateLimits(core, req, res);
  if (JSON_ROUTES.has(name)) return applyJson(core, req, res, name);
  json(res, 404, { ok: false, error: `no route ${name}` });
}

export async function answerControl(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const account = new URL(req.url ?? '/', 'http://simulator').searchParams.get('account') ?? undefined;
  try {
    await route(core, req, res, `${req.method} ${path}`, account);
  } catch (err) {
    if (!(err instanceof UnknownAccountError)) throw err;
    json(res, 404, { ok: false, error: err.message });
  }
}
