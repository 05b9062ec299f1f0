/**
 * Health for a resource's whole life (`TUNNEL_HEALTH_INTERVAL`): after its settle window, every
 * resource the bot created whose type declares `health` (an IPsec connection's tunnels) is looked
 * at in one sweep per account and region, over the type's own list (one paged listing serves
 * every resource of the region, paced like every call; each page is looked at as it comes, with
 * its records read afresh, and two regions are swept at once). A part that changes between up and down
 * and is seen so on two looks in a row is written once (the store's compare-and-set, so two sweeps
 * never both confirm it) and announced once through the outbox (`tunnel_down` / `tunnel_up`, one
 * job id per change).
 *
 * One sweep at a time, whatever the number of workers: a job scheduler with a fixed id on a queue
 * of its own, made again from nothing at start, at every reconnect and every few minutes (a Redis
 * that came back empty), and a lease in Redis that a sweep holds while it runs (the scheduler queues
 * the next interval's job as soon as one starts); the state it works from is kept with the request
 * records.
 */
import { randomUUID } from 'node:crypto';
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import type { RedisClient } from '../redis/index.js';
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

/**
 * Regions (of an account and type) swept at once, each holding a page of its list and the page's
 * records while it looks at them. With 2,000 connections in 10 regions the worker's heap peaked at
 * 90 MB with all ten at once, 75 MB two at a time, for a sweep of under 2 s instead of half a
 * second (docs/benchmarks.md, Tunnel health).
 */
const PLACES_AT_ONCE = 2;
/** Requests read at once while the sweep finds where each followed resource is. */
const READ_BATCH = 250;

/** Where a followed resource is, and the request that speaks for it: all the sweep keeps of a record. */
interface Place {
  account: string;
  regionId: string;
  resource: Resource;
  /** Resource id → request id. */
  requestIds: Map<string, string>;
}

/**
 * The followed requests, by account, type and region, read in batches and kept as ids only: a
 * sweep holds no record longer than the look at it (each is read again with its page).
 */
async function placesOf(store: RequestStore, ids: readonly string[]): Promise<Place[]> {
  const places = new Map<string, Place>();
  for (let start = 0; start < ids.length; start += READ_BATCH) {
    for (const request of await store.getMany(ids.slice(start, start + READ_BATCH))) {
      const resource = findResource(request.resource);
      if (!(resource?.health || resource?.drift) || !followed(request)) continue;
      const account = request.account ?? DEFAULT_ACCOUNT_NAME;
      const regionId = request.params.RegionId;
      const key = JSON.stringify([account, resource.type, regionId]);
      let place = places.get(key);
      if (!place) {
        place = { account, regionId, resource, requestIds: new Map() };
        places.set(key, place);
      }
      place.requestIds.set(request.cloud.resourceId as string, request.id);
    }
  }
  return [...places.values()];
}

/**
 * The region's list, page by page, as far as needed to see every followed resource; `look` takes
 * each page's followed rows as it comes, so no page outlives its look. A listing call that fails
 * ends it (`error`); the looks already made stand.
 */
async function listPlace(
  cloud: ResourceCloud,
  place: Place,
  look: (rows: CloudRow[]) => Promise<void>,
): Promise<{ calls: number } & ({ seen: Set<string>; complete: boolean } | { error: unknown })> {
  const idOf = (row: CloudRow) => String(row[place.resource.list.idField]);
  const seen = new Set<string>();
  let calls = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let answer: Awaited<ReturnType<ResourceCloud['listPage']>>;
    try {
      answer = await cloud.listPage(place.resource, place.regionId, page);
    } catch (error) {
      return { calls, error };
    }
    calls++;
    const rows = answer.items.filter((row) => place.requestIds.has(idOf(row)));
    for (const row of rows) seen.add(idOf(row));
    await look(rows);
    const complete = page * SWEEP_PAGE_SIZE >= answer.totalCount || answer.items.length === 0;
    // Every followed resource seen is as good as the whole list: none of them is missing.
    if (complete || seen.size === place.requestIds.size) return { calls, seen, complete: true };
  }
  return { calls, seen, complete: false };
}

/**
 * A followed resource missing from its region's list, asked for by its id: the list may have shifted
 * while its pages were read (a row sliding onto a page already read when one before it went), so
 * only this says it is gone. A lookup that fails says nothing (undefined).
 */
