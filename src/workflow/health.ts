/**
 * Health for a resource's whole life (`TUNNEL_HEALTH_INTERVAL`): after its settle window, every
 * resource the bot created whose type declares `health` (an IPsec connection's tunnels) is looked
 * at in one sweep per account and region, over the type's own list (one paged listing serves
 * every resource of the region, paced like every call). A part that changes between up and down
 * and is seen so on two looks in a row is written once (the store's compare-and-set, so two sweeps
 * never both confirm it) and announced once through the outbox (`tunnel_down` / `tunnel_up`, one
 * job id per change).
 *
 * One sweep at a time, whatever the number of workers: a job scheduler with a fixed id on a queue
 * of its own, made again from nothing at start, at every reconnect and every few minutes (a Redis
 * that came back empty); the state it works from is kept with the request records.
 */
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import { type DriftSpec, findResource, type HealthSpec, type Resource } from '../resources/index.js';
import { DEFAULT_ACCOUNT_NAME } from './accounts.js';
import { recordDriftLook } from './drift-look.js';
import { followed, newChanges, recordHealthLook } from './health-look.js';
import { HEALTH_ID } from './job-ids.js';
import type { NotificationEvent, NotificationOutbox } from './notifications.js';
import { toRequestError } from './request-errors.js';
import { type CloudRow, type ResourceCloud, SWEEP_PAGE_SIZE } from './resource-cloud.js';
import type { RequestStore } from './store.js';
import type { ResourceRequest } from './types.js';
import { workerLockSettings } from './worker-locks.js';

export const HEALTH_QUEUE = 'health';
export const HEALTH_ACTOR = 'system:health';

export type HealthJob = Record<string, never>;

export interface HealthOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  cloudIn: (account: string) => ResourceCloud;
  outbox: NotificationOutbox;
  /** `TUNNEL_HEALTH_INTERVAL`; undefined: off (no sweep, no listing call). */
  intervalMs: number | undefined;
  now?: () => number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/** What one sweep did, for the logs, the tests and the benchmark. */
export interface HealthReport {
  followed: number;
  regions: number;
  listingCalls: number;
  /** Tunnel changes confirmed. */
  announced: number;
  /** Differences from what was approved, newly seen. */
  drifted: number;
}

/** A change is announced again (a no-op once queued) while this young: a sweep may have died between its write and its message. */
const REANNOUNCE_WITHIN_MS = 3_600_000;
/** Far beyond Alibaba's default quotas of connections per region. */
const MAX_PAGES = 200;

interface Place {
  account: string;
  regionId: string;
  resource: Resource;
  requests: ResourceRequest[];
}

/** The followed requests, by account, type and region. */
function placesOf(requests: readonly ResourceRequest[]): Place[] {
  const places = new Map<string, Place>();
  for (const request of requests) {
    const resource = findResource(request.resource);
    if (!(resource?.health || resource?.drift) || !followed(request)) continue;
    const account = request.account ?? DEFAULT_ACCOUNT_NAME;
    const regionId = request.params.RegionId;
    const key = JSON.stringify([account, resource.type, regionId]);
    let place = places.get(key);
    if (!place) {
      place = { account, regionId, resource, requests: [] };
      places.set(key, place);
    }
    place.requests.push(request);
  }
  return [...places.values()];
}

/** The region's list, as far as needed to see every followed resource. */
async function listPlace(
  cloud: ResourceCloud,
  place: Place,
  at: number,
): Promise<{ byId: Map<string, CloudRow>; complete: boolean; calls: number; at: number }> {
  const wanted = new Set(place.requests.map((r) => r.cloud.resourceId as string));
  const byId = new Map<string, CloudRow>();
  let calls = 0;
  let complete = false;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await cloud.listPage(place.resource, place.regionId, page);
    calls++;
    for (const item of answer.items) {
      const id = String(item[place.resource.list.idField]);
      if (wanted.has(id)) byId.set(id, item);
    }
    complete = page * SWEEP_PAGE_SIZE >= answer.totalCount || answer.items.length === 0;
    if (complete || byId.size === wanted.size) break;
  }
  // Every followed resource seen is as good as the whole list: none of them is missing.
  return { byId, complete: complete || byId.size === wanted.size, calls, at };
}

