/**
 * The composition root: builds the bot from a configuration, in the roles it was asked for
 * (`bot`: the Slack surface; `worker`: provisioning, notifications and housekeeping; `all`).
 * Everything that talks to the outside (the VPC client, Slack's Web API URL, the clock) can be
 * injected, which is how the end-to-end tests run the real thing against fakes on loopback.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { defaultChainProvider } from '../cloud/credentials.js';
import {
  createVpcClient,
  PACING_MAX_WAIT_MS,
  type PaceEvent,
  RateLimiter,
  type VpcClient,
} from '../cloud/index.js';
import { type Config, parseSecretsKey } from '../config/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { loadPolicyFile, type Policy, PolicyInForce } from '../policy/index.js';
import { checkRedisReachable, connectRedis, describeRedis } from '../redis/index.js';
import { settingOf, VPN_GATEWAY_SETTINGS } from '../resources/index.js';
import { type RouteHandler, type RunningHttpServer, startHttpServer } from '../server/http.js';
import { createSlackSurface, type SlackSurface } from '../slack/app.js';
import { gateSlackRequests, logRefusals } from '../slack/gate.js';
import { slackGroupMembers } from '../slack/group-members.js';
import { SlackNotifier } from '../slack/notifier.js';
import { createOptionsLoader } from '../slack/options.js';
import { renderUndeliverable } from '../slack/render.js';
import { generateSecretsKey, SecretBox } from '../workflow/secrets.js';
import type { Workflow } from '../workflow/service.js';
import type { RequestStore } from '../workflow/store.js';
import { createWorkflowSystem } from '../workflow/system.js';
import { withdrawRequest } from '../workflow/transitions.js';
import { FINAL_STATES } from '../workflow/types.js';
import { watchRedisConnection } from './redis-connection.js';
import { type RunningSimulator, startSimulator } from './sandbox.js';

export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' } as const;

export interface RuntimeOverrides {
  logger?: Logger;
  /** Use this VPC client instead of building one from the configuration. */
  vpc?: VpcClient;
  /** Web API client options (tests: a short retry policy). */
  slackClientOptions?: WebClientOptions;
  /** How often the reconciler runs. */
  reconcileEveryMs?: number;
  /** How often to check that the reconciler is still scheduled (it is also re-made on each reconnect). */
  scheduleCheckEveryMs?: number;
  /** BullMQ lock duration of the provisioning worker: how soon a dead worker's job is retried. */
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

