/**
 * One region sweep (`sweep.<type>.<region>`, `sweep.<type>.<account>.<region>` in a named account): reads the region's list once, as far as needed to
 * see every watched resource, applies what it saw to each watched request (sweep-outcome.ts), and
 * puts itself back on the queue for when the most recently started request wants its next look.
 */
import { DelayedError, type Job } from 'bullmq';
import { type Resource, resourceOf } from '../resources/index.js';
import { DEFAULT_ACCOUNT_NAME, placeOf } from './accounts.js';
import { eventForState } from './notifications.js';
import { toRequestError } from './request-errors.js';
import { type CloudRow, type ResourceCloud, SWEEP_PAGE_SIZE } from './resource-cloud.js';
import { observeRequest, SWEEP_ACTOR, type SweepOutcomeContext } from './sweep-outcome.js';
import { FINAL_STATES, type ResourceRequest } from './types.js';

export interface SweepJob {
  resource: string;
  regionId: string;
  /** The account the region is swept in; absent in jobs from before accounts: `default`. */
  account?: string;
  /** When the sweep is next due (ms), once it has run: BullMQ keeps no such field of a re-delayed job. */
  dueAt?: number;
}

/** The shortest and the longest time between two looks at a request. */
export interface SweepIntervals {
  /** `POLL_INTERVAL` */
  intervalMs: number;
  /** `POLL_MAX_INTERVAL` */
  maxIntervalMs: number;
}

export interface SweepContext extends SweepOutcomeContext {
  /** The cloud of an account. */
  cloudIn: (account: string) => ResourceCloud;
  intervals: SweepIntervals;
  /** A delay made up to 10 % later, so sweeps of many regions do not fall on the same second. */
  jitter(ms: number): number;
}

/** 20 pages of 50: far beyond Alibaba's default quota of 30 VPN gateways per region. */
const MAX_SWEEP_PAGES = 20;
/** A request is looked at again after this fraction of the time it has waited. */
const AGE_FRACTION = 1 / 8;

/** When a request wants its next look, from how long it has waited. */
export function sweepInterval(ageMs: number, polling: SweepIntervals): number {
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

/**
 * The region's watched requests that still need a look. The others leave the list; a finished one
 * is announced again first: the sweep that finished it may have stopped (a crash, Redis gone)
 * between the write and its announcement, and announcing again is harmless (one job per id).
 */
async function stillWatched(c: SweepContext, type: string, place: string): Promise<ResourceRequest[]> {
  const watched: ResourceRequest[] = [];
  for (const id of await c.store.watched(type, place)) {
    const request = await c.store.get(id);
    if (request && watchedSince(request) !== undefined) {
      watched.push(request);
      continue;
    }
    if (request && FINAL_STATES.has(request.state))
      await c.outbox.emit({ requestId: id, event: eventForState(request), actor: SWEEP_ACTOR });
    const ended = request?.settle?.outcome;
    if (ended === 'settled' || ended === 'unsettled')
      await c.outbox.emit({ requestId: id, event: ended, actor: SWEEP_ACTOR });
    await c.store.unwatch(type, place, id);
  }
  return watched;
}

interface RegionItems {
  byId: Map<string, CloudRow>;
  /** The whole list was read: a resource not in it is not there. */
  complete: boolean;
  requestId?: string;
}

/** The region's list, as far as needed to see every watched resource (or to know one is absent); exported for its test. */
export async function regionItems(
  cloud: ResourceCloud,
  resource: Resource,
  regionId: string,
  wanted: ReadonlySet<string>,
): Promise<RegionItems> {
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
  // A watched resource the whole list did not show is asked for by its id before it counts as gone:
  // the list may have shifted while its pages were read (a row sliding onto a page already read).
  if (complete)
    for (const id of wanted) {
      if (byId.has(id)) continue;
      const item = await cloud.find(resource, regionId, id);
      if (item) byId.set(id, item);
    }
  return { byId, complete, ...(requestId ? { requestId } : {}) };
}

/** The list, or undefined when it could not be read: the sweep is tried again, each request ends at its own time limit. */
async function readRegion(
  c: SweepContext,
  resource: Resource,
  where: { account: string; regionId: string },
  watched: readonly ResourceRequest[],
): Promise<RegionItems | undefined> {
  const { account, regionId } = where;
  try {
    return await regionItems(
      c.cloudIn(account),
      resource,
      regionId,
      new Set(watched.map((r) => r.cloud.resourceId as string)),
    );
  } catch (err) {
    const error = toRequestError(err, resource.list.action);
    c.log?.warn(
      { resource: resource.type, account, regionId, code: error.code, watched: watched.length },
      'region sweep failed; will retry',
    );
    return undefined;
  }
}

/** When the region is next due: when its most recently started request wants a look (none: undefined). */
async function nextDueAt(c: SweepContext, type: string, place: string): Promise<number | undefined> {
  // Every request watched now, including any added while this sweep ran.
  const ages: number[] = [];
  for (const id of await c.store.watched(type, place)) {
    const request = await c.store.get(id);
    const since = request && watchedSince(request);
    if (since !== undefined) ages.push(c.now() - since);
  }
  if (ages.length === 0) return undefined;
  return c.now() + c.jitter(sweepInterval(Math.min(...ages), c.intervals));
}

export async function sweepRegion(
  c: SweepContext,
  job: Job<SweepJob>,
  token: string | undefined,
): Promise<void> {
  const { resource: type, regionId, account = DEFAULT_ACCOUNT_NAME } = job.data;
  const place = placeOf(account, regionId);
  const watched = await stillWatched(c, type, place);
  if (watched.length === 0) return;
  const resource = resourceOf(type);
  const seen = await readRegion(c, resource, { account, regionId }, watched);
  for (const request of watched) {
    const item = seen?.byId.get(request.cloud.resourceId as string);
    const listed = seen !== undefined && (item !== undefined || seen.complete);
    const finished = await observeRequest(c, request, resource, { item, listed, requestId: seen?.requestId });
    if (finished) await c.store.unwatch(type, place, request.id);
  }
  const dueAt = await nextDueAt(c, type, place);
  if (dueAt === undefined) return;
  await job.updateData({ ...job.data, dueAt });
  await job.moveToDelayed(dueAt, token);
  throw new DelayedError();
}