export interface Health {
  queue: Queue<HealthJob>;
  /** False when `off`: no schedule, no worker, no listing call. */
  enabled: boolean;
  /** Makes the schedule (or takes it away when off). */
  schedule(): Promise<void>;
  /** Keeps the schedule there: at every reconnect and every `checkEveryMs`. Returns a stop. */
  keepScheduled(o: {
    connection: { on(event: 'ready', l: () => void): unknown; off(event: 'ready', l: () => void): unknown };
    checkEveryMs?: number;
    onError?: (err: unknown) => void;
  }): () => void;
  /** One sweep of every followed resource, now. */
  sweep(): Promise<HealthReport>;
  start(o?: {
    lockDurationMs?: number;
    onError?: (err: unknown, job?: Job<HealthJob>) => void;
  }): Worker<HealthJob>;
  close(): Promise<void>;
}

export function healthQueue(connection: ConnectionOptions, prefix: string): Queue<HealthJob> {
  return new Queue<HealthJob>(HEALTH_QUEUE, { connection, prefix });
}

/**
 * Whether a resource missing from a sweep's list is the bot's own doing: a deletion working on it
 * (the active deletions read once, at the first such question), or one that has taken its id from
 * the request since the sweep read its records. Both are read after the listing, so a deletion that
 * ended while the list was read is seen too. Its absence is then no drift.
 */
function removalsByTheBot(store: RequestStore): (request: ResourceRequest, id: string) => Promise<boolean> {
  let deleting: Promise<Set<string>> | undefined;
  const beingDeleted = async () => {
    const active = await store.getMany(await store.activeIds());
    return new Set(
      active.flatMap((r) => (r.operation === 'delete' && r.cloud.resourceId ? [r.cloud.resourceId] : [])),
    );
  };
  return async (request, id) => {
    deleting ??= beingDeleted();
    if ((await deleting).has(id)) return true;
    return (await store.getByResourceId(id))?.id !== request.id;
  };
}

