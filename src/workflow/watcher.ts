/**
 * Watching resources apart from the per-request step machine: one sweep job per resource type and
 * region (`sweep.<type>.<region>`) on a queue of its own. A sweep reads the region's list (one page
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
import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import { type Observation, type Resource, resourceOf } from '../resources/index.js';
import { sweepJobId } from './job-ids.js';
import { eventForState, type NotificationOutbox } from './notifications.js';
import { deleteTimeoutError, timeoutError, toRequestError } from './request-errors.js';
import { type CloudRow, type ResourceCloud, SWEEP_PAGE_SIZE } from './resource-cloud.js';
import type { RequestStore } from './store.js';
import { failRequest, type Observed, recordObservation, recordSettle } from './transitions.js';
import { FINAL_STATES, type ResourceRequest, type SettleOutcome } from './types.js';

export const WATCH_QUEUE = 'watch';

export interface SweepJob {
  resource: string;
  regionId: string;
  /** When the sweep is next due (ms), once it has run: BullMQ keeps no such field of a re-delayed job. */
  dueAt?: number;
}

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

const ACTOR = 'system:worker';
/** 20 pages of 50: far beyond Alibaba's default quota of 30 VPN gateways per region. */
const MAX_SWEEP_PAGES = 20;
const DEFAULT_PROGRESS_EVERY_MS = 120_000;
const DEFAULT_SETTLE_WINDOW_MS = 2 * 3_600_000;
/** A request is looked at again after this fraction of the time it has waited. */
const AGE_FRACTION = 1 / 8;

/** When a request wants its next look, from how long it has waited. */
export function sweepInterval(
  ageMs: number,
  polling: Pick<PollingOptions, 'intervalMs' | 'maxIntervalMs'>,
): number {
  return Math.min(polling.maxIntervalMs, Math.max(polling.intervalMs, ageMs * AGE_FRACTION));
}

/** Whether the sweep looks after this request now, and since when it has waited. */
function watchedSince(request: ResourceRequest): number | undefined {
  if (request.state === 'provisioning' && request.cloud.resourceId)
    return request.provisioningStartedAt ?? request.updatedAt;
  if (request.state === 'succeeded' && request.settle && !request.settle.outcome)
    return request.finishedAt ?? request.updatedAt;
  return undefined;
}

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

/** What a delete sees: gone once the full list no longer has it. */
function deletionSeen(item: CloudRow | undefined, listed: boolean, requestId?: string): Observed | undefined {
  if (!listed) return undefined;
  const status = typeof item?.Status === 'string' ? item.Status : 'deleting';
  return item
    ? { status, ready: false }
    : { status: 'deleted', ready: true, ...(requestId ? { requestId } : {}) };
}

export function watchQueue(connection: ConnectionOptions, prefix: string): Queue<SweepJob> {
  return new Queue<SweepJob>(WATCH_QUEUE, { connection, prefix });
}

