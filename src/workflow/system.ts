/**
 * The workflow system, wired in one place: the request store, the queues, the outbox, the
 * preflight, the watcher and the front door (`Workflow`), and — in worker processes — the workers
 * that drive requests on. The runtime, the operator tools, the tests and the benchmark all build
 * it here, so none of them can wire it differently.
 */
import type { Job, Queue, Worker } from 'bullmq';
import type { VpcClient } from '../cloud/index.js';
import type { Account } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Policy } from '../policy/index.js';
import type { RedisClient } from '../redis/index.js';
import type { ResourceOptions } from '../resources/index.js';
import type { ApprovalPolicy, GroupMembers } from './approval-policy.js';
import { createHealth, type Health, type HealthJob } from './health.js';
import {
  createMaintenance,
  keepReconcilerScheduled,
  type MaintenanceJob,
  maintenanceQueue,
  type ReconcileReport,
  scheduleReconciler,
} from './maintenance.js';
import {
  type Notification,
  NotificationOutbox,
  type Notifier,
  notificationQueue,
  startNotificationWorker,
} from './notifications.js';
import { createPreflight, type RunPreflight } from './preflight.js';
import { type ProvisionJob, provisionQueue, startProvisioner } from './provisioner.js';
import { type ResourceCloud, vpcResourceCloud } from './resource-cloud.js';
import type { SecretBox } from './secrets.js';
import { Workflow } from './service.js';
import { RequestStore, type RequestStoreOptions } from './store.js';
import { createWatcher, type PollingOptions, type SweepJob, type Watcher } from './watcher.js';
import { type WatchedWorker, watchWorker } from './worker-watchdog.js';

export interface WorkflowSystemOptions {
  redis: RedisClient;
  /** Key prefix with a hash tag (`{gw}`), or a unique one per test file. */
  prefix: string;
  /**
   * The VPC client of each account the bot works in.
   * @defaultValue `vpc` for every account
   */
  vpcIn?: (account: string) => VpcClient;
  /** One VPC client for every account. Absent in the operator tools, which never call the cloud: a cloud call there fails, saying so. */
  vpc?: VpcClient;
  /** The worker's cloud port, for every account; tests replace it (a worker that dies right after a create). */
  cloud?: ResourceCloud;
  /**
   * The accounts, each with the channels that may use it (ACCOUNTS_FILE).
   * @defaultValue one account, `default`, for every channel
   */
  accounts?: readonly Account[];
  /** Signs in to an account before anything is asked of it there (see Workflow). */
  signIn?: (account: string) => Promise<void>;
  /** The base rule (APPROVERS …). */
  policy: ApprovalPolicy;
  /** The approval policy file's rules in force now (PolicyInForce), asked at each submission and click. */
  policyInForce?: () => Policy | undefined;
  approvalTtlMs: number;
  /** APPROVAL_REMINDER in ms; unset: no reminders. */
  reminderEveryMs?: number;
  polling: PollingOptions;
  /** The resource settings in force (quotas, value lists) and whether secrets can be kept. */
  resourceOptions?: ResourceOptions;
  secrets?: SecretBox;
  groupMembers?: GroupMembers;
  submitCheckBudgetMs?: number;
  /**
   * A request written at least this long ago is announced again by the reconciler if its message was lost.
   * @defaultValue 30 000 ms
   */
  renotifyAfterMs?: number;
  onReconciled?: (report: ReconcileReport) => void;
  onCommit?: RequestStoreOptions['onCommit'];
  /** Replicas that must confirm each store commit (Sentinel, Cluster). */
  replicaAcks?: RequestStoreOptions['replicaAcks'];
  now?: () => number;
}

export interface WorkerOptions {
  notifier: Notifier;
  /** How soon the job of a worker that died is taken over (WORKER_LOCK_DURATION, worker-locks.ts). */
  lockDurationMs?: number;
  /**
   * How often the reconciler runs.
   * @defaultValue 60 000 ms
   */
  reconcileEveryMs?: number;
  /**
   * How often to check that the reconciler's schedule is still in Redis (it is also checked each
   * time the connection becomes ready again): a Redis that lost its data loses it too.
   * @defaultValue 5 minutes
   */
  scheduleCheckEveryMs?: number;
  /** Told when the reconciler's schedule had gone and was made again. */
  onScheduleRestored?: (cause: 'reconnect' | 'check') => void;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Unexpected failures of provisioning, sweep and housekeeping jobs. */
  onJobError?: (
    err: unknown,
    job?: Job<ProvisionJob> | Job<SweepJob> | Job<MaintenanceJob> | Job<HealthJob>,
  ) => void;
  /** Failed deliveries (they are retried). */
  onNotificationError?: (err: unknown, job?: Job<Notification>) => void;
  /** Told of every worker started: the first of each queue, and any replacement (see worker-watchdog.ts). */
  onWorker?: (worker: Worker) => void;
  /** How the workers are watched for having stopped taking jobs. */
  watchdog?: { checkEveryMs?: number; graceMs?: number };
}

