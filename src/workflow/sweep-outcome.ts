/**
 * What one region sweep makes of one watched request, from the row the region's list holds for
 * its resource (or the list's word that there is none): a create ready or needing attention, a
 * delete done, a success whose resource settled (or whose window ended), a request out of time,
 * or a progress message. Each is written to the request before it is announced.
 */
import type { Logger } from '../observability/logger.js';
import type { Observation, RegionSweep, Resource } from '../resources/index.js';
import type { NotificationOutbox } from './notifications.js';
import { deleteTimeoutError, timeoutError } from './request-errors.js';
import type { CloudRow } from './resource-cloud.js';
import type { RequestStore } from './store.js';
import { failRequest, type Observed, recordObservation, recordSettle } from './transitions.js';
import type { ResourceRequest, SettleOutcome } from './types.js';

export const SWEEP_ACTOR = 'system:worker';

/** What deciding a request's outcome needs; the watcher makes it once. */
export interface SweepOutcomeContext {
  store: RequestStore;
  outbox: NotificationOutbox;
  now: () => number;
  /** Give-up time after the create or delete call (`PROVISION_TIMEOUT`). */
  provisionTimeoutMs: number;
  /** How often a "still provisioning" message is posted. */
  progressEveryMs: number;
  /** How long a resource that settles later is watched after success (`CONNECTION_WATCH`). */
  settleWindowMs: number;
  log?: Pick<Logger, 'info' | 'warn'> | undefined;
}

/** One request's row in its region's list, as far as the sweep saw it. */
export interface SweepSight {
  /** The resource's row, when the list showed it. */
  item: CloudRow | undefined;
  /** True when the list was read far enough to know: the row is there, or the whole list was read. */
  listed: boolean;
  /** The cloud's request id of the list call, for the record. */
  requestId: string | undefined;
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

/** How the declaration watches what this request does: a create's resource, or a key rotation's change. */
function watchOf(request: ResourceRequest, resource: Resource): RegionSweep | undefined {
  return request.operation === 'rotate_key' ? resource.rotateKey?.watch : resource.watch;
}

/** The request ran out of time (`PROVISION_TIMEOUT`): it fails, saying what to look at. */
async function timeOut(
  c: SweepOutcomeContext,
  request: ResourceRequest,
  resource: Resource,
  elapsed: number,
): Promise<void> {
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
          hint: watchOf(request, resource)?.timeoutHint(resourceId, request.params.RegionId) ?? {
            en: '',
            'zh-CN': '',
          },
        });
  c.log?.warn({ requestId: request.id, resourceId, code: error.code }, 'request failed');
  const result = await c.store.update(request.id, SWEEP_ACTOR, 'failed', (current) =>
    failRequest(current, 'provisioning', error, c.now()),
  );
  if (result.ok) await c.outbox.emit({ requestId: request.id, event: 'failed', actor: SWEEP_ACTOR });
}

/**
 * After success: the resource settled, or its window ended, or it is gone (deleted meanwhile:
 * nothing to say about its tunnels), or nothing yet. Says whether the watch is finished.
 */
async function settle(
  c: SweepOutcomeContext,
  request: ResourceRequest,
  resource: Resource,
  { item, listed }: SweepSight,
): Promise<boolean> {
  const spec = resource.settle;
  if (!spec || !request.settle) return true;
  const seen = item ? spec.observe(item) : undefined;
  const outcome: SettleOutcome | undefined = seen?.settled
    ? 'settled'
    : listed && !item
      ? 'gone'
      : c.now() >= request.settle.until
        ? 'unsettled'
        : undefined;
  const result = await c.store.update(request.id, SWEEP_ACTOR, outcome ?? 'settle_seen', (current) =>
    recordSettle(current, outcome, seen?.facts ?? {}, c.now()),
  );
  if (result.ok && outcome) {
    c.log?.info(
      { requestId: request.id, resourceId: request.cloud.resourceId, outcome },
      'watch after success ended',
    );
    if (outcome !== 'gone')
      await c.outbox.emit({ requestId: request.id, event: outcome, actor: SWEEP_ACTOR });
  }
  return result.request.settle?.outcome !== undefined || result.request.state !== 'succeeded';
}

/** Applies what a sweep saw of one request and says whether the request needs no more sweeps. */
export async function observeRequest(
  c: SweepOutcomeContext,
  request: ResourceRequest,
  resource: Resource,
  sight: SweepSight,
): Promise<boolean> {
  if (request.state === 'succeeded') return settle(c, request, resource, sight);
  const { item, listed, requestId } = sight;
  const elapsed = c.now() - (request.provisioningStartedAt ?? request.updatedAt);
  const watch = watchOf(request, resource);
  const seen =
    request.operation === 'delete'
      ? deletionSeen(item, listed, requestId)
      : item && watch
        ? toObserved(watch.observe(item), requestId)
        : undefined;
  if (seen) {
    const settleUntil =
      resource.settle && request.operation === 'create' ? c.now() + c.settleWindowMs : undefined;
    const result = await c.store.update(request.id, SWEEP_ACTOR, 'status_seen', (current) =>
      recordObservation(current, seen, c.now(), settleUntil),
    );
    if (result.ok && result.request.state === 'succeeded') {
      c.log?.info({ requestId: request.id, resourceId: request.cloud.resourceId }, 'resource ready');
      await c.outbox.emit({ requestId: request.id, event: 'succeeded', actor: SWEEP_ACTOR });
      // What settles later may have settled already (tunnels up before the first look).
      return result.request.settle ? settle(c, result.request, resource, sight) : true;
    }
    if (result.ok && seen.attention && seen.attention !== result.previous.cloud.attention)
      await c.outbox.emit({ requestId: request.id, event: 'attention', actor: SWEEP_ACTOR });
    if (!result.ok && 'skipped' in result && result.request.state !== 'provisioning') return true;
  }
  if (elapsed > c.provisionTimeoutMs) {
    await timeOut(c, request, resource, elapsed);
    return true;
  }
  const milestone = Math.floor(elapsed / c.progressEveryMs);
  if (milestone >= 1)
    await c.outbox.emit({ requestId: request.id, event: 'progress', seq: milestone, actor: SWEEP_ACTOR });
  return false;
}
