/**
 * The composition root: builds the bot from a configuration, in the roles it was asked for
 * (`bot`: the Slack surface; `worker`: provisioning, notifications and housekeeping; `all`).
 * Everything that talks to the outside (the VPC client, Slack's Web API URL, the clock) can be
 * injected, which is how the end-to-end tests run the real thing against fakes on loopback.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Worker } from 'bullmq';
import { defaultChainProvider } from '../cloud/credentials.js';
import { createVpcClient, type VpcClient } from '../cloud/index.js';
import type { Config } from '../config/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { checkRedisReachable, connectRedis, describeRedis } from '../redis/index.js';
import { type RouteHandler, type RunningHttpServer, startHttpServer } from '../server/http.js';
import { type RunningSimulator, startSimulator } from '../simulator/index.js';
import { createSlackSurface, type SlackSurface } from '../slack/app.js';
import { SlackNotifier } from '../slack/notifier.js';
import { createOptionsLoader } from '../slack/options.js';
import { renderUndeliverable } from '../slack/render.js';
import { createMaintenance, maintenanceQueue, scheduleReconciler } from '../workflow/maintenance.js';
import { NotificationOutbox, notificationQueue, startNotificationWorker } from '../workflow/notifications.js';
import { createPreflight } from '../workflow/preflight.js';
import { provisionQueue, startProvisioner } from '../workflow/provisioner.js';
import { Workflow } from '../workflow/service.js';
import { RequestStore } from '../workflow/store.js';
import { FINAL_STATES } from '../workflow/types.js';
import { VpcGatewayCloud } from '../workflow/vpc-gateway-cloud.js';

export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' } as const;

export interface RuntimeOverrides {
  logger?: Logger;
  /** Use this VPC client instead of building one from the configuration. */
  vpc?: VpcClient;
  /** Web API client options (tests: a short retry policy). */
  slackClientOptions?: WebClientOptions;
  /** How often the reconciler runs. */
  reconcileEveryMs?: number;
  /** BullMQ lock duration of the provisioning worker: how soon a dead worker's job is retried. */
  lockDurationMs?: number;
  /** Routes served beside the bot's own (the playground). */
  extraRoutes?: RouteHandler;
  host?: string;
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
  close(): Promise<void>;
}

