/**
 * The provisioning steps of one request, each resumable from the state written before it:
 * `approved` (the last checks before anything is sent), `creating` (the create or delete call,
 * retried with the same ClientToken when the error allows) and the hand-over to the region sweep.
 */
import { DelayedError, type Job } from 'bullmq';
import { PacingDeferredError } from '../cloud/rate-limiter.js';
import type { Logger } from '../observability/logger.js';
import { type CloudItem, type Resource, resourceOf, toApiParams } from '../resources/index.js';
import type { NotificationOutbox } from './notifications.js';
import type { RunPreflight } from './preflight.js';
import { backoffDelay, type ProvisionJob, RETURN_PRIORITY } from './provision-job.js';
import { approvedAsStored, openSecrets, withoutSecrets } from './provision-secrets.js';
import { toRequestError, workflowError } from './request-errors.js';
import type { ResourceCloud } from './resource-cloud.js';
import type { SecretBox } from './secrets.js';
import type { RequestStore } from './store.js';
import {
  type Created,
  failRequest,
  recordAdopted,
  recordCreated,
  recordQueued,
  startCreating,
} from './transitions.js';
import type { Operation, RequestError, RequestState, ResourceRequest } from './types.js';
import type { Watcher } from './watcher.js';

export const PROVISION_ACTOR = 'system:worker';

/** What the steps need; the provisioner makes it once. */
export interface ProvisionContext {
  store: RequestStore;
  /** The cloud of an account. */
  cloudIn: (account: string) => ResourceCloud;
  outbox: NotificationOutbox;
  watcher: Watcher;
  preflight: RunPreflight;
  secrets: SecretBox | undefined;
  /**
   * The create or delete call must have answered within this long after it was first sent
   * (`PROVISION_TIMEOUT`); a delete's checks must have run within this long after approval.
   */
  provisionTimeoutMs: number;
  /** The backoff cap of create retries (`POLL_MAX_INTERVAL`). */
  maxRetryDelayMs: number;
  now: () => number;
  random: () => number;
  log: Pick<Logger, 'info' | 'warn'> | undefined;
}

/** The job being run, with the token that lets it be moved back to the queue. */
export interface RunningJob {
  job: Job<ProvisionJob>;
  token: string | undefined;
}

const ACTOR = PROVISION_ACTOR;

async function fail(
  c: ProvisionContext,
  request: ResourceRequest,
  from: RequestState,
  error: RequestError,
): Promise<void> {
  c.log?.warn(
    {
      requestId: request.id,
      code: error.code,
      cloudRequestId: error.requestId,
      httpStatus: error.httpStatus,
    },
    'request failed',
  );
  const result = await c.store.update(request.id, ACTOR, 'failed', (current) =>
    failRequest(current, from, error, c.now()),
  );
  if (result.ok) await c.outbox.emit({ requestId: request.id, event: 'failed', actor: ACTOR });
}

/** The job comes back after `delayMs`, ahead of first attempts; the worker slot is free meanwhile. */
async function later(
  c: ProvisionContext,
  { job, token }: RunningJob,
  delayMs: number,
  data: Partial<ProvisionJob> = {},
): Promise<never> {
  await job.updateData({ ...job.data, ...data, retries: job.data.retries + 1 });
  if (job.priority !== RETURN_PRIORITY) await job.changePriority({ priority: RETURN_PRIORITY });
  await job.moveToDelayed(c.now() + delayMs, token);
  throw new DelayedError();
}

const retryDelay = (c: ProvisionContext, job: Job<ProvisionJob>) =>
  backoffDelay(1_000, c.maxRetryDelayMs, job.data.retries, c.random);

