/**
 * The simulator's HTTP server. `/` is the VPC RPC API (GET query string or POST form body), checked
 * the way Alibaba's gateway checks it (checks.ts), then rate limits (rate-limits.ts), then faults
 * (faults.ts), then the action (actions/). Control routes for tests and people:
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
 *
 * Nothing it answers or logs contains the access key secret, and nothing it logs a pre-shared key
 * (the state it serves holds the account's keys, as DescribeVpnConnection shows them).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatRateLimit, type RateLimits } from '../../units/rate-limits.js';
import { ACTIONS, type ActionContext, type Handler } from './actions/index.js';
import { DUAL_TUNNEL_REGION_IDS, SSL_CONNECTION_COUNTS } from './alibaba.js';
import { checkRequest } from './checks.js';
import { type Clock, systemClock } from './clock.js';
import { SimError } from './errors.js';
import { type FaultConfig, FaultInjector, faultConfigFromJson, NO_FAULTS, parseFaults } from './faults.js';
import { configurePeer, type PeerTarget, parsePeerBody, UnknownPeerError } from './peers.js';
import { parseSimulatorRateLimits, RateLimitEnforcer, type ThrottleCount } from './rate-limits.js';
import type { SimulatorSeed } from './seed.js';
import { type RequestRecord, type SimulatorSnapshot, SimulatorState } from './state.js';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
  /** The one key pair accepted: `sandbox` / `sandbox-secret` by default. */
  accessKeyId?: string;
  accessKeySecret?: string;
  /** When set, every request must carry this SecurityToken (as with STS credentials). Off by default. */
  securityToken?: string;
  /** Time from CreateVpnGateway to `active` (90 s by default); `provisioning` from a tenth of it. */
  provisionTimeMs?: number;
  /** Time from DeleteVpnGateway to the gateway being gone, `deleting` meanwhile (30 s by default). */
  deleteTimeMs?: number;
  /** Instead: each gateway's time drawn evenly from this range (benchmarks of polling). */
  provisionTimeSpreadMs?: readonly [number, number];
  /** Drives gateway status; `ManualClock` for tests. Signature timestamps always use real time. */
  clock?: Clock;
  /** A FaultConfig or a SIMULATOR_FAULTS string. */
  faults?: FaultConfig | string;
  /** Limits per region and action, or a SIMULATOR_RATE_LIMITS string; none by default. */
  rateLimits?: RateLimits | string;
  /** Per region: VPN gateways 30 (Alibaba's default), customer gateways 100; IPsec-VPN connections per VPN gateway 10. */
  quotas?: { vpnGateways?: number; customerGateways?: number; vpnConnectionsPerGateway?: number };
  /** Bandwidth values CreateVpnGateway accepts for any network type; today's per network type by default. */
  bandwidthValues?: readonly number[];
  /** SslConnections values accepted: the seed's 5, 10, 20 and the newer documents' up to 1000. */
  sslConnectionValues?: readonly number[];
  /** Regions where a new VPN gateway is dual-tunnel: Alibaba's published table by default. */
  dualTunnelRegions?: readonly string[];
  /** More actions, by API name (a test's throwaway resource type); they may not replace built-in ones. */
  actions?: Readonly<Record<string, Handler>>;
  /** Regions, VPCs and vSwitches of the account: `defaultSeed()` unless given (see `crowdedSeed`). */
  seed?: SimulatorSeed;
  /** Sees every request that passed the gateway checks, before faults and the action. */
  onRequest?: (record: RequestRecord) => void;
  /** Requests kept in the log (oldest dropped first); 10 000 by default. */
  logLimit?: number;
}

export interface RunningSimulator {
  /** `http://127.0.0.1:PORT`: pop-core's `endpoint`. */
  url: string;
  port: number;
  clock: Clock;
  /** A JSON-serialisable snapshot: gateways, ClientTokens, calls per action, the request log. */
  state(): SimulatorSnapshot;
  /** The request log (the live array): every parameter but Signature, SecurityToken redacted. */
  requests(): readonly RequestRecord[];
  reset(): void;
  setFaults(faults: FaultConfig | string): void;
  setProvisionTime(ms: number): void;
  setDeleteTime(ms: number): void;
  /**
   * The on-premises peer behind a customer gateway, or behind every tunnel of a connection, is
   * configured (or, with `false`, no longer): those tunnels come up. Returns the connections it
   * affects now; throws for an unknown id. Same as `POST /_simulator/peer`.
   */
  configurePeer(target: PeerTarget, configured?: boolean): string[];
  setRateLimits(limits: RateLimits | string): void;
  /** Calls answered `Throttling.User`, per region and action, since the start or the last reset. */
  throttles(): ThrottleCount[];
  close(): Promise<void>;
}

