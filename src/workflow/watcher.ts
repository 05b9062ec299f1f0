/**
 * Watching resources until they are ready, apart from the per-request step machine: one sweep job
 * per resource type and region (`sweep.<type>.<region>`) on a queue of its own. A sweep reads the
 * region's list (one page answers for up to 50 watched resources), applies what it sees to every
 * watched request, and comes back with backoff while any remain. Cloud calls therefore grow with
 * regions, not with resources, and stay far inside Alibaba's rate limits. How a resource is listed
 * and what "ready" means come from its declaration (`watch`).
 */
import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import { formatDuration } from '../config/duration.js';
import type { Logger } from '../observability/logger.js';
import { type Observation, type RegionSweep, resourceOf } from '../resources/index.js';
import { sweepJobId } from './job-ids.js';
import type { NotificationOutbox } from './notifications.js';
import { backoffDelay } from './provisioner.js';
import { timeoutError, toRequestError } from './request-errors.js';
import { type CloudRow, type ResourceCloud, SWEEP_PAGE_SIZE } from './resource-cloud.js';
import type { RequestStore } from './store.js';
import { failRequest, type Observed, recordObservation } from './transitions.js';
import type { ResourceRequest } from './types.js';

export const WATCH_QUEUE = 'watch';

export interface SweepJob {
  resource: string;
  regionId: string;
  /** Sweeps so far since the last new resource: the backoff's exponent. */
  polls: number;
}