/** Step `approved`: the last checks before anything is sent, then `creating`. */
export async function begin(c: ProvisionContext, run: RunningJob, request: ResourceRequest): Promise<void> {
  const secrets = openSecrets(request, c.secrets);
  if (!secrets)
    return fail(c, request, 'approved', workflowError('SecretUnavailable', { requestId: request.id }));
  if (!approvedAsStored(request, secrets, c.secrets))
    return fail(c, request, 'approved', workflowError('ParamsChanged', { requestId: request.id }));
  const resource = resourceOf(request.resource);
  const recheck = await c.preflight(resource, request.params, {
    operation: request.operation,
    account: request.account,
  });
  const unknown = recheck.checks.filter((check) => check.outcome === 'unknown');
  if (recheck.ok && request.operation !== 'create' && unknown.length > 0) {
    // Nothing is deleted on a check that could not run (what depends on it is unknown): try again
    // until the cloud answers, within the time limit.
    const deadline = (request.approvedAt ?? request.updatedAt) + c.provisionTimeoutMs;
    if (c.now() > deadline)
      return fail(c, request, 'approved', {
        ...workflowError('CreateDeadlinePassed', { requestId: request.id }),
        checks: unknown,
      });
    c.log?.warn(
      { requestId: request.id, checks: unknown.map((check) => check.id) },
      'delete checks could not run; retrying',
    );
    return later(c, run, retryDelay(c, run.job));
  }
  if (!recheck.ok) {
    const failed = recheck.checks.filter((check) => check.outcome === 'fail');
    return fail(c, request, 'approved', {
      ...workflowError('PreflightFailed', { requestId: request.id }),
      checks: failed,
    });
  }
  const moved = await c.store.update(request.id, ACTOR, 'creating', startCreating);
  if (moved.ok) await c.outbox.emit({ requestId: request.id, event: 'creating', actor: ACTOR });
  if (moved.request.state !== 'creating') return;
  return create(c, run, moved.request);
}

/** The audit actions of a request's call: accepted, and tried again. */
const CALL_ACTIONS: Readonly<Record<Operation, { done: string; retry: string }>> = {
  create: { done: 'created', retry: 'create_retry' },
  delete: { done: 'deleted', retry: 'delete_retry' },
  rotate_key: { done: 'key_rotated', retry: 'rotate_key_retry' },
  adopt: { done: 'adopted', retry: 'adopt_retry' },
};
const retryAction = (request: ResourceRequest) => CALL_ACTIONS[request.operation].retry;

/**
 * A hold-back this long or longer is said in the thread (once per request), with the number of
 * calls before it, so that nobody is left guessing why nothing happens.
 */
export const QUEUED_NOTICE_MS = 10_000;

/**
 * The call was held back by the bot's own pacing: nothing was sent, so it is neither a failure
 * nor time counted against the limit. It comes back when its slot is due.
 */
async function heldBack(
  c: ProvisionContext,
  run: RunningJob,
  request: ResourceRequest,
  err: PacingDeferredError,
  action: string,
): Promise<void> {
  const { place } = err;
  const { firstCallAt } = run.job.data;
  // After a failed call the time limit runs: the time until the slot is added to it.
  const data = firstCallAt === undefined ? {} : { firstCallAt: firstCallAt + place.slotInMs };
  const details = {
    code: err.code,
    attempt: run.job.data.retries + 1,
    ahead: place.ahead,
    slotInMs: Math.round(place.slotInMs),
  };
  c.log?.info(
    { requestId: request.id, regionId: err.regionId, ...details },
    `${err.action} held back to stay within the rate limit`,
  );
  const queued = {
    ...(err.regionId ? { regionId: err.regionId } : {}),
    ahead: place.ahead,
    sendAt: c.now() + place.slotInMs,
    at: c.now(),
  };
  // Said of the call itself (not of a describe made on the way), with at least one call before it.
  const worthSaying = err.action === action && place.ahead > 0 && place.slotInMs >= QUEUED_NOTICE_MS;
  const said =
    worthSaying && !request.queued
      ? await c.store.update(request.id, ACTOR, retryAction(request), (current) =>
          recordQueued(current, queued, details),
        )
      : undefined;
  // Emitted again while it is recorded (one job per request id): a crash between the two loses nothing.
  if (said?.ok || request.queued)
    await c.outbox.emit({ requestId: request.id, event: 'queued', actor: ACTOR });
  if (!said?.ok)
    await c.store.appendAudit({
      requestId: request.id,
      at: c.now(),
      actor: ACTOR,
      action: retryAction(request),
      details,
    });
  return later(c, run, err.retryAfterMs, data);
}