async function lookUp(
  cloud: ResourceCloud,
  place: Place,
  id: string,
): Promise<CloudRow | 'gone' | undefined> {
  try {
    return (await cloud.find(place.resource, place.regionId, id)) ?? 'gone';
  } catch {
    return undefined;
  }
}

/** A sweep's lease: held at least this long (a dead sweep's blocks the next no longer than the larger of this and the interval)… */
const MIN_LEASE_MS = 2_000;
/** …and at most this long at a time, renewed every half of it while the sweep runs. */
const MAX_LEASE_MS = 60_000;
const RENEW_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Runs `work` only where no one else holds the lease `key` (SET NX), holding it `ttlMs` at a time
 * and renewing it while `work` runs; a process that died holding it blocks others no longer than
 * `ttlMs`. Undefined when someone else held it: nothing was done.
 */
async function underLease<T>(
  redis: Pick<RedisClient, 'set' | 'eval'>,
  key: string,
  ttlMs: number,
  work: () => Promise<T>,
): Promise<T | undefined> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  const renew = setInterval(() => {
    redis.eval(RENEW_LEASE, 1, key, token, String(ttlMs)).catch(() => {});
  }, ttlMs / 2);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE_LEASE, 1, key, token).catch(() => {});
  }
}

/** Runs `ensure` at every reconnect and every `checkEveryMs`, one at a time; returns what stops it. */
function keepScheduled(k: Parameters<Health['keepScheduled']>[0], ensure: () => Promise<void>): () => void {
  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      await ensure();
    } catch (err) {
      k.onError?.(err);
    } finally {
      busy = false;
    }
  };
  const onReady = () => void check();
  k.connection.on('ready', onReady);
  const timer = setInterval(() => void check(), k.checkEveryMs ?? 5 * 60_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    k.connection.off('ready', onReady);
  };
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

/** Runs `each` on every item, at most `n` at a time. */
async function atMost<T>(n: number, items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  const waiting = [...items];
  const lane = async () => {
    for (let item = waiting.shift(); item !== undefined; item = waiting.shift()) await each(item);
  };
  await Promise.all(Array.from({ length: n }, lane));
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
  /**
   * A scheduled sweep: one, unless another is running anywhere (its lease in Redis), in which case
   * nothing is done (undefined). BullMQ queues an interval's sweep as soon as the one before starts,
   * so without it a sweep longer than the interval would run beside the next.
   */
  sweepOnce(): Promise<HealthReport | undefined>;
  start(o?: {
    lockDurationMs?: number;
    onError?: (err: unknown, job?: Job<HealthJob>) => void;
  }): Worker<HealthJob>;
  close(): Promise<void>;
}

export function healthQueue(connection: ConnectionOptions, prefix: string): Queue<HealthJob> {
  return new Queue<HealthJob>(HEALTH_QUEUE, { connection, prefix });
}

/** A change as announced: numbered, seen first at `at`, confirmed at `confirmedAt` (a drift change: at once). */
interface Announced {
  seq: number;
  at: number;
  confirmedAt?: number;
}

/**
 * How changes are announced: each still young (one job per change id), the ones a write confirmed
 * and again the others, so a sweep that died after its write loses nothing. Young counts from the
 * write that confirmed it, not from its first look, which may be an interval (or an outage) before.
 */
function announcer(outbox: NotificationOutbox, now: () => number) {
  const isYoung = (c: Announced) => now() - (c.confirmedAt ?? c.at) < REANNOUNCE_WITHIN_MS;
  return {
    async announce<C extends Announced>(
      requestId: string,
      changes: readonly C[],
      event: (c: C) => NotificationEvent,
    ): Promise<void> {
      for (const change of changes)
        if (isYoung(change))
          await outbox.emit({ requestId, event: event(change), seq: change.seq, actor: HEALTH_ACTOR });
    },
    /** Whether a change is young enough to be announced again (a sweep may have died before its message). */
    young: (changes: readonly Announced[] | undefined) => (changes ?? []).some(isYoung),
  };
}

/**
 * Sweeps the places, a few at once. A region whose look failed (a write refused, a row that cannot
 * be read) is left to the next sweep, as one whose listing failed: the others go on, and nothing
 * runs on after the job has ended.
 */