export interface PollingOptions {
  /** First delay, and the delay after a new resource is added (`POLL_INTERVAL`). */
  intervalMs: number;
  /** Backoff cap (`POLL_MAX_INTERVAL`). */
  maxIntervalMs: number;
  /** Give-up time after create (`PROVISION_TIMEOUT`). */
  provisionTimeoutMs: number;
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
  cloud: ResourceCloud;
  outbox: NotificationOutbox;
  polling: PollingOptions;
  now?: () => number;
  random?: () => number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface Watcher {
  /** Puts a provisioning request on its region's watch list and makes sure a sweep is scheduled. */
  watch(request: ResourceRequest): Promise<void>;
  /** Whether a provisioning request is looked after by a scheduled sweep. */
  isWatched(request: ResourceRequest): Promise<boolean>;
  /** The sweep worker; only worker processes start it. */
  start(options?: {
    lockDurationMs?: number;
    onError?: (err: unknown, job?: Job<SweepJob>) => void;
  }): Worker<SweepJob>;
  close(): Promise<void>;
}

const ACTOR = 'system:worker';
/** 20 pages of 50: far beyond Alibaba's default quota of 30 VPN gateways per region. */
const MAX_SWEEP_PAGES = 20;
const DEFAULT_PROGRESS_EVERY_MS = 120_000;

/** A declaration's observation, in the words of the request record. */
function toObserved(o: Observation, requestId: string | undefined): Observed {
  return {
    status: o.status,
    ready: o.ready,
    ...(o.attention ? { attention: o.attention.code } : {}),
    ...(o.facts ? { facts: o.facts } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

export function watchQueue(connection: ConnectionOptions, prefix: string): Queue<SweepJob> {
  return new Queue<SweepJob>(WATCH_QUEUE, { connection, prefix });
}

export function createWatcher(options: WatcherOptions): Watcher {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, cloud, outbox, polling } = options;
  const progressEvery = polling.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS;
  const queue = watchQueue(options.connection, options.prefix);
  const log = options.logger;

  function sweepOf(request: ResourceRequest): RegionSweep {
    const sweep = resourceOf(request.resource).watch;
    if (!sweep) throw new Error(`${request.resource} is not a watched resource type`);
    return sweep;
  }

  async function schedule(resource: string, regionId: string): Promise<void> {
    await queue.add(
      'sweep',
      { resource, regionId, polls: 0 },
      {
        jobId: sweepJobId(resource, regionId),
        delay: backoffDelay(polling.intervalMs, polling.maxIntervalMs, 0, random),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        // Gone once done, so the next resource in the region can schedule a new sweep.
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  async function watch(request: ResourceRequest): Promise<void> {
    if (!request.cloud.resourceId)
      throw new Error(`request ${request.id} is provisioning without a resource id`);
    sweepOf(request);
    await store.watch(request.resource, request.params.RegionId, request.id);
    await schedule(request.resource, request.params.RegionId);
  }

  async function isWatched(request: ResourceRequest): Promise<boolean> {
    const regionId = request.params.RegionId;
    const job = await queue.getJob(sweepJobId(request.resource, regionId));
    return job !== undefined && (await store.watched(request.resource, regionId)).includes(request.id);
  }

  async function fail(request: ResourceRequest, elapsed: number): Promise<void> {
    const resource = resourceOf(request.resource);
    const resourceId = request.cloud.resourceId ?? '';
    const error = timeoutError({
      title: resource.title,
      resourceId,
      waited: formatDuration(elapsed),
      hint: sweepOf(request).timeoutHint(resourceId, request.params.RegionId),
    });
    log?.warn({ requestId: request.id, resourceId, code: error.code }, 'request failed');
    const result = await store.update(request.id, ACTOR, 'failed', (current) =>
      failRequest(current, 'provisioning', error, now()),
    );
    if (result.ok) await outbox.emit({ requestId: request.id, event: 'failed', actor: ACTOR });
  }

  /** Applies one observation (undefined: not in the list yet) and says whether the request is finished. */
  async function observe(request: ResourceRequest, seen: Observed | undefined): Promise<boolean> {
    const elapsed = now() - (request.provisioningStartedAt ?? request.updatedAt);
    if (seen) {
      const result = await store.update(request.id, ACTOR, 'status_seen', (current) =>
        recordObservation(current, seen, now()),
      );
      if (result.ok && result.request.state === 'succeeded') {
        log?.info({ requestId: request.id, resourceId: request.cloud.resourceId }, 'resource ready');
        await outbox.emit({ requestId: request.id, event: 'succeeded', actor: ACTOR });
        return true;
      }
      if (result.ok && seen.attention && seen.attention !== result.previous.cloud.attention)
        await outbox.emit({ requestId: request.id, event: 'attention', actor: ACTOR });
      if (!result.ok && 'skipped' in result && result.request.state !== 'provisioning') return true;
    }
    if (elapsed > polling.provisionTimeoutMs) {
      await fail(request, elapsed);
      return true;
    }
    const milestone = Math.floor(elapsed / progressEvery);
    if (milestone >= 1)
      await outbox.emit({ requestId: request.id, event: 'progress', seq: milestone, actor: ACTOR });
    return false;
  }

  /** The region's list, as far as needed to see every watched resource. */
  async function regionItems(
    sweep: RegionSweep,
    regionId: string,
    wanted: ReadonlySet<string>,
  ): Promise<{ byId: Map<string, CloudRow>; requestId?: string }> {
    const byId = new Map<string, CloudRow>();
    let requestId: string | undefined;
    for (let page = 1; page <= MAX_SWEEP_PAGES; page++) {
      const answer = await cloud.listPage(sweep, regionId, page);
      requestId ??= answer.requestId;
      for (const item of answer.items) byId.set(String(item[sweep.list.idField]), item);
      const seenAll = [...wanted].every((id) => byId.has(id));
      if (seenAll || page * SWEEP_PAGE_SIZE >= answer.totalCount || answer.items.length === 0) break;
    }
    return { byId, ...(requestId ? { requestId } : {}) };
  }

  async function sweep(job: Job<SweepJob>, token: string | undefined): Promise<void> {
    const { resource, regionId } = job.data;
    // A newly watched resource restarts the backoff, so it is seen early.
    const polls = (await store.takeWatchFresh(resource, regionId)) ? 0 : job.data.polls;
    const watched: ResourceRequest[] = [];
    for (const id of await store.watched(resource, regionId)) {
      const request = await store.get(id);
      if (request?.state === 'provisioning' && request.cloud.resourceId) watched.push(request);
      else await store.unwatch(resource, regionId, id);
    }
    const first = watched[0];
    if (!first) return;
    const spec = sweepOf(first);
    let seen: Awaited<ReturnType<typeof regionItems>> | undefined;
    try {
      seen = await regionItems(spec, regionId, new Set(watched.map((r) => r.cloud.resourceId as string)));
    } catch (err) {
      // A failed sweep is tried again; each request still fails at its own time limit.
      const error = toRequestError(err, spec.list.action);
      log?.warn(
        { resource, regionId, code: error.code, watched: watched.length },
        'region sweep failed; will retry',
      );
    }
    for (const request of watched) {
      const item = seen?.byId.get(request.cloud.resourceId as string);
      const finished = await observe(request, item && toObserved(spec.observe(item), seen?.requestId));
      if (finished) await store.unwatch(resource, regionId, request.id);
    }
    if ((await store.watched(resource, regionId)).length === 0) return;
    const delay = backoffDelay(polling.intervalMs, polling.maxIntervalMs, polls + 1, random);
    await job.updateData({ ...job.data, polls: polls + 1 });
    await job.moveToDelayed(now() + delay, token);
    throw new DelayedError();
  }

  return {
    watch,
    isWatched,
    start(o = {}) {
      const worker = new Worker<SweepJob>(WATCH_QUEUE, (job, token) => sweep(job, token), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 4,
        ...(o.lockDurationMs ? { lockDuration: o.lockDurationMs, stalledInterval: o.lockDurationMs } : {}),
        maxStalledCount: 1_000,
      });
      worker.on('failed', (job, err) => o.onError?.(err, job));
      worker.on('error', (err) => o.onError?.(err));
      return worker;
    },
    close: () => queue.close(),
  };
}
