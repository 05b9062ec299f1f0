/**
 * The composition root: builds the bot from a configuration, in the roles it was asked for
 * (`bot`: the Slack surface; `worker`: provisioning, notifications and housekeeping; `all`).
 * Everything that talks to the outside (the VPC client, Slack's Web API URL, the clock) can be
 * injected, which is how the end-to-end tests run the real thing against fakes on loopback.
 */
import type { WebClientOptions } from '@slack/web-api';
import type { VpcClient } from '../cloud/index.js';
import { type Config, parseSecretsKey } from '../config/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { loadPolicyFile, type Policy, PolicyInForce } from '../policy/index.js';
import { checkRedisReachable, connectRedis, describeRedis, type RedisClient } from '../redis/index.js';
import type { RouteHandler, RunningHttpServer } from '../server/http.js';
import type { SlackSurface } from '../slack/app.js';
import { type GroupChanges, shareGroupChanges } from '../slack/group-changes.js';
import { type KeptGroupMembers, slackGroupMembers } from '../slack/group-members.js';
import { generateSecretsKey, SecretBox } from '../workflow/secrets.js';
import type { Workflow } from '../workflow/service.js';
import type { RequestStore } from '../workflow/store.js';
import { createWorkflowSystem, type WorkflowSystem } from '../workflow/system.js';
import { startCloudClients } from './cloud.js';
import { readinessChecks, serveRuntimeHttp } from './http.js';
import { countRequests, watchQueues } from './observe.js';
import { watchRedisConnection } from './redis-connection.js';
import type { RunningSimulator } from './sandbox.js';
import { slackClient, slackNotifier, slackSurface, slackTokenCheck } from './slack.js';
import { startWorkerRole } from './worker.js';

export interface RuntimeOverrides {
  logger?: Logger;
  /** Use this VPC client instead of building one from the configuration. */
  vpc?: VpcClient;
  /**
   * Certificate authorities (PEM) to trust for STS besides Node's own: a test's STS. In production
   * a private endpoint's authority is given to the process with NODE_EXTRA_CA_CERTS.
   */
  stsCa?: string;
  /** Web API client options (tests: a short retry policy). */
  slackClientOptions?: WebClientOptions;
  /** How often the reconciler runs. */
  reconcileEveryMs?: number;
  /** How often to check that the reconciler is still scheduled (it is also re-made on each reconnect). */
  scheduleCheckEveryMs?: number;
  /** WORKER_LOCK_DURATION of every queue worker: how soon a dead worker's job is taken over (worker-locks.ts). */
  lockDurationMs?: number;
  /** Routes served beside the bot's own (the playground). */
  extraRoutes?: RouteHandler;
  host?: string;
  /** The compiled POLICY_FILE, when the caller has loaded it already (npm start does, before Redis). */
  policy?: Policy;
  /** Where `policy` was read from, when the caller chose the file (the playground's example policy). */
  policyFile?: string;
}

export interface Runtime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  http: RunningHttpServer;
  workflow: Workflow;
  store: RequestStore;
  simulator?: RunningSimulator;
  slack?: SlackSurface;
  /** The approval policy in force: the file read at start, replaced by `policy.reload()` (SIGHUP). */
  policy: PolicyInForce;
  close(): Promise<void>;
}

/** The approval policy in force: the one given, or POLICY_FILE read now (an invalid one stops the start). */
async function policyAtStart(config: Config, overrides: RuntimeOverrides): Promise<PolicyInForce> {
  const policyFile = overrides.policyFile ?? config.approval.policyFile;
  return new PolicyInForce(
    overrides.policy ?? (policyFile ? await loadPolicyFile(policyFile) : undefined),
    policyFile,
  );
}

/** Redis, once sentinels and cluster nodes have been checked (throws, listing each problem). */
async function connectRuntimeRedis(config: Config, logger: Logger): Promise<RedisClient> {
  const reachability = await checkRedisReachable(config.redis);
  if (reachability.unreachable.length > 0)
    logger.warn({ unreachable: reachability.unreachable }, 'some Redis cluster nodes do not answer');
  return connectRedis(config.redis);
}

/** What seals secret parameters: SECRETS_KEY, or in the playground a key of its own. */
function secretBoxFor(config: Config): SecretBox | undefined {
  const key = config.secretsKey ? parseSecretsKey(config.secretsKey) : undefined;
  if (key) return new SecretBox(key);
  // The playground runs every role in one process, so a key of its own seals and opens alike.
  return config.slack.mode === 'playground' ? new SecretBox(generateSecretsKey()) : undefined;
}

