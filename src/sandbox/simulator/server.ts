/**
 * The simulator's HTTP server. `/` is the VPC RPC API (rpc.ts); `/_simulator/…` are the control
 * routes for tests and people (control.ts). Nothing it answers or logs contains the access key
 * secret, and nothing it logs a pre-shared key (the state it serves holds the account's keys, as
 * DescribeVpnConnection shows them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RateLimits } from '../../units/rate-limits.js';
import { ACTIONS, type ActionContext, type Handler } from './actions/index.js';
import { DUAL_TUNNEL_REGION_IDS, SSL_CONNECTION_COUNTS } from './alibaba.js';
import { type Clock, systemClock } from './clock.js';
import { answerControl } from './control.js';
import { faultConfigOf, rateLimitsOf, type SimulatorCore } from './core.js';
import { SimError } from './errors.js';
import { type FaultConfig, FaultInjector, NO_FAULTS } from './faults.js';
import { sendError } from './http.js';
import { configurePeer, type PeerTarget } from './peers.js';
import { RateLimitEnforcer, type ThrottleCount } from './rate-limits.js';
import { answerRpc } from './rpc.js';
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

/** The actions' context: times, accepted values and quotas, each the option given or its default. */
function actionContext(options: SimulatorOptions, state: SimulatorState, clock: Clock): ActionContext {
  return {
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
}

function simulatorCore(options: SimulatorOptions): SimulatorCore {
  for (const name of Object.keys(options.actions ?? {}))
    if (Object.hasOwn(ACTIONS, name)) throw new Error(`the simulator already implements ${name}`);
  const clock = options.clock ?? systemClock;
  const state = new SimulatorState(options.seed);
  return {
    state,
    clock,
    faults: new FaultInjector(faultConfigOf(options.faults ?? NO_FAULTS)),
    rateLimits: new RateLimitEnforcer(rateLimitsOf(options.rateLimits ?? {})),
    ctx: actionContext(options, state, clock),
    actions: { ...ACTIONS, ...options.actions },
    credentials: {
      accessKeyId: options.accessKeyId ?? 'sandbox',
      accessKeySecret: options.accessKeySecret ?? 'sandbox-secret',
      ...(options.securityToken !== undefined ? { securityToken: options.securityToken } : {}),
    },
    logLimit: options.logLimit ?? 10_000,
    onRequest: options.onRequest,
  };
}

/** A route by its path; whatever fails is answered as Alibaba's own failures are. */
function answer(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://simulator').pathname;
  const work = path.startsWith('/_simulator/')
    ? answerControl(core, req, res, path)
    : path === '/'
      ? answerRpc(core, req, res)
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
        : new SimError('InternalError', 500, 'The request processing has failed due to some unknown error.'),
    );
  });
}

/** What a test or a person drives the running simulator with. */
function controls(core: SimulatorCore, server: Server, port: number): RunningSimulator {
  const { state, clock, rateLimits, ctx } = core;
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
    setFaults: (f) => core.faults.set(faultConfigOf(f)),
    setProvisionTime: (ms) => {
      ctx.provisionTimeMs = ms;
    },
    setDeleteTime: (ms) => {
      ctx.deleteTimeMs = ms;
    },
    configurePeer: (target, configured = true) => configurePeer(state, target, configured),
    setRateLimits: (limits) => rateLimits.set(rateLimitsOf(limits)),
    throttles: () => rateLimits.throttles(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const core = simulatorCore(options);
  const server = createServer((req, res) => answer(core, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  return controls(core, server, (server.address() as AddressInfo).port);
}
