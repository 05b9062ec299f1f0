/**
 * The simulator's HTTP server: `/` is the VPC RPC API (rpc.ts), `/_simulator/…` the control
 * routes for tests and people (control.ts). It serves one account, or several, each with its own
 * key pair and its own state: a request is answered in the account of the key that signed it
 * (keys.ts), and the STS (sts/) can issue temporary keys for an account's RAM roles.
 *
 * Nothing it answers or logs contains an access key secret or a SecurityToken, and nothing it
 * logs a pre-shared key (the state it serves holds the account's keys, as DescribeVpnConnection
 * shows them).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RateLimits } from '../../units/rate-limits.js';
import { ACTIONS, type ActionContext, type Handler } from './actions/index.js';
import { DUAL_TUNNEL_REGION_IDS, SSL_CONNECTION_COUNTS } from './alibaba.js';
import { type Clock, systemClock } from './clock.js';
import { answerControl } from './control.js';
import {
  changeOutsideIn,
  configurePeerIn,
  faultConfigOf,
  rateLimitsOf,
  requestsOf,
  resetAll,
  type SimulatorCore,
  setTunnelIn,
  snapshotOf,
} from './core.js';
import { SimError } from './errors.js';
import { type FaultConfig, FaultInjector, NO_FAULTS } from './faults.js';
import { sendError } from './http.js';
import {
  type AccessKey,
  AccessKeys,
  checkAccounts,
  type SimulatorAccount,
  type TemporaryKey,
} from './keys.js';
import type { OutsideChange, TunnelChange } from './outside.js';
import type { PeerTarget } from './peers.js';
import { RateLimitEnforcer, type ThrottleCount } from './rate-limits.js';
import { answerRpc } from './rpc.js';
import { defaultSeed, type SimulatorSeed } from './seed.js';
import { IdNumbers, type RequestRecord, type SimulatorSnapshot, SimulatorState } from './state.js';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
  /**
   * The one account's key pair (the account is named `default`): `sandbox` / `sandbox-secret` by
   * default. Not with `accounts`.
   */
  accessKeyId?: string;
  accessKeySecret?: string;
  /** When set, every request must carry this SecurityToken (as with STS credentials). Off by default. */
  securityToken?: string;
  /**
   * Several accounts instead, each with its own key pair and its own gateways, connections,
   * ClientTokens, quotas and rate-limit windows; the first answers the inspection API when no
   * account is named. Each starts from the same seed.
   */
  accounts?: readonly SimulatorAccount[];
  /** Time from CreateVpnGateway to `active` (90 s by default); `provisioning` from a tenth of it. */
  provisionTimeMs?: number;
  /** Time from DeleteVpnGateway to the gateway being gone, `deleting` meanwhile (30 s by default). */
  deleteTimeMs?: number;
  /** Time from ModifyVpnConnectionAttribute to its VPN gateway being `active` again, `updating` meanwhile (5 s by default). */
  updateTimeMs?: number;
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
  /** The names of the accounts served, in the order given. */
  accounts(): string[];
  /**
   * One account as a JSON-serialisable snapshot: gateways, ClientTokens, calls per action and its
   * requests; the first account's when none is named. Throws for an unknown account.
   */
  state(account?: string): SimulatorSnapshot;
  /**
   * The request log, each record naming its account: every account's (the live array) or one
   * account's; every parameter but Signature, SecurityToken redacted.
   */
  requests(account?: string): readonly RequestRecord[];
  /** Every account back to the seed: no gateways, tokens, nonces, counts, log or throttles. Keys stay. */
  reset(): void;
  setFaults(faults: FaultConfig | string): void;
  setProvisionTime(ms: number): void;
  setDeleteTime(ms: number): void;
  /**
   * The on-premises peer behind a customer gateway, or behind every tunnel of a connection, is
   * configured (or, with `false`, no longer): those tunnels come up. In the named account, or the
   * one that holds the id. Returns the connections it affects now; throws for an unknown id. Same
   * as `POST /_simulator/peer`.
   */
  configurePeer(target: PeerTarget, configured?: boolean, account?: string): string[];
  /** A tunnel taken down on the on-premises side, or back. Same as `POST /_simulator/tunnel`. */
  setTunnel(change: TunnelChange, account?: string): void;
  /** A resource changed or deleted in the console, outside the bot. Same as `POST /_simulator/outside`. */
  changeOutside(change: OutsideChange, account?: string): void;
  setRateLimits(limits: RateLimits | string): void;
  /**
   * Calls answered `Throttling.User`, per region and action, since the start or the last reset:
   * the account's, or every account's added up.
   */
  throttles(account?: string): ThrottleCount[];
  /** The keys accepted, in process: how the STS (sts/) checks its callers and hands out keys. */
  keys: SimulatorKeys;
  close(): Promise<void>;
}

