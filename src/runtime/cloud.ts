/**
 * The runtime's cloud clients, two per account: one for worker steps and one for Slack's
 * pick-lists, which wait less for a paced call (rate-limiter.ts). Each account signs in its own
 * way (ACCOUNTS_FILE) and is paced apart through Redis; every call is counted in the metrics. In
 * sandbox mode the built-in VPC simulator answers instead of Alibaba Cloud.
 */
import { defaultChainProvider } from '../cloud/credentials.js';
import {
  type Credentials,
  type CredentialsProvider,
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
import { type RunningSimulator, startSimulator } from './sandbox.js';

export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' } as const;

export interface RuntimeCloud {
  /** What worker steps call in an account (create, sweep, preflight). */
  vpcIn(account: string): VpcClient;
  /** What Slack's pick-lists call in an account. */
  pickListIn(account: string): VpcClient;
  /** The VPC simulator, in sandbox mode. */
  simulator?: RunningSimulator;
}

export interface CloudDeps {
  redis: RedisClient;
  metrics: Metrics;
  logger: Logger;
  /** Use this client for both instead of building them from the configuration. */
  vpc?: VpcClient;
}

/** The VPC simulator of sandbox mode, with the bot's resource settings. */
async function startSandboxCloud(config: Config, logger: Logger): Promise<RunningSimulator> {
  const bandwidthValues = settingOf(config.resources, VPN_GATEWAY_SETTINGS.bandwidths);
  const simulator = await startSimulator({
    port: 0,
    provisionTimeMs: config.sandbox.provisionTimeMs,
    deleteTimeMs: config.sandbox.deleteTimeMs,
    // The simulator offers what the bot was configured to offer, as the account it stands for would.
    dualTunnelRegions: settingOf(config.resources, VPN_GATEWAY_SETTINGS.dualTunnelRegions),
    ...(bandwidthValues ? { bandwidthValues } : {}),
    ...SANDBOX_CREDENTIALS,
  });
  logger.warn(
    { endpoint: simulator.url },
    'sandbox mode: the built-in VPC simulator answers instead of Alibaba Cloud',
  );
  return simulator;
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

/** How the clients of one account sign in. */
type SignIn = Credentials | { credentialsProvider: CredentialsProvider };

/** How the bot signs in to an account: its keys, or the environment's own credentials. */
function signInTo(account: Account, config: Config): SignIn {
  const c = account.credentials;
  if (c.kind === 'keys') return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret };
  if (c.kind === 'role')
    throw new Error(`account ${account.name}: RAM roles are assumed by the credentials of src/cloud`);
  if (config.cloud.credentials) return { ...config.cloud.credentials };
  if (config.cloud.credentialChain) return { credentialsProvider: defaultChainProvider() };
  throw new Error('No cloud credentials: set them, use the credential chain, or VPC_SANDBOX=true');
}

/** Both clients of every account, made when first asked for; an unknown account is an error. */
function accountClients(
  config: Config,
  make: (account: Account, maxWaitMs: number) => VpcClient,
): Pick<RuntimeCloud, 'vpcIn' | 'pickListIn'> {
  const made = new Map<string, VpcClient>();
  const client = (name: string, use: 'worker' | 'pickList') => {
    const key = `${use}:${name}`;
    let found = made.get(key);
    if (!found) {
      const account = config.accounts.find((a) => a.name === name);
      if (!account) throw new Error(`no account ${name} is configured (ACCOUNTS_FILE)`);
      found = make(account, PACING_MAX_WAIT_MS[use]);
      made.set(key, found);
    }
    return found;
  };
  return { vpcIn: (name) => client(name, 'worker'), pickListIn: (name) => client(name, 'pickList') };
}

export async function startCloudClients(config: Config, deps: CloudDeps): Promise<RuntimeCloud> {
  const given = deps.vpc;
  if (given) return { vpcIn: () => given, pickListIn: () => given };
  const { redis, metrics, logger } = deps;
  const simulator = config.cloud.mode === 'sandbox' ? await startSandboxCloud(config, logger) : undefined;
  const endpoint = simulator?.url ?? config.cloud.endpoint;
  // One limiter per account: Alibaba counts calls per region, action and main account.
  const limiters = new Map<string, RateLimiter>();
  const limiterOf = (account: Account) => {
    let limiter = limiters.get(account.name);
    if (!limiter) {
      const scope = account.name === DEFAULT_ACCOUNT.name ? {} : { account: account.name };
      limiter = new RateLimiter({
        redis,
        prefix: config.redis.prefix,
        limits: config.cloud.rateLimits,
        ...scope,
      });
      limiters.set(account.name, limiter);
    }
    return limiter;
  };
  const clients = accountClients(config, (account, maxWaitMs) =>
    createVpcClient({
      ...(simulator ? { ...SANDBOX_CREDENTIALS } : signInTo(account, config)),
      ...(endpoint ? { endpoint } : {}),
      timeoutMs: config.cloud.requestTimeoutMs,
      onCall: (e) => {
        metrics.cloudCalls.inc({
          account: account.name,
          action: e.action,
          code: e.ok ? 'OK' : (e.code ?? 'unknown'),
        });
        metrics.cloudCallDuration.observe({ action: e.action }, e.durationMs / 1000);
      },
      pace: limiterOf(account).pacer({ maxWaitMs, onPace: reportPacing(metrics, logger, account.name) }),
    }),
  );
  return { ...clients, ...(simulator ? { simulator } : {}) };
}