/**
 * A failed create or delete call: retried with the same ClientToken when the error allows. The
 * first failed call starts the time limit (`sentAt`: when it was sent).
 */
async function retryOrFail(
  c: ProvisionContext,
  run: RunningJob,
  request: ResourceRequest,
  err: unknown,
  call: { action: string; secrets: readonly string[]; sentAt: number },
): Promise<void> {
  if (err instanceof PacingDeferredError) return heldBack(c, run, request, err, call.action);
  const { job } = run;
  // A cloud message may quote what it was sent: a secret parameter never goes further.
  const error = withoutSecrets(toRequestError(err, call.action), call.secrets);
  if (!error.retryable) return fail(c, request, 'creating', error);
  c.log?.warn(
    { requestId: request.id, code: error.code, attempt: job.data.retries + 1 },
    `${call.action} failed; retrying with the same ClientToken`,
  );
  await c.store.appendAudit({
    requestId: request.id,
    at: c.now(),
    actor: ACTOR,
    action: retryAction(request),
    details: {
      code: error.code,
      attempt: job.data.retries + 1,
      ...(error.requestId ? { cloudRequestId: error.requestId } : {}),
    },
  });
  return later(c, run, retryDelay(c, job), { firstCallAt: job.data.firstCallAt ?? call.sentAt });
}

/** The call answered: the id is kept, and the request is done or handed to the region sweep. */
async function called(
  c: ProvisionContext,
  request: ResourceRequest,
  done: Created,
  watched: boolean,
  what: string,
): Promise<void> {
  const saved = await c.store.update(request.id, ACTOR, CALL_ACTIONS[request.operation].done, (current) =>
    recordCreated(current, done, watched, c.now()),
  );
  if (!saved.ok) return;
  c.log?.info({ requestId: request.id, resourceId: done.resourceId, cloudRequestId: done.requestId }, what);
  await c.outbox.emit({ requestId: request.id, event: watched ? 'provisioning' : 'succeeded', actor: ACTOR });
  if (watched) await c.watcher.watch(saved.request);
}

/** The delete call; a resource already gone is the end wanted all the same. */
async function remove(c: ProvisionContext, run: RunningJob, request: ResourceRequest): Promise<void> {
  const resource = resourceOf(request.resource);
  const sentAt = c.now();
  let removed: Awaited<ReturnType<ResourceCloud['remove']>>;
  try {
    removed = await c.cloudIn(request.account).remove(resource, request.params, request.id);
  } catch (err) {
    const action = resource.delete?.action ?? 'delete';
    return retryOrFail(c, run, request, err, { action, secrets: [], sentAt });
  }
  const watched = (resource.delete?.watched ?? false) && !removed.gone;
  // Someone (or a first try whose answer was lost) deleted it already: the end wanted either way.
  const facts: Record<string, string> = removed.gone ? { AlreadyGone: 'true' } : {};
  const target = request.cloud.resourceId ?? '';
  return called(
    c,
    request,
    { resourceId: target, ...(removed.requestId ? { requestId: removed.requestId } : {}), facts },
    watched,
    'resource deletion accepted',
  );
}

/**
 * The key rotation's call: each part's new key derived from the request id (never kept), so a call
 * sent again after a crash carries the very keys of the first, under the same ClientToken.
 */