export async function startRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  // Before anything starts: an invalid policy file stops the bot with every problem listed.
  const policyFile = overrides.policyFile ?? config.approval.policyFile;
  const policy = new PolicyInForce(
    overrides.policy ?? (policyFile ? await loadPolicyFile(policyFile) : undefined),
    policyFile,
  );
  const logger = overrides.logger ?? createLogger({ level: config.log.level, format: config.log.format });
  const metrics = createMetrics();
  const closers: (() => Promise<unknown>)[] = [];
  const runsBot = config.role !== 'worker';
  const runsWorker = config.role !== 'bot';
  // Sentinels and cluster nodes are checked before anything connects (throws, listing each problem).
  const reachability = await checkRedisReachable(config.redis);
  if (reachability.unreachable.length > 0)
    logger.warn({ unreachable: reachability.unreachable }, 'some Redis cluster nodes do not answer');

  const redis = connectRedis(config.redis);
  // An outage is logged once when it starts and once when it ends, not by every queue and job.
  const connection = watchRedisConnection(redis, config.redis.url, logger, {
    lockDurationMs: overrides.lockDurationMs ?? config.workerLockMs,
  });
  const prefix = config.redis.prefix;

  let simulator: RunningSimulator | undefined;
  let vpc = overrides.vpc;
  // The Slack pick-lists wait less for a paced call than a worker step does (rate-limiter.ts).
  let pickListVpc = overrides.vpc;
  if (!vpc || !pickListVpc) {
    let endpoint = config.cloud.endpoint;
    let credentials = config.cloud.credentials;
    if (config.cloud.mode === 'sandbox') {
      const bandwidthValues = settingOf(config.resources, VPN_GATEWAY_SETTINGS.bandwidths);
      simulator = await startSimulator({
        port: 0,
        provisionTimeMs: config.sandbox.provisionTimeMs,
        deleteTimeMs: config.sandbox.deleteTimeMs,
        // The simulator offers what the bot was configured to offer, as the account it stands for would.
        dualTunnelRegions: settingOf(config.resources, VPN_GATEWAY_SETTINGS.dualTunnelRegions),
        ...(bandwidthValues ? { bandwidthValues } : {}),
        ...SANDBOX_CREDENTIALS,
      });
      closers.push(() => simulator?.close() ?? Promise.resolve());
      endpoint = simulator.url;
      credentials = { ...SANDBOX_CREDENTIALS };
      logger.warn({ endpoint }, 'sandbox mode: the built-in VPC simulator answers instead of Alibaba Cloud');
    }
    const source =
      credentials ??
      (config.cloud.credentialChain ? { credentialsProvider: defaultChainProvider() } : undefined);
    if (!source)
      throw new Error('No cloud credentials: set them, use the credential chain, or VPC_SANDBOX=true');
    const limiter = new RateLimiter({ redis, prefix, limits: config.cloud.rateLimits });
    const onPace = (e: PaceEvent) => {
      metrics.cloudPacing.inc({ action: e.action, outcome: e.outcome });
      if (e.outcome === 'waited') metrics.cloudPacingWait.observe({ action: e.action }, e.waitMs / 1000);
      if (e.outcome === 'unpaced')
        logger.warn(
          { action: e.action, regionId: e.regionId, reason: e.reason },
          'cloud call not paced: the rate limiter could not reach Redis',
        );
    };
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
    vpc = client(PACING_MAX_WAIT_MS.worker);
    pickListVpc = client(PACING_MAX_WAIT_MS.pickList);
  }
  const sandbox = config.cloud.mode === 'sandbox';
  // What is posted in a channel is read by several people: it speaks LOCALE.
  const renderContext = () => ({
    sandbox,
    requiredApprovals: config.approval.requiredApprovals,
    locale: config.locale,
  });

  const slackClientOptions: WebClientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    ...overrides.slackClientOptions,
  };
  const botToken = config.slack.botToken;
  if (!botToken) throw new Error('The Slack surface needs SLACK_BOT_TOKEN (the playground supplies one)');
  const web = new WebClient(botToken, slackClientOptions);
  const groupMembers = slackGroupMembers(web);

  const secretsKey = config.secretsKey ? parseSecretsKey(config.secretsKey) : undefined;
  // The playground runs every role in one process, so a key of its own seals and opens alike.
  const secrets = secretsKey
    ? new SecretBox(secretsKey)
    : config.slack.mode === 'playground'
      ? new SecretBox(generateSecretsKey())
      : undefined;

  const system = createWorkflowSystem({
    redis,
    prefix: config.redis.prefix,
    vpc,
    policy: config.approval,
    policyInForce: () => policy.current,
    approvalTtlMs: config.approval.ttlMs,
    ...(config.approval.reminderMs ? { reminderEveryMs: config.approval.reminderMs } : {}),
    polling: config.polling,
    resourceOptions: config.resources,
    replicaAcks: { replicas: config.redis.replicaAcks, timeoutMs: config.redis.replicaAckTimeoutMs },
    ...(secrets ? { secrets } : {}),
    groupMembers,
    onCommit: (request, previous) => {
      const labels = { resource: request.resource, operation: request.operation };
      if (!previous) metrics.requests.inc({ ...labels, outcome: 'submitted' });
      if (!previous || previous.state === request.state) return;
      if (FINAL_STATES.has(request.state)) metrics.requests.inc({ ...labels, outcome: request.state });
      if (request.state === 'approved')
        metrics.approvalLatency.observe((Date.now() - request.createdAt) / 1000);
      if (request.state === 'succeeded' && request.approvedAt) {
        metrics.timeToReady.observe(labels, (Date.now() - request.approvedAt) / 1000);
      }
    },
    onReconciled: (r) => {
      if (r.requeued.length || r.expired.length) logger.info(r, 'reconciled');
    },
  });
  const { store, workflow } = system;
  for (const q of Object.values(system.queues)) {
    metrics.addQueue({ name: q.name, counts: () => q.getJobCounts() });
    q.on('error', (err) => {
      if (!connection.absorb(err))
        logger.warn({ err: { message: err.message }, queue: q.name }, 'queue error');
    });
  }

  if (runsWorker) {
    // Slack errors are retried by the queue, which honours Retry-After: the client must not retry too.
    const notifyClient = new WebClient(botToken, {
      ...slackClientOptions,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const notifier = new SlackNotifier({
      client: notifyClient,
      context: renderContext,
      onChannelUnusable: async (request, slackError) => {
        const withdrawn = await store.update(request.id, 'system:notifier', 'withdrawn', (current) =>
          withdrawRequest(current, slackError, Date.now()),
        );
        logger.warn(
          { requestId: request.id, channel: request.channelId, slackError },
          'request message could not be posted; request withdrawn',
        );
        if (!withdrawn.ok) return;
        const message = renderUndeliverable(request, slackError);
        await notifyClient.chat
          .postMessage({ channel: request.requester.userId, text: message.text, blocks: message.blocks })
          .catch((err: unknown) =>
            logger.warn(
              { requestId: request.id, err: { message: (err as Error).message } },
              'could not tell the requester either',
            ),
          );
      },
    });
    await system.startWorkers({
      notifier,
      lockDurationMs: overrides.lockDurationMs ?? config.workerLockMs,
      ...(overrides.reconcileEveryMs ? { reconcileEveryMs: overrides.reconcileEveryMs } : {}),
      ...(overrides.scheduleCheckEveryMs ? { scheduleCheckEveryMs: overrides.scheduleCheckEveryMs } : {}),
      onScheduleRestored: (cause) =>
        logger.warn({ cause }, 'the reconciler schedule was gone from Redis; made it again'),
      logger: logger.child({ component: 'worker' }),
      onWorker: (worker) =>
        worker.on('completed', (job) => {
          if (job.processedOn && job.finishedOn)
            metrics.jobDuration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
        }),
      // Without a job, the error is the worker's own (its connection, most often), not a job's.
      onJobError: (err, job) => {
        if (!job && connection.absorb(err)) return;
        logger.error({ err, ...(job ? { jobId: job.id } : {}) }, job ? 'job failed' : 'worker error');
      },
      onNotificationError: (err, job) => {
        if (!job && connection.absorb(err)) return;
        metrics.slackRetries.inc();
        const e = err as { code?: string; data?: { error?: string }; name?: string };
        metrics.slackErrors.inc({
          method: job?.data.event ?? 'unknown',
          error: e.data?.error ?? e.code ?? e.name ?? 'error',
        });
        logger.warn(
          { err, requestId: job?.data.requestId, event: job?.data.event },
          'notification will be retried',
        );
      },
    });
  }

  let slack: SlackSurface | undefined;
  let slackAuthenticated = false;
  if (runsBot) {
    slack = createSlackSurface({
      botToken,
      ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
      ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      slashCommand: config.slashCommand,
      defaultLocale: config.locale,
      workflow,
      options: createOptionsLoader(pickListVpc, { resourceOptions: config.resources }),
      modal: { sandbox, resources: { ...config.resources, secretsAvailable: secrets !== undefined } },
      renderContext,
      logger,
      ...(overrides.slackClientOptions ? { clientOptions: overrides.slackClientOptions } : {}),
    });
  }

  const http = await startHttpServer({
    port: config.port,
    ...(overrides.host ? { host: overrides.host } : {}),
    ...(slack?.requestListener && config.slack.signingSecret
      ? {
          slackEvents: gateSlackRequests(slack.requestListener, {
            signingSecret: config.slack.signingSecret,
            onRefused: logRefusals(logger.child({ component: 'slack-gate' })),
          }),
        }
      : {}),
    registry: metrics.registry,
    ...(overrides.extraRoutes ? { extraRoutes: overrides.extraRoutes } : {}),
    onSlackAnswered: (s) => metrics.ackLatency.observe({ type: 'http' }, s),
    readiness: [
      { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
      ...(runsBot ? [{ name: 'slack', check: async () => slackAuthenticated }] : []),
      ...(runsWorker
        ? [{ name: 'worker', check: async () => system.currentWorkers().every((w) => w.isRunning()) }]
        : []),
    ],
  });

  if (slack) {
    const surface = slack;
    // auth.test proves the token; readiness waits for it, start-up does not.
    web.auth
      .test()
      .then(() => {
        slackAuthenticated = true;
      })
      .catch((err: unknown) =>
        logger.error({ err: { message: (err as Error).message } }, 'Slack refused the bot token'),
      );
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
    workflow,
    store,
    ...(simulator ? { simulator } : {}),
    ...(slack ? { slack } : {}),
    policy,
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking work first, let running steps finish (close waits for them), then disconnect.
      connection.stop();
      await slack?.stop();
      await http.close();
      await system.close();
      for (const close of closers.reverse()) await close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