export interface WorkflowSystem {
  store: RequestStore;
  workflow: Workflow;
  outbox: NotificationOutbox;
  preflight: RunPreflight;
  watcher: Watcher;
  /** The health sweep for every created resource's whole life (TUNNEL_HEALTH_INTERVAL). */
  health: Health;
  queues: {
    provision: Queue<ProvisionJob>;
    notify: Queue<Notification>;
    maintenance: Queue<MaintenanceJob>;
  };
  maintenance: ReturnType<typeof createMaintenance>;
  /**
   * Starts every worker (provisioning, sweeps, notifications, housekeeping), each watched and
   * replaced if it stops taking due jobs, and the reconciler's schedule. Returns the first workers.
   */
  startWorkers(options: WorkerOptions): Promise<Worker[]>;
  /** The workers taking jobs now (replacements included). */
  currentWorkers(): Worker[];
  /** Stops the workers (letting running steps finish), then the queues. */
  close(): Promise<void>;
}

const DEFAULT_RECONCILE_EVERY_MS = 60_000;

const refuse = (): never => {
  throw new Error('this process has no cloud client (operator tools never call the cloud)');
};
/** The cloud client of a process that must not call the cloud. */
const noCloud: VpcClient = { call: async () => refuse() };

/** What the health sweep takes from the system's options. */
function healthWiring(o: WorkflowSystemOptions) {
  return {
    connection: o.redis,
    prefix: o.prefix,
    intervalMs: o.polling.healthIntervalMs,
    ...(o.now ? { now: o.now } : {}),
  };
}

/** The health sweep's worker, and its schedule made from the setting and kept there; returns what stops the keeping. */
async function startHealth(
  health: Health,
  store: RequestStore,
  redis: RedisClient,
  w: WorkerOptions,
  watch: <T>(queue: Queue<T>, start: () => Worker<T>) => void,
): Promise<() => void> {
  // Made at every start, as the reconciler's: `off` takes it away, and no worker waits for it.
  await health.schedule();
  if (!health.enabled) return () => {};
  // Resources created before the live index existed join it once, without waiting for a write.
  await store.backfillLive();
  watch(health.queue, () =>
    health.start({
      ...(w.lockDurationMs ? { lockDurationMs: w.lockDurationMs } : {}),
      ...(w.onJobError ? { onError: w.onJobError } : {}),
    }),
  );
  return health.keepScheduled({
    connection: redis,
    ...(w.scheduleCheckEveryMs ? { checkEveryMs: w.scheduleCheckEveryMs } : {}),
    ...(w.onJobError ? { onError: w.onJobError } : {}),
  });
}