function sweepEach(
  places: readonly Place[],
  logger: HealthOptions['logger'],
  sweep: (place: Place) => Promise<void>,
): Promise<void> {
  return atMost(PLACES_AT_ONCE, places, (place) =>
    sweep(place).catch((err: unknown) =>
      logger?.warn(
        { resource: place.resource.type, account: place.account, regionId: place.regionId, err },
        'health sweep of a region failed; the next sweep looks again',
      ),
    ),
  );
}

export function createHealth(o: HealthOptions): Health {
  const now = o.now ?? Date.now;
  const queue = healthQueue(o.connection, o.prefix);
  const minGapMs = (o.intervalMs ?? 0) / 2;

  const { announce, young } = announcer(o.outbox, now);

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

  /** Looks at the rows of one page: each with its request as stored now. */
  async function lookAtRows(
    place: Place,
    rows: readonly CloudRow[],
    at: number,
    report: HealthReport,
  ): Promise<void> {
    const { health: healthSpec, drift } = place.resource;
    const byRequest = new Map<string, CloudRow>();
    for (const row of rows) {
      const requestId = place.requestIds.get(String(row[place.resource.list.idField]));
      if (requestId) byRequest.set(requestId, row);
    }
    for (const request of await o.store.getMany([...byRequest.keys()])) {
      const item = byRequest.get(request.id);
      if (!item || !followed(request)) continue;
      if (healthSpec) report.announced += await lookAtHealth(request, healthSpec, item, at);
      if (drift) report.drifted += await lookAtDrift(request, drift, item, at);
    }
  }

  async function sweepPlace(place: Place, report: HealthReport): Promise<void> {
    const at = now();
    const listed = await listPlace(o.cloudIn(place.account), place, (rows) =>
      lookAtRows(place, rows, at, report),
    );
    report.listingCalls += listed.calls;
    if ('error' in listed) {
      const error = toRequestError(listed.error, place.resource.list.action);
      o.logger?.warn(
        { resource: place.resource.type, account: place.account, regionId: place.regionId, code: error.code },
        'health sweep of a region failed; the next sweep looks again',
      );
      return;
    }
    // Gone only when the whole list was read, and not through the bot.
    const drift = place.resource.drift;
    if (!drift || !listed.complete) return;
    const missing = [...place.requestIds].flatMap(([resourceId, requestId]) =>
      listed.seen.has(resourceId) ? [] : [requestId],
    );
    const removed = removalsByTheBot(o.store);
    const cloud = o.cloudIn(place.account);
    for (const request of await o.store.getMany(missing)) {
      const id = request.cloud.resourceId as string;
      if (!followed(request) || (await removed(request, id))) continue;
      const byId = await lookUp(cloud, place, id);
      report.listingCalls++;
      if (byId === 'gone') report.drifted += await lookAtDrift(request, drift, undefined, at);
      else if (byId) await lookAtRows(place, [byId], at, report);
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
    keepScheduled: (k) =>
      o.intervalMs === undefined
        ? () => {}
        : keepScheduled(k, async () => {
            if (!(await queue.getJobScheduler(HEALTH_ID))) await health.schedule();
          }),
    async sweep() {
      const places = await placesOf(o.store, await o.store.liveIds());
      const report: HealthReport = {
        followed: places.reduce((n, p) => n + p.requestIds.size, 0),
        regions: places.length,
        listingCalls: 0,
        announced: 0,
        drifted: 0,
      };
      await sweepEach(places, o.logger, (place) => sweepPlace(place, report));
      return report;
    },
    start(s = {}) {
      const worker = new Worker<HealthJob>(
        HEALTH_QUEUE,
        async () => {
          if (o.intervalMs === undefined) return;
          await health.sweepOnce();
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
    async sweepOnce() {
      const ttlMs = Math.min(Math.max(o.intervalMs ?? 0, MIN_LEASE_MS), MAX_LEASE_MS);
      // BullMQ's own connection (ioredis), typed by BullMQ more narrowly than it is.
      const redis = (await queue.client) as unknown as RedisClient;
      return underLease(redis, `${o.prefix}:health:sweeping`, ttlMs, () => health.sweep());
    },
    close: () => queue.close(),
  };
  return health;
}