/** The workflow (store, queues, preflight, watcher) as the configuration asks for it. */
function workflowSystemFor(
  config: Config,
  d: {
    redis: RedisClient;
    vpcIn: (account: string) => VpcClient;
    signIn: (account: string) => Promise<void>;
    policy: PolicyInForce;
    groupMembers: KeptGroupMembers;
    metrics: Metrics;
    logger: Logger;
    secrets?: SecretBox;
  },
): WorkflowSystem {
  return createWorkflowSystem({
    redis: d.redis,
    prefix: config.redis.prefix,
    vpcIn: d.vpcIn,
    signIn: d.signIn,
    accounts: config.accounts,
    policy: config.approval,
    policyInForce: () => d.policy.current,
    approvalTtlMs: config.approval.ttlMs,
    ...(config.approval.reminderMs ? { reminderEveryMs: config.approval.reminderMs } : {}),
    polling: config.polling,
    resourceOptions: config.resources,
    replicaAcks: { replicas: config.redis.replicaAcks, timeoutMs: config.redis.replicaAckTimeoutMs },
    ...(d.secrets ? { secrets: d.secrets } : {}),
    groupMembers: d.groupMembers,
    onCommit: countRequests(d.metrics),
    onReconciled: (r) => {
      if (r.requeued.length || r.expired.length) d.logger.info(r, 'reconciled');
    },
  });
}

export async function startRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  // Before anything starts: an invalid policy file stops the bot with every problem listed.
  const policy = await policyAtStart(config, overrides);
  const logger = overrides.logger ?? createLogger({ level: config.log.level, format: config.log.format });
  const metrics = createMetrics();
  const runsBot = config.role !== 'worker';
  const runsWorker = config.role !== 'bot';
  const lockDurationMs = overrides.lockDurationMs ?? config.workerLockMs;
  const redis = await connectRuntimeRedis(config, logger);
  // An outage is logged once when it starts and once when it ends, not by every queue and job.
  const connection = watchRedisConnection(redis, config.redis.url, logger, { lockDurationMs });
  const cloud = await startCloudClients(config, {
    redis,
    metrics,
    logger,
    ...(overrides.vpc ? { vpc: overrides.vpc } : {}),
    ...(overrides.stsCa ? { stsCa: overrides.stsCa } : {}),
  });
  // What is posted in a channel is read by several people: it speaks LOCALE.
  const renderContext = () => ({
    sandbox: config.cloud.mode === 'sandbox',
    requiredApprovals: config.approval.requiredApprovals,
    locale: config.locale,
    accounts: config.accounts,
  });
  const slack = slackClient(config, overrides.slackClientOptions);
  const secrets = secretBoxFor(config);
  const groupMembers = slackGroupMembers(slack.web, { ttlMs: config.approval.usergroupRefreshMs });
  // Where clicks are judged, a user group's change reaches every process (group-changes.ts).
  const groupChanges: GroupChanges | undefined = runsBot
    ? await shareGroupChanges({ redis, prefix: config.redis.prefix, members: groupMembers, logger })
    : undefined;
  const system = workflowSystemFor(config, {
    redis,
    vpcIn: cloud.vpcIn,
    signIn: cloud.signIn,
    policy,
    groupMembers,
    metrics,
    logger,
    ...(secrets ? { secrets } : {}),
  });
  watchQueues(system, metrics, connection, logger);

  if (runsWorker)
    await startWorkerRole(system, {
      notifier: slackNotifier(slack, system.store, renderContext, logger),
      metrics,
      logger,
      connection,
      lockDurationMs,
      ...(overrides.reconcileEveryMs ? { reconcileEveryMs: overrides.reconcileEveryMs } : {}),
      ...(overrides.scheduleCheckEveryMs ? { scheduleCheckEveryMs: overrides.scheduleCheckEveryMs } : {}),
    });
  const surface = runsBot
    ? slackSurface(config, {
        slack,
        workflow: system.workflow,
        pickListIn: cloud.pickListIn,
        renderContext,
        secretsAvailable: secrets !== undefined,
        logger,
        ...(overrides.slackClientOptions ? { clientOptions: overrides.slackClientOptions } : {}),
        ...(groupChanges ? { onUsergroupChanged: groupChanges.changed } : {}),
      })
    : undefined;
  const slackToken = surface ? slackTokenCheck(slack.web, logger) : undefined;
  const http = await serveRuntimeHttp(config, {
    metrics,
    logger,
    readiness: readinessChecks(redis, {
      ...(slackToken ? { slackToken } : {}),
      ...(runsWorker ? { workers: system } : {}),
    }),
    ...(surface ? { slack: surface } : {}),
    ...(overrides.host ? { host: overrides.host } : {}),
    ...(overrides.extraRoutes ? { extraRoutes: overrides.extraRoutes } : {}),
  });
  if (surface) {
    slackToken?.prove();
    await surface.start();
  }
  logger.info(
    {
      port: http.port,
      role: config.role,
      slack: config.slack.mode,
      cloud: config.cloud.mode,
      redis: describeRedis(config.redis),
    },
    'gateway bot started',
  );

  let closed = false;
  return {
    config,
    logger,
    metrics,
    http,
    workflow: system.workflow,
    store: system.store,
    ...(cloud.simulator ? { simulator: cloud.simulator } : {}),
    ...(surface ? { slack: surface } : {}),
    policy,
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking work first, let running steps finish (close waits for them), then disconnect.
      connection.stop();
      await surface?.stop();
      await groupChanges?.close();
      await http.close();
      await system.close();
      await cloud.simulator?.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