export const DEFAULT_SSL_CONNECTIONS: readonly number[] = SSL_CONNECTION_COUNTS;
export const DEFAULT_DELETE_TIME_MS = 30_000;
/** Alibaba's default quota of IPsec-VPN connections per VPN gateway. */
export const DEFAULT_CONNECTIONS_PER_GATEWAY = 10;
const HOST_ID = 'vpc.aliyuncs.com';
const MAX_BODY = 1_000_000;
const BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY
        ? reject(new SimError('InvalidParameter', 400, 'The request body is too large.'))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Alibaba's error body. */
function sendError(res: ServerResponse, err: SimError): void {
  const requestId = randomUUID().toUpperCase();
  json(res, err.status, {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Vpc&requestId=${requestId}`,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const toConfig = (faults: FaultConfig | string) =>
  typeof faults === 'string' ? parseFaults(faults) : faults;
const toLimits = (limits: RateLimits | string) =>
  typeof limits === 'string' ? parseSimulatorRateLimits(limits, Object.keys(ACTIONS)) : limits;

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const credentials = {
    accessKeyId: options.accessKeyId ?? 'sandbox',
    accessKeySecret: options.accessKeySecret ?? 'sandbox-secret',
    ...(options.securityToken !== undefined ? { securityToken: options.securityToken } : {}),
  };
  const clock = options.clock ?? systemClock;
  const state = new SimulatorState(options.seed);
  const faults = new FaultInjector(toConfig(options.faults ?? NO_FAULTS));
  const rateLimits = new RateLimitEnforcer(toLimits(options.rateLimits ?? {}));
  const logLimit = options.logLimit ?? 10_000;
  for (const name of Object.keys(options.actions ?? {}))
    if (Object.hasOwn(ACTIONS, name)) throw new Error(`the simulator already implements ${name}`);
  const actions: Readonly<Record<string, Handler>> = { ...ACTIONS, ...options.actions };
  const ctx: ActionContext = {
    state,
    clock,
    provisionTimeMs: options.provisionTimeMs ?? 90_000,
    deleteTimeMs: options.deleteTimeMs ?? DEFAULT_DELETE_TIME_MS,
    ...(options.provisionTimeSpreadMs ? { provisionTimeSpreadMs: options.provisionTimeSpreadMs } : {}),
    ...(options.bandwidthValues ? { bandwidthValues: options.bandwidthValues } : {}),
    sslConnectionValues: options.sslConnectionValues ?? DEFAULT_SSL_CONNECTIONS,
    dualTunnelRegions: options.dualTunnelRegions ?? DUAL_TUNNEL_REGION_IDS,
    quotas: {
      vpnGateways: options.quotas?.vpnGateways ?? 30,
      customerGateways: options.quotas?.customerGateways ?? 100,
      vpnConnectionsPerGateway: options.quotas?.vpnConnectionsPerGateway ?? DEFAULT_CONNECTIONS_PER_GATEWAY,
    },
  };

  function record(method: string, action: string, params: Record<string, string>): void {
    const { Signature: _signature, ...logged } = params;
    if (logged.SecurityToken !== undefined) logged.SecurityToken = '[redacted]';
    const entry: RequestRecord = { at: clock.now(), method, action, params: logged };
    state.requests.push(entry);
    if (state.requests.length > logLimit) state.requests.splice(0, state.requests.length - logLimit);
    state.calls[action] = (state.calls[action] ?? 0) + 1;
    options.onRequest?.(entry);
  }

  async function rpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (method !== 'GET' && method !== 'POST')
      return sendError(
        res,
        new SimError('UnsupportedHTTPMethod', 400, `${method} is not supported; use GET or POST.`),
      );
    const params: Record<string, string> = Object.fromEntries(
      new URL(req.url ?? '/', 'http://simulator').searchParams,
    );
    if (method === 'POST') for (const [k, v] of new URLSearchParams(body)) params[k] = v;

    const action = checkRequest(method, params, credentials, state.nonces, (name) =>
      Object.hasOwn(actions, name),
    );
    record(method, action, params);
    // Flow control comes first, as at Alibaba's gateway: a throttled call has no effect.
    rateLimits.admit(action, params.RegionId);
    // Decided before the action runs: an injected error means the call had no effect.
    const fault = faults.decide(action);
    if (fault.kind === 'error')
      return sendError(res, new SimError(fault.code, fault.status, `Injected fault: ${fault.code}`));
    if (fault.kind === 'nonjson') {
      res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(BAD_GATEWAY) });
      res.end(BAD_GATEWAY);
      return;
    }
    // Gateways whose deletion finished are gone before the action looks.
    state.sweep(clock);
    const result = (actions[action] as Handler)(params, ctx);
    if (fault.kind === 'lost') {
      // The action took effect, but its answer never arrives.
      res.socket?.destroy();
      return;
    }
    json(res, 200, result);
  }

  /** `/_simulator/config`: `provisionTimeMs` and/or `deleteTimeMs`, each a number of ms, 0 or more. */
  function setTimes(body: unknown): void {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const given = (['provisionTimeMs', 'deleteTimeMs'] as const).filter((k) => fields[k] !== undefined);
    if (given.length === 0) throw new Error('give provisionTimeMs and/or deleteTimeMs');
    for (const key of given) {
      const ms = fields[key];
      if (typeof ms !== 'number' || !(ms >= 0)) throw new Error(`${key} must be a number, 0 or more`);
    }
    for (const key of given) ctx[key] = fields[key] as number;
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = `${req.method} ${path}`;
    if (route === 'GET /_simulator/state') return json(res, 200, state.snapshot(clock));
    if (route === 'POST /_simulator/reset') {
      state.reset();
      rateLimits.reset();
      return json(res, 200, { ok: true });
    }
    if (route === 'GET /_simulator/rate-limits') {
      const limits = Object.fromEntries(
        Object.entries(rateLimits.current).map(([action, limit]) => [action, formatRateLimit(limit)]),
      );
      return json(res, 200, { limits, throttled: rateLimits.throttles() });
    }
    if (route === 'POST /_simulator/rate-limits') {
      try {
        const body: unknown = JSON.parse((await readBody(req)) || '""');
        if (typeof body !== 'string') throw new Error('the body must be a JSON string such as "published"');
        rateLimits.set(toLimits(body));
      } catch (err) {
        return json(res, 400, { ok: false, error: (err as Error).message });
      }
      return json(res, 200, { ok: true });
    }
    if (
      route === 'POST /_simulator/faults' ||
      route === 'POST /_simulator/config' ||
      route === 'POST /_simulator/peer'
    ) {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)) || '{}');
      } catch {
        return json(res, 400, { ok: false, error: 'the body is not JSON' });
      }
      try {
        if (route === 'POST /_simulator/faults') faults.set(faultConfigFromJson(body));
        else if (route === 'POST /_simulator/peer') {
          const { target, configured } = parsePeerBody(body);
          return json(res, 200, { ok: true, vpnConnectionIds: configurePeer(state, target, configured) });
        } else setTimes(body);
      } catch (err) {
        return json(res, err instanceof UnknownPeerError ? 404 : 400, {
          ok: false,
          error: (err as Error).message,
        });
      }
      return json(res, 200, { ok: true });
    }
    json(res, 404, { ok: false, error: `no route ${route}` });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const work = path.startsWith('/_simulator/')
      ? control(req, res, path)
      : path === '/'
        ? rpc(req, res)
        : Promise.reject(new SimError('InvalidApi.NotFound', 404, `Specified path ${path} is not found.`));
    work.catch((err: unknown) => {
      // A bug in the simulator says so on stderr (never with the secret, which no error carries),
      // and answers as Alibaba's own failures do, without details.
      if (!(err instanceof SimError)) console.error('VPC simulator: unexpected error', err);
      if (res.headersSent || res.destroyed) return;
      sendError(
        res,
        err instanceof SimError
          ? err
          : new SimError(
              'InternalError',
              500,
              'The request processing has failed due to some unknown error.',
            ),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clock,
    state: () => state.snapshot(clock),
    requests: () => state.requests,
    reset: () => {
      state.reset();
      rateLimits.reset();
    },
    setFaults: (f) => faults.set(toConfig(f)),
    setProvisionTime: (ms) => {
      ctx.provisionTimeMs = ms;
    },
    setDeleteTime: (ms) => {
      ctx.deleteTimeMs = ms;
    },
    configurePeer: (target, configured = true) => configurePeer(state, target, configured),
    setRateLimits: (limits) => rateLimits.set(toLimits(limits)),
    throttles: () => rateLimits.throttles(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