export async function startRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const logger = overrides.logger ?? createLogger({ level: config.log.level, format: config.log.format });
  const metrics = createMetrics();
  const closers: (() => Promise<unknown>)[] = [];
  const runsBot = config.role !== 'worker';
  const runsWorker = config.role !== 'bot';
  // Sentinels and cluster nodes are checked before anything connects (throws, listing each problem).
  const reachability = await checkRedisReachable(config.redis);
  if (reachability.unreachable.length > 0)
    logger.warn({ unreachable: reachability.unreachable }, 'some Redis cluster nodes do not answer');

  let simulator: RunningSimulator | undefined;
  let vpc = overrides.vpc;
  if (!vpc) {
    let endpoint = config.cloud.endpoint;
    let credentials = config.cloud.credentials;
    if (config.cloud.mode === 'sandbox') {
      simulator = await startSimulator({
        port: 0,
        provisionTimeMs: config.sandbox.provisionTimeMs,
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
    vpc = createVpcClient({
      ...source,
      ...(endpoint ? { endpoint } : {}),
      timeoutMs: config.cloud.requestTimeoutMs,
      onCall: (e) => {
        metrics.cloudCalls.inc({ action: e.action, code: e.ok ? 'OK' : (e.code ?? 'unknown') });
        metrics.cloudCallDuration.observe({ action: e.action }, e.durationMs / 1000);
      },
    });
  }

  const redis = connectRedis(config.redis);
  redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  const prefix = config.redis.prefix;
  const store = new RequestStore({
    redis,
    prefix,
    replicaAcks: { replicas: config.redis.replicaAcks, timeoutMs: config.redis.replicaAckTimeoutMs },
    onCommit: (request, previous) => {
      if (!previous) metrics.requests.inc({ kind: request.kind, outcome: 'submitted' });
      if (!previous || previous.state === request.state) return;
      if (FINAL_STATES.has(request.state))
        metrics.requests.inc({ kind: request.kind, outcome: request.state });
      if (request.state === 'approved')
        metrics.approvalLatency.observe((Date.now() - request.createdAt) / 1000);
      if (request.state === 'succeeded' && request.approvedAt) {
        metrics.timeToActive.observe({ kind: request.kind }, (Date.now() - request.approvedAt) / 1000);
      }
    },
  });
  const provisions = provisionQueue(redis, prefix);
  const notifications = notificationQueue(redis, prefix);
  const maintenance = maintenanceQueue(redis, prefix);
  for (const q of [provisions, notifications, maintenance]) {
    metrics.addQueue({ name: q.name, counts: () => q.getJobCounts() });
    q.on('error', (err) =>
      logger.warn({ err: { message: err.message }, queue: q.name }, 'queue connection error'),
    );
  }
  const outbox = new NotificationOutbox(notifications);
  const sandbox = config.cloud.mode === 'sandbox';
  const renderContext = () => ({ sandbox, requiredApprovals: config.approval.requiredApprovals });

  const slackClientOptions: WebClientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    ...overrides.slackClientOptions,
  };
  const botToken = config.slack.botToken;
  if (!botToken) throw new Error('The Slack surface needs SLACK_BOT_TOKEN (the playground supplies one)');
  const web = new WebClient(botToken, slackClientOptions);
  const groupMembers = async (usergroup: string) =>
    ((await web.usergroups.users.list({ usergroup })).users ?? []) as string[];

  const workflow = new Workflow({
    store,
    outbox,
    provisionQueue: provisions,
    maintenanceQueue: maintenance,
    policy: config.approval,
    approvalTtlMs: config.approval.ttlMs,
    gatewayOptions: config.gateways,
    groupMembers,
  });

  const workers: Worker[] = [];
  if (runsWorker) {
    const onError = (err: unknown) => logger.error({ err }, 'job failed');
    workers.push(
      startProvisioner({
        connection: redis,
        prefix,
        store,
        cloud: new VpcGatewayCloud(vpc),
        outbox,
        polling: config.polling,
        lockDurationMs: overrides.lockDurationMs ?? config.workerLockMs,
        stalledIntervalMs: overrides.lockDurationMs ?? config.workerLockMs,
        logger: logger.child({ component: 'worker' }),
        onError,
      }),
    );
    // Slack errors are retried by the queue, which honours Retry-After: the client must not retry too.
    const notifyClient = new WebClient(botToken, {
      ...slackClientOptions,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    workers.push(
      startNotificationWorker({
        connection: redis,
        prefix,
        store,
        lockDurationMs: overrides.lockDurationMs ?? config.workerLockMs,
        notifier: new SlackNotifier({
          client: notifyClient,
          context: renderContext,
          onChannelUnusable: async (request, slackError) => {
            const withdrawn = await store.update(request.id, 'system:notifier', 'withdrawn', (current) =>
              current.state === 'pending_approval'
                ? {
                    kind: 'apply',
                    details: { reason: slackError },
                    next: {
                      ...current,
                      state: 'cancelled',
                      cancelledBy: { userId: 'system:notifier', at: Date.now() },
                      finishedAt: Date.now(),
                    },
                  }
                : { kind: 'skip' },
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
        }),
        onError: (err, job) => {
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
      }),
    );
    const housekeeping = createMaintenance({
      connection: redis,
      prefix,
      store,
      lockDurationMs: overrides.lockDurationMs ?? config.workerLockMs,
      outbox,
      provisionQueue: provisions,
      maintenanceQueue: maintenance,
      preflight: createPreflight(vpc),
      onError,
      onReconciled: (r) => {
        if (r.requeued.length || r.expired.length || r.preflightsRequeued.length)
          logger.info(r, 'reconciled');
      },
    });
    workers.push(housekeeping.start());
    await scheduleReconciler(maintenance, overrides.reconcileEveryMs ?? 60_000);
  }

  for (const worker of workers) {
    worker.on('completed', (job) => {
      if (job.processedOn && job.finishedOn) {
        metrics.jobDuration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
      }
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
      options: createOptionsLoader(vpc),
      modal: { sandbox, gateways: config.gateways },
      renderContext,
      logger,
      ...(overrides.slackClientOptions ? { clientOptions: overrides.slackClientOptions } : {}),
    });
  }

  const http = await startHttpServer({
    port: config.port,
    ...(overrides.host ? { host: overrides.host } : {}),
    ...(slack?.requestListener ? { slackListener: slack.requestListener } : {}),
    registry: metrics.registry,
    ...(overrides.extraRoutes ? { extraRoutes: overrides.extraRoutes } : {}),
    onSlackAnswered: (s) => metrics.ackLatency.observe({ type: 'http' }, s),
    readiness: [
      { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
      ...(runsBot ? [{ name: 'slack', check: async () => slackAuthenticated }] : []),
      ...(runsWorker ? [{ name: 'worker', check: async () => workers.every((w) => w.isRunning()) }] : []),
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
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking work first, let running steps finish (close waits for them), then disconnect.
      await slack?.stop();
      await http.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([provisions.close(), notifications.close(), maintenance.close()]);
      for (const close of closers.reverse()) await close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