export function createHealth(o: HealthOptions): Health {
  const now = o.now ?? Date.now;
  const queue = healthQueue(o.connection, o.prefix);
  const minGapMs = (o.intervalMs ?? 0) / 2;

  /** Emits each change: the new ones, and again those still young (one job per change id), so a sweep that died after its write loses nothing. */
  async function announce<C extends { seq: number; at: number }>(
    requestId: string,
    changes: readonly C[],
    event: (c: C) => NotificationEvent,
  ): Promise<void> {
    for (const change of changes)
      if (now() - change.at < REANNOUNCE_WITHIN_MS)
        await o.outbox.emit({ requestId, event: event(change), seq: change.seq, actor: HEALTH_ACTOR });
  }

  /** Whether a change is young enough to be announced again (a sweep may have died before its message). */
  const young = (changes: readonly { at: number }[] | undefined) =>
    (changes ?? []).some((c) => now() - c.at < REANNOUNCE_WITHIN_MS);

  /** Applies one look at a request's parts; returns how many changes it confirmed. */
  async function lookAtHealth(
    request: ResourceRequest,
    spec: HealthSpec,
    item: CloudRow,
    at: number,
  ): Promise<number> {
    const facts = spec.facts(item);
    // Judged first on the record the sweep read: most looks change nothing and cost no round trip.
    if (
      !young(request.health?.changes) &&
      recordHealthLook(request, spec, facts, at, minGapMs).kind === 'skip'
    )
      return 0;
    const result = await o.store.update(request.id, HEALTH_ACTOR, 'health_seen', (current) =>
      recordHealthLook(current, spec, facts, at, minGapMs),
    );
    const fresh = result.ok ? newChanges(result.previous, result.request) : [];
    for (const change of fresh)
      o.logger?.info(
        { requestId: request.id, resourceId: request.cloud.resourceId, part: change.part, up: change.up },
        'health change confirmed',
      );
    const changes = result.request.health?.changes ?? [];
    await announce(request.id, changes, (c) => (c.up ? 'tunnel_up' : 'tunnel_down'));
    return fresh.length;
  }

  /** Applies one look at what a request was approved as (undefined: gone); returns how many differences it found new. */
  async function lookAtDrift(
    request: ResourceRequest,
    spec: DriftSpec,
    item: CloudRow | undefined,
    at: number,
  ): Promise<number> {
    if (!young(request.drift?.changes) && recordDriftLook(request, spec, item, at).kind === 'skip') return 0;
    const result = await o.store.update(request.id, HEALTH_ACTOR, 'drift_seen', (current) =>
      followed(current) ? recordDriftLook(current, spec, item, at) : { kind: 'skip' },
    );
    const before = result.ok ? (result.previous.drift?.seq ?? 0) : (result.request.drift?.seq ?? 0);
    const fresh = (result.request.drift?.seq ?? 0) - before;
    if (fresh > 0)
      o.logger?.info({ requestId: request.id, resourceId: request.cloud.resourceId }, 'drift seen');
    await announce(request.id, result.request.drift?.changes ?? [], () => 'drift');
    return fresh;
  }

  async function sweepPlace(place: Place, report: HealthReport): Promise<void> {
    let seen: Awaited<ReturnType<typeof listPlace>>;
    try {
      seen = await listPlace(o.cloudIn(place.account), place, now());
    } catch (err) {
      const error = toRequestError(err, place.resource.list.action);
      o.logger?.warn(
        { resource: place.resource.type, account: place.account, regionId: place.regionId, code: error.code },
        'health sweep of a region failed; the next sweep looks again',
      );
      return;
    }
    report.listingCalls += seen.calls;
    const { health: healthSpec, drift } = place.resource;
    const removed = removalsByTheBot(o.store);
    for (const request of place.requests) {
      const id = request.cloud.resourceId as string;
      const item = seen.byId.get(id);
      if (item && healthSpec) report.announced += await lookAtHealth(request, healthSpec, item, seen.at);
      if (!drift) continue;
      if (item) report.drifted += await lookAtDrift(request, drift, item, seen.at);
      // Gone only when the whole list was read, and not through the bot.
      else if (seen.complete && !(await removed(request, id)))
        report.drifted += await lookAtDrift(request, drift, undefined, seen.at);
    }
  }

  const health: Health = {
    queue,
    enabled: o.intervalMs !== undefined,
    async schedule() {
      if (o.intervalMs === undefined) {
        await queue.removeJobScheduler(HEALTH_ID);
        return;
      }
      await queue.upsertJobScheduler(
        HEALTH_ID,
        { every: o.intervalMs },
        // A sweep leaves nothing behind: one every few seconds would otherwise pile up in Redis.
        { name: HEALTH_ID, data: {}, opts: { removeOnComplete: true, removeOnFail: 50 } },
      );
    },
    keepScheduled(k) {
      let busy = false;
      const ensure = async () => {
        if (busy || o.intervalMs === undefined) return;
        busy = true;
        try {
          if (!(await queue.getJobScheduler(HEALTH_ID))) await health.schedule();
        } catch (err) {
          k.onError?.(err);
        } finally {
          busy = false;
        }
      };
      const onReady = () => void ensure();
      k.connection.on('ready', onReady);
      const timer = setInterval(() => void ensure(), k.checkEveryMs ?? 5 * 60_000);
      timer.unref();
      return () => {
        clearInterval(timer);
        k.connection.off('ready', onReady);
      };
    },
    async sweep() {
      const requests = await o.store.getMany(await o.store.liveIds());
      const places = placesOf(requests);
      const report: HealthReport = {
        followed: places.reduce((n, p) => n + p.requests.length, 0),
        regions: places.length,
        listingCalls: 0,
        announced: 0,
        drifted: 0,
      };
      await Promise.all(places.map((place) => sweepPlace(place, report)));
      return report;
    },
    start(s = {}) {
      const worker = new Worker<HealthJob>(
        HEALTH_QUEUE,
        async () => {
          if (o.intervalMs === undefined) return;
          await health.sweep();
        },
        {
          connection: o.connection,
          prefix: o.prefix,
          // One sweep at a time in a process; the scheduler makes one job per interval.
          concurrency: 1,
          ...(s.lockDurationMs ? workerLockSettings(s.lockDurationMs) : {}),
          // A sweep whose worker died is taken up again: every look is safe to repeat.
          maxStalledCount: 1_000,
        },
      );
      worker.on('failed', (job, err) => s.onError?.(err, job));
      worker.on('error', (err) => s.onError?.(err));
      return worker;
    },
    close: () => queue.close(),
  };
  return health;
}