export function createWatcher(options: WatcherOptions): Watcher {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, cloud, outbox, polling } = options;
  const progressEvery = polling.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS;
  const settleWindow = polling.settleWindowMs ?? DEFAULT_SETTLE_WINDOW_MS;
  const queue = watchQueue(options.connection, options.prefix);
  const log = options.logger;
  /** Up to 10 % later, so sweeps of many regions do not fall on the same second. */
  const jitter = (ms: number) => Math.round(ms * (1 + 0.1 * random()));

  /**
   * Makes sure the region's sweep runs within POLL_INTERVAL: adds it, or brings a sweep that is
   * waiting longer (for an old request) forward.
   */
  async function schedule(resource: string, regionId: string): Promise<void> {
    const id = sweepJobId(resource, regionId);
    const delay = jitter(polling.intervalMs);
    await queue.add(
      'sweep',
      { resource, regionId },
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

  async function watch(request: ResourceRequest): Promise<void> {
    if (!request.cloud.resourceId) throw new Error(`request ${request.id} is watched without a resource id`);
    await store.watch(request.resource, request.params.RegionId, request.id);
    await schedule(request.resource, request.params.RegionId);
  }

  async function isWatched(request: ResourceRequest): Promise<boolean> {
    const regionId = request.params.RegionId;
    const job = await queue.getJob(sweepJobId(request.resource, regionId));
    return job !== undefined && (await store.watched(request.resource, regionId)).includes(request.id);
  }

  async function timeOut(request: ResourceRequest, resource: Resource, elapsed: number): Promise<void> {
    const resourceId = request.cloud.resourceId ?? '';
    const error =
      request.operation === 'delete'
        ? deleteTimeoutError({
            title: resource.title,
            resourceId,
            regionId: request.params.RegionId,
            status: request.cloud.status ?? 'deleting',
            waitedMs: elapsed,
            requestId: request.id,
          })
        : timeoutError({
            title: resource.title,
            resourceId,
            waitedMs: elapsed,
            hint: resource.watch?.timeoutHint(resourceId, request.params.RegionId) ?? {
              en: '',
              'zh-CN': '',
            },
          });
    log?.warn({ requestId: request.id, resourceId, code: error.code }, 'request failed');
    const result = await store.update(request.id, ACTOR, 'failed', (current) =>
      failRequest(current, 'provisioning', error, now()),
    );
    if (result.ok) await outbox.emit({ requestId: request.id, event: 'failed', actor: ACTOR });
  }

  /**
   * After success: the resource settled, or its window ended, or it is gone (deleted meanwhile:
   * nothing to say about its tunnels), or nothing yet. Says whether the watch is finished.
   */
  async function settle(
    request: ResourceRequest,
    resource: Resource,
    item: CloudRow | undefined,
    listed: boolean,
  ): Promise<boolean> {
    const spec = resource.settle;
    if (!spec || !request.settle) return true;
    const seen = item ? spec.observe(item) : undefined;
    const outcome: SettleOutcome | undefined = seen?.settled
      ? 'settled'
      : listed && !item
        ? 'gone'
        : now() >= request.settle.until
          ? 'unsettled'
          : undefined;
    const result = await store.update(request.id, ACTOR, outcome ?? 'settle_seen', (current) =>
      recordSettle(current, outcome, seen?.facts ?? {}, now()),
    );
    if (result.ok && outcome) {
      log?.info(
        { requestId: request.id, resourceId: request.cloud.resourceId, outcome },
        'watch after success ended',
      );
      if (outcome !== 'gone') await outbox.emit({ requestId: request.id, event: outcome, actor: ACTOR });
    }
    return result.request.settle?.outcome !== undefined || result.request.state !== 'succeeded';
  }

  /** Applies what a sweep saw of one request and says whether the request needs no more sweeps. */
  async function observe(
    request: ResourceRequest,
    resource: Resource,
    item: CloudRow | undefined,
    listed: boolean,
    requestId: string | undefined,
  ): Promise<boolean> {
    if (request.state === 'succeeded') return settle(request, resource, item, listed);
    const elapsed = now() - (request.provisioningStartedAt ?? request.updatedAt);
    const seen =
      request.operation === 'delete'
        ? deletionSeen(item, listed, requestId)
        : item && resource.watch
          ? toObserved(resource.watch.observe(item), requestId)
          : undefined;
    if (seen) {
      const settleUntil =
        resource.settle && request.operation === 'create' ? now() + settleWindow : undefined;
      const result = await store.update(request.id, ACTOR, 'status_seen', (current) =>
        recordObservation(current, seen, now(), settleUntil),
      );
      if (result.ok && result.request.state === 'succeeded') {
        log?.info({ requestId: request.id, resourceId: request.cloud.resourceId }, 'resource ready');
        await outbox.emit({ requestId: request.id, event: 'succeeded', actor: ACTOR });
        // What settles later may have settled already (tunnels up before the first look).
        return result.request.settle ? settle(result.request, resource, item, listed) : true;
      }
      if (result.ok && seen.attention && seen.attention !== result.previous.cloud.attention)
        await outbox.emit({ requestId: request.id, event: 'attention', actor: ACTOR });
      if (!result.ok && 'skipped' in result && result.request.state !== 'provisioning') return true;
    }
    if (elapsed > polling.provisionTimeoutMs) {
      await timeOut(request, resource, elapsed);
      return true;
    }
    const milestone = Math.floor(elapsed / progressEvery);
    if (milestone >= 1)
      await outbox.emit({ requestId: request.id, event: 'progress', seq: milestone, actor: ACTOR });
    return false;
  }

  /** The region's list, as far as needed to see every watched resource (or to know one is absent). */
  async function regionItems(
    resource: Resource,
    regionId: string,
    wanted: ReadonlySet<string>,
  ): Promise<{ byId: Map<string, CloudRow>; complete: boolean; requestId?: string }> {
    const byId = new Map<string, CloudRow>();
    let requestId: string | undefined;
    let complete = false;
    for (let page = 1; page <= MAX_SWEEP_PAGES; page++) {
      const answer = await cloud.listPage(resource, regionId, page);
      requestId ??= answer.requestId;
      for (const item of answer.items) byId.set(String(item[resource.list.idField]), item);
      complete = page * SWEEP_PAGE_SIZE >= answer.totalCount || answer.items.length === 0;
      if (complete || [...wanted].every((id) => byId.has(id))) break;
    }
    return { byId, complete, ...(requestId ? { requestId } : {}) };
  }

  async function sweep(job: Job<SweepJob>, token: string | undefined): Promise<void> {
    const { resource: type, regionId } = job.data;
    const watched: ResourceRequest[] = [];
    for (const id of await store.watched(type, regionId)) {
      const request = await store.get(id);
      if (request && watchedSince(request) !== undefined) {
        watched.push(request);
        continue;
      }
      // Finished but still listed: the sweep that finished it may have stopped (a crash, Redis gone)
      // between the write and its announcement. Announcing again is harmless (one job per id).
      if (request && FINAL_STATES.has(request.state))
        await outbox.emit({ requestId: id, event: eventForState(request), actor: ACTOR });
      const ended = request?.settle?.outcome;
      if (ended === 'settled' || ended === 'unsettled')
        await outbox.emit({ requestId: id, event: ended, actor: ACTOR });
      await store.unwatch(type, regionId, id);
    }
    if (watched.length === 0) return;
    const resource = resourceOf(type);
    let seen: Awaited<ReturnType<typeof regionItems>> | undefined;
    try {
      seen = await regionItems(resource, regionId, new Set(watched.map((r) => r.cloud.resourceId as string)));
    } catch (err) {
      // A failed sweep is tried again; each request still ends at its own time limit.
      const error = toRequestError(err, resource.list.action);
      log?.warn(
        { resource: type, regionId, code: error.code, watched: watched.length },
        'region sweep failed; will retry',
      );
    }
    for (const request of watched) {
      const id = request.cloud.resourceId as string;
      const item = seen?.byId.get(id);
      const listed = seen !== undefined && (item !== undefined || seen.complete);
      const finished = await observe(request, resource, item, listed, seen?.requestId);
      if (finished) await store.unwatch(type, regionId, request.id);
    }
    // Every request watched now, including any added while this sweep ran.
    const ages: number[] = [];
    for (const id of await store.watched(type, regionId)) {
      const request = await store.get(id);
      const since = request && watchedSince(request);
      if (since !== undefined) ages.push(now() - since);
    }
    if (ages.length === 0) return;
    // The region is due when its most recently started request wants a look.
    const dueAt = now() + jitter(sweepInterval(Math.min(...ages), polling));
    await job.updateData({ ...job.data, dueAt });
    await job.moveToDelayed(dueAt, token);
    throw new DelayedError();
  }

  return {
    queue,
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
