/**
 * The runtime's cloud clients, two per account: one for worker steps and one for Slack's
 * pick-lists, which wait less for a paced call (rate-limiter.ts). Each account signs in its own
 * way (sign-in.ts) and is paced apart through Redis; every call is counted in the metrics. In
 * sandbox mode the built-in VPC simulator answers instead of Alibaba Cloud, an account of its own
 * for each configured account.
 */
import {
  createVpcClient,
  PACING_MAX_WAIT_MS,
  type PaceEvent,
  RateLimiter,
  type VpcClient,
} from '../cloud/index.js';
import { type Account, type Config, DEFAULT_ACCOUNT } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisClient } from '../redis/index.js';
import { settingOf, VPN_GATEWAY_SETTINGS } from '../resources/index.js';
import { type RunningSimulator, type SimulatorAccount, sandboxAccounts, startSimulator } from './sandbox.js';
import { accountSignIns } from './sign-in.js';

export interface RuntimeCloud {
  /** What worker steps call in an account (create, sweep, preflight). */
  vpcIn(account: string): VpcClient;
  /** What Slack's pick-lists call in an account. */
  pickListIn(account: string): VpcClient;
  /** Signs in to an account now; throws as a call would when its RAM role cannot be assumed. */
  signIn(account: string): Promise<void>;
  /** The VPC simulator, in sandbox mode. */
  simulator?: RunningSimulator;
}

export interface CloudDeps {
  redis: RedisClient;
  metrics: Metrics;
  logger: Logger;
  /** Use this client for both instead of building them from the configuration. */
  vpc?: VpcClient;
  /** Certificate authorities to trust for STS besides Node's own (tests). */
  stsCa?: string;
}

/**
 * The VPC simulator of sandbox mode, with the bot's resource settings and one simulated account
 * per configured account (each with a key pair of its own).
 */
async function startSandboxCloud(
  config: Config,
  logger: Logger,
): Promise<{ simulator: RunningSimulator; keys: SimulatorAccount[] }> {
  const bandwidthValues = settingOf(config.resources, VPN_GATEWAY_SETTINGS.bandwidths);
  const names = config.accounts.map((a) => a.name);
  const keys = sandboxAccounts(names);
  const simulator = await startSimulator({
    port: 0,
    provisionTimeMs: config.sandbox.provisionTimeMs,
    deleteTimeMs: config.sandbox.deleteTimeMs,
    updateTimeMs: config.sandbox.updateTimeMs,
    // The simulator offers what the bot was configured to offer, as the account it stands for would.
    dualTunnelRegions: settingOf(config.resources, VPN_GATEWAY_SETTINGS.dualTunnelRegions),
    ...(bandwidthValues ? { bandwidthValues } : {}),
    accounts: keys,
  });
  logger.warn(
    { endpoint: simulator.url, accounts: names },
    'sandbox mode: the built-in VPC simulator answers instead of Alibaba Cloud',
  );
  return { simulator, keys };
}

/** Pacing outcomes as metrics; a call that went unpaced (Redis unreachable) also as a log line. */
function reportPacing(metrics: Metrics, logger: Logger, account: string) {
  return (e: PaceEvent) => {
    metrics.cloudPacing.inc({ account, action: e.action, outcome: e.outcome });
    if (e.outcome === 'waited') metrics.cloudPacingWait.observe({ action: e.action }, e.waitMs / 1000);
    if (e.outcome === 'unpaced')
      logger.warn(
        { account, action: e.action, regionId: e.regionId, reason: e.reason },
        'cloud call not paced: the rate limiter could not reach Redis',
      );
  };
}

/** A value per account, made when first asked for. */
function perAccount<T>(make: (account: Account) => T): (account: Account) => T {
  const made = new Map<string, T>();
  return (account) => {
    let value = made.get(account.name);
    if (value === undefined) {
      value = make(account);
      made.set(account.name, value);
    }
    return value;
  };
}

/** The account of a name; an account the configuration does not have is an error. */
function accountNamed(config: Config, name: string): Account {
  const account = config.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`no account ${name} is configured (ACCOUNTS_FILE)`);
  return account;
}

export async function startCloudClients(config: Config, deps: CloudDeps): Promise<RuntimeCloud> {
  const given = deps.vpc;
  if (given) return { vpcIn: () => given, pickListIn: () => given, signIn: async () => {} };
  const { redis, metrics, logger } = deps;
  const sandbox = config.cloud.mode === 'sandbox' ? await startSandboxCloud(config, logger) : undefined;
  const simulator = sandbox?.simulator;
  const endpoint = simulator?.url ?? config.cloud.endpoint;
  const signIns = accountSignIns(config, {
    logger,
    ...(sandbox ? { sandbox: sandbox.keys } : {}),
    ...(deps.stsCa ? { stsCa: deps.stsCa } : {}),
  });
  // One limiter per account: Alibaba counts calls per region, action and main account.
  const limiterOf = perAccount(
    (account) =>
      new RateLimiter({
        redis,
        prefix: config.redis.prefix,
        limits: config.cloud.rateLimits,
        ...(account.name === DEFAULT_ACCOUNT.name ? {} : { account: account.name }),
      }),
  );
  const client = (account: Account, maxWaitMs: number) =>
    createVpcClient({
      ...signIns.of(account),
      ...(endpoint ? { endpoint } : {}),
      timeoutMs: config.cloud.requestTimeoutMs,
      onCall: (e) => {
        const code = e.ok ? 'OK' : (e.code ?? 'unknown');
        metrics.cloudCalls.inc({ account: account.name, action: e.action, code });
        metrics.cloudCallDuration.observe({ action: e.action }, e.durationMs / 1000);
      },
      pace: limiterOf(account).pacer({ maxWaitMs, onPace: reportPacing(metrics, logger, account.name) }),
    });
  const worker = perAccount((account) => client(account, PACING_MAX_WAIT_MS.worker));
  const pickList = perAccount((account) => client(account, PACING_MAX_WAIT_MS.pickList));
  return {
    vpcIn: (name) => worker(accountNamed(config, name)),
    pickListIn: (name) => pickList(accountNamed(config, name)),
    signIn: (name) => signIns.check(accountNamed(config, name)),
    ...(simulator ? { simulator } : {}),
  };
}