/** The simulator's keys as its STS uses them. */
export interface SimulatorKeys {
  /** The key with this AccessKeyId, permanent or temporary, and the account it opens. */
  find(accessKeyId: string): AccessKey | undefined;
  /** Accepts a temporary key for an account, with its token, until it expires (then `InvalidSecurityToken.Expired`). */
  addTemporary(key: TemporaryKey): void;
}

export const DEFAULT_SSL_CONNECTIONS: readonly number[] = SSL_CONNECTION_COUNTS;
export const DEFAULT_DELETE_TIME_MS = 30_000;
export const DEFAULT_UPDATE_TIME_MS = 5_000;
/** Alibaba's default quota of IPsec-VPN connections per VPN gateway. */
export const DEFAULT_CONNECTIONS_PER_GATEWAY = 10;
/** The account of the one-account form. */
export const DEFAULT_ACCOUNT_NAME = 'default';

/**
 * Simulator accounts for these names, for a bot in sandbox mode: the key pair of each is
 * `sandbox-<name>` and a random secret, made anew at each call.
 */
export function sandboxAccounts(names: readonly string[]): SimulatorAccount[] {
  return names.map((name) => ({
    name,
    accessKeyId: `sandbox-${name}`,
    accessKeySecret: randomBytes(18).toString('base64url'),
  }));
}

/** The accounts asked for: `accounts`, or the one account of the key pair options. */
function accountsOf(options: SimulatorOptions): readonly SimulatorAccount[] {
  if (options.accounts === undefined)
    return [
      {
        name: DEFAULT_ACCOUNT_NAME,
        accessKeyId: options.accessKeyId ?? 'sandbox',
        accessKeySecret: options.accessKeySecret ?? 'sandbox-secret',
        ...(options.securityToken !== undefined ? { securityToken: options.securityToken } : {}),
      },
    ];
  if (
    options.accessKeyId !== undefined ||
    options.accessKeySecret !== undefined ||
    options.securityToken !== undefined
  )
    throw new Error('give the simulator accounts, or one key pair, not both');
  checkAccounts(options.accounts);
  return options.accounts;
}

/** The actions' context but the account: times, accepted values and quotas, each the option given or its default. */
function actionContext(options: SimulatorOptions, clock: Clock): Omit<ActionContext, 'state'> {
  return {
    clock,
    provisionTimeMs: options.provisionTimeMs ?? 90_000,
    deleteTimeMs: options.deleteTimeMs ?? DEFAULT_DELETE_TIME_MS,
    updateTimeMs: options.updateTimeMs ?? DEFAULT_UPDATE_TIME_MS,
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
  const given = accountsOf(options);
  const seed = options.seed ?? defaultSeed();
  const ids = new IdNumbers();
  const accounts = new Map(given.map((a) => [a.name, new SimulatorState(a.name, seed, ids)]));
  const keys = new AccessKeys(new Set(accounts.keys()));
  for (const { name, ...key } of given) keys.add({ account: name, ...key });
  return {
    accounts,
    keys,
    nonces: new Map(),
    log: [],
    clock,
    faults: new FaultInjector(faultConfigOf(options.faults ?? NO_FAULTS)),
    rateLimits: new RateLimitEnforcer(rateLimitsOf(options.rateLimits ?? {})),
    ctx: actionContext(options, clock),
    actions: { ...ACTIONS, ...options.actions },
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
    // A bug in the simulator says so on stderr (never with a secret, which no error carries),
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

/** What a test, a person or the STS drives the running simulator with. */
function controls(core: SimulatorCore, server: Server, port: number): RunningSimulator {
  const { clock, rateLimits, ctx } = core;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clock,
    accounts: () => [...core.accounts.keys()],
    state: (account) => snapshotOf(core, account),
    requests: (account) => requestsOf(core, account),
    reset: () => resetAll(core),
    setFaults: (f) => core.faults.set(faultConfigOf(f)),
    setProvisionTime: (ms) => {
      ctx.provisionTimeMs = ms;
    },
    setDeleteTime: (ms) => {
      ctx.deleteTimeMs = ms;
    },
    configurePeer: (target, configured = true, account) => configurePeerIn(core, target, configured, account),
    setTunnel: (change, account) => setTunnelIn(core, change, account),
    changeOutside: (change, account) => changeOutsideIn(core, change, account),
    setRateLimits: (limits) => rateLimits.set(rateLimitsOf(limits)),
    throttles: (account) => rateLimits.throttles(account),
    keys: {
      find: (accessKeyId) => core.keys.find(accessKeyId),
      addTemporary: (key) => core.keys.add(key),
    },
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