async function rotateKeys(c: ProvisionContext, run: RunningJob, request: ResourceRequest): Promise<void> {
  const resource = resourceOf(request.resource);
  const box = c.secrets;
  if (!box)
    return fail(c, request, 'creating', workflowError('SecretUnavailable', { requestId: request.id }));
  const sent: string[] = [];
  const keyOf = (part: string) => {
    const key = box.rotatedKey(request.id, part);
    sent.push(key);
    return key;
  };
  const sentAt = c.now();
  let answer: { requestId?: string };
  try {
    answer = await c.cloudIn(request.account).rotateKey(resource, request.params, request.id, keyOf);
  } catch (err) {
    const action = resource.rotateKey?.action ?? 'rotate_key';
    return retryOrFail(c, run, request, err, { action, secrets: sent, sentAt });
  }
  const target = request.cloud.resourceId ?? '';
  return called(
    c,
    request,
    { resourceId: target, ...(answer.requestId ? { requestId: answer.requestId } : {}), facts: {} },
    resource.rotateKey?.watch !== undefined,
    'key rotation accepted',
  );
}

/** What an adoption keeps of the resource as it reads now (transitions.ts, recordAdopted). */
function adoptedAs(resource: Resource, item: CloudItem) {
  const baseline = Object.fromEntries(
    (resource.drift?.attributes ?? []).map((a) => [a.key, a.now(item)] as const),
  );
  return {
    facts: resource.health?.facts(item) ?? {},
    baseline,
    target: (resource.adopt?.describe(item) ?? []).filter((row) => row.value !== ''),
    ...(typeof item.Status === 'string' ? { status: item.Status } : {}),
  };
}

/**
 * An adoption: nothing is sent. The resource is read once more (it may have gone since it was asked
 * for) and recorded as it is now, which drift is measured from afterwards.
 */
async function adopt(c: ProvisionContext, run: RunningJob, request: ResourceRequest): Promise<void> {
  const resource = resourceOf(request.resource);
  const target = request.cloud.resourceId ?? '';
  const sentAt = c.now();
  let item: CloudItem | undefined;
  try {
    item = await c.cloudIn(request.account).find(resource, request.params.RegionId, target);
  } catch (err) {
    return retryOrFail(c, run, request, err, { action: resource.list.action, secrets: [], sentAt });
  }
  if (!item) return fail(c, request, 'creating', workflowError('ResourceGone', { requestId: request.id }));
  const found = item;
  const saved = await c.store.update(request.id, ACTOR, CALL_ACTIONS.adopt.done, (current) =>
    recordAdopted(current, adoptedAs(resource, found), c.now()),
  );
  if (!saved.ok) return;
  c.log?.info({ requestId: request.id, resourceId: target }, 'resource adopted');
  await c.outbox.emit({ requestId: request.id, event: 'succeeded', actor: ACTOR });
}

/**
 * Step `creating`: the create or delete call; what the cloud answers is saved before anything else.
 * Calls that failed are tried again until `PROVISION_TIMEOUT` after the first was sent; time held
 * back by pacing does not count.
 */
export async function create(c: ProvisionContext, run: RunningJob, request: ResourceRequest): Promise<void> {
  const { firstCallAt } = run.job.data;
  if (firstCallAt !== undefined && c.now() > firstCallAt + c.provisionTimeoutMs)
    return fail(c, request, 'creating', workflowError('CreateDeadlinePassed', { requestId: request.id }));
  if (request.operation === 'delete') return remove(c, run, request);
  if (request.operation === 'rotate_key') return rotateKeys(c, run, request);
  if (request.operation === 'adopt') return adopt(c, run, request);
  const resource = resourceOf(request.resource);
  const secrets = openSecrets(request, c.secrets);
  if (!secrets)
    return fail(c, request, 'creating', workflowError('SecretUnavailable', { requestId: request.id }));
  const sentAt = c.now();
  let created: Created;
  try {
    created = await c
      .cloudIn(request.account)
      .create(resource, toApiParams(resource, request.params, secrets), request.id);
  } catch (err) {
    return retryOrFail(c, run, request, err, {
      action: resource.create.action,
      secrets: Object.values(secrets),
      sentAt,
    });
  }
  return called(c, request, created, resource.watch !== undefined, 'resource created');
}