export function createWorkflowSystem(o: WorkflowSystemOptions): WorkflowSystem {
  const { redis, prefix } = o;
  const store = new RequestStore({
    redis,
    prefix,
    ...(o.onCommit ? { onCommit: o.onCommit } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const queues = {
    provision: provisionQueue(redis, prefix),
    notify: notificationQueue(redis, prefix),
    maintenance: maintenanceQueue(redis, prefix),
  };
  const outbox = new NotificationOutbox(queues.notify);
  const vpcIn = o.vpcIn ?? (() => o.vpc ?? noCloud);
  const clouds = new Map<string, ResourceCloud>();
  const cloudIn = (account: string): ResourceCloud => {
    if (o.cloud) return o.cloud;
    let cloud = clouds.get(account);
    if (!cloud) {
      cloud = vpcResourceCloud(vpcIn(account));
      clouds.set(account, cloud);
    }
    return cloud;
  };
  const preflight = createPreflight({
    callIn: (account) => (action, params) => vpcIn(account).call(action, params),
    madeBy: (resourceId) => store.getByResourceId(resourceId),
    ...(o.resourceOptions ? { options: o.resourceOptions } : {}),
  });
  const watcher = createWatcher({
    connection: redis,
    prefix,
    store,
    cloudIn,
    outbox,
    polling: o.polling,
    ...(o.now ? { now: o.now } : {}),
  });
  const health = createHealth({ ...healthWiring(o), store, cloudIn, outbox });
  const workflow = new Workflow({
    store,
    outbox,
    provisionQueue: queues.provision,
    maintenanceQueue: queues.maintenance,
    policy: o.policy,
    ...(o.policyInForce ? { policyInForce: o.policyInForce } : {}),
    approvalTtlMs: o.approvalTtlMs,
    ...(o.reminderEveryMs ? { reminderEveryMs: o.reminderEveryMs } : {}),
    preflight,
    ...(o.submitCheckBudgetMs !== undefined ? { submitCheckBudgetMs: o.submitCheckBudgetMs } : {}),
    ...(o.resourceOptions ? { resourceOptions: o.resourceOptions } : {}),
    ...(o.secrets ? { secrets: o.secrets } : {}),
    ...(o.groupMembers ? { groupMembers: o.groupMembers } : {}),
    ...(o.accounts ? { accounts: o.accounts } : {}),
    ...(o.signIn ? { signIn: o.signIn } : {}),
    cloudIn,
    ...(o.now ? { now: o.now } : {}),
  });
  const maintenance = createMaintenance({
    connection: redis,
    prefix,
    store,
    outbox,
    provisionQueue: queues.provision,
    maintenanceQueue: queues.maintenance,
    watcher,
    ...(o.reminderEveryMs ? { reminderEveryMs: o.reminderEveryMs } : {}),
    ...(o.renotifyAfterMs !== undefined ? { renotifyAfterMs: o.renotifyAfterMs } : {}),
    ...(o.onReconciled ? { onReconciled: o.onReconciled } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const workers: WatchedWorker<unknown>[] = [];
  let stopKeeping: (() => void) | undefined;
  let stopKeepingHealth: (() => void) | undefined;

  return {
    store,
    workflow,
    outbox,
    preflight,
    watcher,
    health,
    queues,
    maintenance,
    async startWorkers(w) {
      const lock = w.lockDurationMs;
      const watch = <T>(queue: Queue<T>, start: () => Worker<T>) => {
        const watched = watchWorker<T>({
          queue,
          start: () => {
            const worker = start();
            w.onWorker?.(worker as Worker);
            return worker;
          },
          onReplaced: (fresh, overdueMs) =>
            w.logger?.warn(
              { queue: fresh.name, overdueMs },
              'a worker took no job that was due; replaced it with a new one',
            ),
          ...w.watchdog,
        });
        workers.push(watched as unknown as WatchedWorker<unknown>);
      };
      watch(queues.provision, () =>
        startProvisioner({
          connection: redis,
          prefix,
          store,
          cloudIn,
          outbox,
          watcher,
          preflight,
          ...(o.secrets ? { secrets: o.secrets } : {}),
          provisionTimeoutMs: o.polling.provisionTimeoutMs,
          maxRetryDelayMs: o.polling.maxIntervalMs,
          ...(lock ? { lockDurationMs: lock } : {}),
          ...(w.logger ? { logger: w.logger } : {}),
          ...(w.onJobError ? { onError: w.onJobError } : {}),
          ...(o.now ? { now: o.now } : {}),
        }),
      );
      watch(watcher.queue, () =>
        watcher.start({
          ...(lock ? { lockDurationMs: lock } : {}),
          ...(w.onJobError ? { onError: w.onJobError } : {}),
        }),
      );
      watch(queues.notify, () =>
        startNotificationWorker({
          connection: redis,
          prefix,
          store,
          notifier: w.notifier,
          ...(lock ? { lockDurationMs: lock } : {}),
          ...(w.onNotificationError ? { onError: w.onNotificationError } : {}),
        }),
      );
      watch(queues.maintenance, () =>
        maintenance.start({
          ...(lock ? { lockDurationMs: lock } : {}),
          ...(w.onJobError ? { onError: w.onJobError } : {}),
        }),
      );
      stopKeepingHealth = await startHealth(health, store, redis, w, watch);
      const everyMs = w.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS;
      await scheduleReconciler(queues.maintenance, everyMs);
      stopKeeping = keepReconcilerScheduled(queues.maintenance, {
        connection: redis,
        everyMs,
        ...(w.scheduleCheckEveryMs ? { checkEveryMs: w.scheduleCheckEveryMs } : {}),
        ...(w.onJobError ? { onError: w.onJobError } : {}),
        ...(w.onScheduleRestored ? { onRestored: w.onScheduleRestored } : {}),
      });
      return workers.map((watched) => watched.current());
    },
    currentWorkers: () => workers.map((watched) => watched.current()),
    async close() {
      stopKeeping?.();
      stopKeepingHealth?.();
      await Promise.all(workers.map((watched) => watched.close()));
      await Promise.all([
        queues.provision.close(),
        queues.notify.close(),
        queues.maintenance.close(),
        watcher.close(),
        health.close(),
      ]);
    },
  };
}
