/**
 * Watching resources apart from the per-request step machine: one sweep job per resource type,
 * account and region (`sweep.<type>.<region>`) on a queue of its own. A sweep reads the region's list (one page
 * answers for up to 50 watched resources) and applies what it sees to every watched request:
 *
 *   a create, until the resource is ready (`watch`) or PROVISION_TIMEOUT;
 *   a delete, until the resource is no longer listed, or PROVISION_TIMEOUT;
 *   a success whose resource settles later (an IPsec connection's tunnels, `settle`), until it
 *   settles or its window (CONNECTION_WATCH) ends; one message either way.
 *
 * Cloud calls therefore grow with regions, not with resources. How often a region is swept comes
 * from its watched requests, each by its own age: a request is looked at again after an eighth of
 * the time it has waited, never sooner than POLL_INTERVAL nor later than POLL_MAX_INTERVAL. A new
 * request is seen within POLL_INTERVAL whatever else the region holds, the lag behind the cloud
 * stays near an eighth of the wait (a gateway active after 90 s is announced about 11 s later),
 * and a long wait (an unpaid order, tunnels nobody configured yet) costs one call a minute.
 */
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import { placeOf } from './accounts.js';
import { sweepJobId } from './job-ids.js';
import type { NotificationOutbox } from './notifications.js';
import type { ResourceCloud } from './resource-cloud.js';
import type { RequestStore } from './store.js';
import { type SweepContext, type SweepJob, sweepRegion } from './sweep.js';
import type { ResourceRequest } from './types.js';
import { workerLockSettings } from './worker-locks.js';

export { type SweepJob, sweepInterval } from './sweep.js';

export const WATCH_QUEUE = 'watch';

export interface PollingOptions {
  /** The shortest time between two looks at a request (`POLL_INTERVAL`). */
  intervalMs: number;
  /** The longest (`POLL_MAX_INTERVAL`). */
  maxIntervalMs: number;
  /** Give-up time after the create or delete call (`PROVISION_TIMEOUT`). */
  provisionTimeoutMs: number;
  /**
   * How long a resource that settles later is watched after success (`CONNECTION_WATCH`).
   * @defaultValue 2 h
   */
  settleWindowMs?: number;
  /** How often created resources are looked at after their settle window (`TUNNEL_HEALTH_INTERVAL`); unset: never. */
  healthIntervalMs?: number;
  /**
   * How often a "still provisioning" message is posted.
   * @defaultValue 120 000 ms
   */
  progressEveryMs?: number;
}

export interface WatcherOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  /** The cloud of an account. */
  cloudIn: (account: string) => ResourceCloud;
  outbox: NotificationOutbox;
  polling: PollingOptions;
  now?: () => number;
  random?: () => number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface Watcher {
  /** The queue of region sweeps. */
  queue: Queue<SweepJob>;
  /** Puts a request on its region's watch list and makes sure a sweep is due soon. */
  watch(request: ResourceRequest): Promise<void>;
  /** Whether a request is looked after by a scheduled sweep. */
  isWatched(request: ResourceRequest): Promise<boolean>;
  /** The sweep worker; only worker processes start it. */
  start(options?: {
    lockDurationMs?: number;
    onError?: (err: unknown, job?: Job<SweepJob>) => void;
  }): Worker<SweepJob>;
  close(): Promise<void>;
}

const DEFAULT_PROGRESS_EVERY_MS = 120_000;
const DEFAULT_SETTLE_WINDOW_MS = 2 * 3_600_000;

export function watchQueue(connection: ConnectionOptions, prefix: string): Queue<SweepJob> {
  return new Queue<SweepJob>(WATCH_QUEUE, { connection, prefix });
}

/** What a sweep needs, with the polling options' defaults filled in. */
function sweepContext(options: WatcherOptions, jitter: (ms: number) => number): SweepContext {
  const { polling } = options;
  return {
    store: options.store,
    outbox: options.outbox,
    cloudIn: options.cloudIn,
    now: options.now ?? Date.now,
    intervals: { intervalMs: polling.intervalMs, maxIntervalMs: polling.maxIntervalMs },
    provisionTimeoutMs: polling.provisionTimeoutMs,
    progressEveryMs: polling.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS,
    settleWindowMs: polling.settleWindowMs ?? DEFAULT_SETTLE_WINDOW_MS,
    jitter,
    log: options.logger,
  };
}

export function createWatcher(options: WatcherOptions): Watcher {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, polling } = options;
  const queue = watchQueue(options.connection, options.prefix);
  /** Up to 10 % later, so sweeps of many regions do not fall on the same second. */
  const jitter = (ms: number) => Math.round(ms * (1 + 0.1 * random()));
  const sweep = sweepContext(options, jitter);

  /**
   * Makes sure the region's sweep runs within POLL_INTERVAL: adds it, or brings a sweep that is
   * waiting longer (for an old request) forward.
   */
  async function schedule(resource: string, account: string, regionId: string): Promise<void> {
    const id = sweepJobId(resource, regionId, account);
    const delay = jitter(polling.intervalMs);
    await queue.add(
      'sweep',
      { resource, regionId, account },
      {
        jobId: id,
        delay,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        // Gone once done, so the next resource in the region can schedule a new sweep.
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
    const job = await queue.getJob(id);
    if (!job || !(await job.isDelayed())) return;
    const due = job.data.dueAt ?? job.timestamp + (job.opts.delay ?? 0);
    // A sweep running now sees the new request in the list it re-reads at its end.
    if (due - now() > polling.intervalMs) await job.changeDelay(delay).catch(() => {});
  }

  return {
    queue,
    async watch(request) {
      if (!request.cloud.resourceId)
        throw new Error(`request ${request.id} is watched without a resource id`);
      const { account, params } = request;
      await store.watch(request.resource, placeOf(account, params.RegionId), request.id);
      await schedule(request.resource, account, params.RegionId);
    },
    async isWatched(request) {
      const { account, params } = request;
      const job = await queue.getJob(sweepJobId(request.resource, params.RegionId, account));
      const watched = await store.watched(request.resource, placeOf(account, params.RegionId));
      return job !== undefined && watched.includes(request.id);
    },
    start(o = {}) {
      const worker = new Worker<SweepJob>(WATCH_QUEUE, (job, token) => sweepRegion(sweep, job, token), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 4,
        ...(o.lockDurationMs ? workerLockSettings(o.lockDurationMs) : {}),
        maxStalledCount: 1_000,
      });
      worker.on('failed', (job, err) => o.onError?.(err, job));
      worker.on('error', (err) => o.onError?.(err));
      return worker;
    },
    close: () => queue.close(),
  };
}
