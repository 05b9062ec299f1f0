/**
 * The runtime's cloud clients: one for worker steps and one for Slack's pick-lists, which wait
 * less for a paced call (rate-limiter.ts). Both are paced through Redis and counted in the
 * metrics. In sandbox mode the built-in VPC simulator answers instead of Alibaba Cloud.
 */
import { defaultChainProvider } from '../cloud/credentials.js';
import {
  createVpcClient,
  PACING_MAX_WAIT_MS,
  type PaceEvent,
  RateLimiter,
  type VpcClient,
} from '../cloud/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisClient } from '../redis/index.js';
import { settingOf, VPN_GATEWAY_SETTINGS } from '../resources/index.js';
import { type RunningSimulator, startSimulator } from './sandbox.js';

export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' } as const;

export interface RuntimeCloud {
  /** What worker steps call (create, sweep, preflight). */
  vpc: VpcClient;
  /** What Slack's pick-lists call. */
  pickListVpc: VpcClient;
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
function reportPacing(metrics: Metrics, logger: Logger) {
  return (e: PaceEvent) => {
    metrics.cloudPacing.inc({ action: e.action, outcome: e.outcome });
    if (e.outcome === 'waited') metrics.cloudPacingWait.observe({ action: e.action }, e.waitMs / 1000);
    if (e.outcome === 'unpaced')
      logger.warn(
        { action: e.action, regionId: e.regionId, reason: e.reason },
        'cloud call not paced: the rate limiter could not reach Redis',
      );
  };
}

export async function startCloudClients(config: Config, deps: CloudDeps): Promise<RuntimeCloud> {
  if (deps.vpc) return { vpc: deps.vpc, pickListVpc: deps.vpc };
  const { redis, metrics, logger } = deps;
  const simulator = config.cloud.mode === 'sandbox' ? await startSandboxCloud(config, logger) : undefined;
  const endpoint = simulator?.url ?? config.cloud.endpoint;
  const credentials = simulator ? { ...SANDBOX_CREDENTIALS } : config.cloud.credentials;
  const source =
    credentials ??
    (config.cloud.credentialChain ? { credentialsProvider: defaultChainProvider() } : undefined);
  if (!source)
    throw new Error('No cloud credentials: set them, use the credential chain, or VPC_SANDBOX=true');
  const limiter = new RateLimiter({ redis, prefix: config.redis.prefix, limits: config.cloud.rateLimits });
  const onPace = reportPacing(metrics, logger);
  const client = (maxWaitMs: number) =>
    createVpcClient({
      ...source,
      ...(endpoint ? { endpoint } : {}),
      timeoutMs: config.cloud.requestTimeoutMs,
      onCall: (e) => {
        metrics.cloudCalls.inc({ action: e.action, code: e.ok ? 'OK' : (e.code ?? 'unknown') });
        metrics.cloudCallDuration.observe({ action: e.action }, e.durationMs / 1000);
      },
      pace: limiter.pacer({ maxWaitMs, onPace }),
    });
  return {
    vpc: client(PACING_MAX_WAIT_MS.worker),
    pickListVpc: client(PACING_MAX_WAIT_MS.pickList),
    ...(simulator ? { simulator } : {}),
  };
}
