/**
 * The provisioning worker: a step machine per request on BullMQ, driven entirely by the request's
 * resource type declaration. The request record's state is the step, written before each move, so
 * a worker killed at any moment resumes where it stopped:
 *
 *   approved  → check the approval hash, run the preflight again (nothing is created or deleted if
 *               the cloud has changed since approval), then `creating`
 *   creating  → the create (or delete) call, with the request id as ClientToken (re-running it
 *               after a crash finds what the first call did instead of doing it again); the id is
 *               saved first
 *   provisioning → handed to the region sweep (watcher.ts) until the resource is ready (or gone)
 *
 * Retries use delayed jobs (`moveToDelayed`), not sleeps, so a worker holds no job while it waits
 * and a restart loses nothing.
 */
import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import { PacingDeferredError } from '../cloud/rate-limiter.js';
import type { Logger } from '../observability/logger.js';
import { redactSecrets } from '../observability/redact.js';
import { paramsHash, resourceOf, toApiParams } from '../resources/index.js';
import { provisionJobId } from './job-ids.js';
import type { NotificationOutbox } from './notifications.js';
import type { RunPreflight } from './preflight.js';
import { toRequestError, workflowError } from './request-errors.js';
import type { ResourceCloud } from './resource-cloud.js';
import type { SecretBox } from './secrets.js';
import type { RequestStore } from './store.js';
import { type Created, failRequest, recordCreated, startCreating } from './transitions.js';
import type { RequestError, RequestState, ResourceRequest } from './types.js';
import type { Watcher } from './watcher.js';

export const PROVISION_QUEUE = 'provision';

export interface ProvisionJob {
  requestId: string;
  /** Cloud retries of the create call so far (for the backoff). */
  retries: number;
}

export interface ProvisionerOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  cloud: ResourceCloud;
  outbox: NotificationOutbox;
  watcher: Watcher;
  /** The preflight, run again right before the create call. */
  preflight: RunPreflight;
  /** Opens sealed secret parameters; without it a request with secrets fails. */
  secrets?: SecretBox;
  /** The create call must have answered within this long after approval (`PROVISION_TIMEOUT`). */
  provisionTimeoutMs: number;
  /** The backoff cap of create retries (`POLL_MAX_INTERVAL`). */
  maxRetryDelayMs: number;
  /** @defaultValue 10 */
  concurrency?: number;
  /**
   * BullMQ lock duration: how soon a crashed worker's job is picked up again.
   * @defaultValue 30 000 ms
   */
  lockDurationMs?: number;
  /**
   * How often BullMQ looks for jobs whose worker died.
   * @defaultValue BullMQ's 30 s
   */
  stalledIntervalMs?: number;
  now?: () => number;
  random?: () => number;
  onError?: (err: unknown, job?: Job<ProvisionJob>) => void;
  /** One line per meaningful step, each with the request id. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

const ACTOR = 'system:worker';

export function provisionQueue(connection: ConnectionOptions, prefix: string): Queue<ProvisionJob> {
  return new Queue<ProvisionJob>(PROVISION_QUEUE, { connection, prefix });
}

/**
 * First attempts wait in BullMQ's prioritized set; a job that comes back (`later`: a create held
 * back by pacing, a retry after a cloud error, a delete whose checks could not run) has no priority
 * and waits in the plain wait list, which BullMQ always empties first. So a create that holds a
 * paced slot is taken at the next free worker slot, instead of queueing behind a burst of first
 * attempts until its slot has passed and it must be held back a second time.
 */
const FIRST_ATTEMPT_PRIORITY = 1;
const RETURN_PRIORITY = 0;

/** Enqueues the provisioning of an approved request; a second call for the same id is a no-op. */
export async function enqueueProvisioning(queue: Queue<ProvisionJob>, requestId: string): Promise<void> {
  await queue.add(
    'provision',
    { requestId, retries: 0 },
    {
      jobId: provisionJobId(requestId),
      priority: FIRST_ATTEMPT_PRIORITY,
      // Unexpected errors (not cloud errors, which the step machine handles) get a few tries.
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 30 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  );
}

/** Exponential backoff with ±20 % jitter, capped. */
export function backoffDelay(baseMs: number, capMs: number, attempt: number, random: () => number): number {
  const raw = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(Math.min(capMs, raw * (0.8 + 0.4 * random())));
}

/** A request error with every given secret value taken out of its texts. */
function withoutSecrets(error: RequestError, secrets: readonly string[]): RequestError {
  if (secrets.length === 0) return error;
  const clean = (t: RequestError['what']) => ({
    en: redactSecrets(t.en, secrets),
    'zh-CN': redactSecrets(t['zh-CN'], secrets),
  });
  return { ...error, what: clean(error.what), todo: clean(error.todo) };
}

export function startProvisioner(options: ProvisionerOptions): Worker<ProvisionJob> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, cloud, outbox, watcher } = options;
  const log = options.logger;

  async function fail(request: ResourceRequest, from: RequestState, error: RequestError): Promise<void> {
    log?.warn(
      {
        requestId: request.id,
        code: error.code,
        cloudRequestId: error.requestId,
        httpStatus: error.httpStatus,
      },
      'request failed',
    );
    const result = await store.update(request.id, ACTOR, 'failed', (current) =>
      failRequest(current, from, error, now()),
    );
    if (result.ok) await outbox.emit({ requestId: request.id, event: 'failed', actor: ACTOR });
  }

  async function later(
    job: Job<ProvisionJob>,
    token: string | undefined,
    delayMs: number,
    data: ProvisionJob,
  ) {
    await job.updateData(data);
    if (job.priority !== RETURN_PRIORITY) await job.changePriority({ priority: RETURN_PRIORITY });
    await job.moveToDelayed(now() + delayMs, token);
    throw new DelayedError();
  }

  /** Secret parameters in clear, for the one call that needs them; undefined when they cannot be opened. */
  function openSecrets(request: ResourceRequest): Record<string, string> | undefined {
    const sealed = request.secrets ?? {};
    if (Object.keys(sealed).length === 0) return {};
    if (!options.secrets) return undefined;
    try {
      return Object.fromEntries(
        Object.entries(sealed).map(([name, value]) => [
          name,
          options.secrets?.open(request.id, name, value) ?? '',
        ]),
      );
    } catch {
      return undefined;
    }
  }

  /** The approval covered exactly these parameters (and secrets); anything else is refused. */
  function approvedAsStored(request: ResourceRequest, secrets: Record<string, string>): boolean {
    const digests = Object.fromEntries(
      Object.entries(secrets).map(([name, value]) => [name, options.secrets?.digest(name, value) ?? '']),
    );
    return paramsHash(request.operation, request.resource, request.params, digests) === request.paramsHash;
  }

  /** Step `approved`: the last checks before anything is sent, then `creating`. */
  async function begin(job: Job<ProvisionJob>, token: string | undefined, request: ResourceRequest) {
    const secrets = openSecrets(request);
    if (!secrets)
      return fail(request, 'approved', workflowError('SecretUnavailable', { requestId: request.id }));
    if (!approvedAsStored(request, secrets))
      return fail(request, 'approved', workflowError('ParamsChanged', { requestId: request.id }));
    const resource = resourceOf(request.resource);
    const recheck = await options.preflight(resource, request.params, undefined, request.operation);
    const unknown = recheck.checks.filter((c) => c.outcome === 'unknown');
    if (recheck.ok && request.operation === 'delete' && unknown.length > 0) {
      // Nothing is deleted on a check that could not run (what depends on it is unknown): try again
      // until the cloud answers, within the time limit.
      const deadline = (request.approvedAt ?? request.updatedAt) + options.provisionTimeoutMs;
      if (now() > deadline)
        return fail(request, 'approved', {
          ...workflowError('CreateDeadlinePassed', { requestId: request.id }),
          checks: unknown,
        });
      log?.warn(
        { requestId: request.id, checks: unknown.map((c) => c.id) },
        'delete checks could not run; retrying',
      );
      return later(job, token, backoffDelay(1_000, options.maxRetryDelayMs, job.data.retries, random), {
        ...job.data,
        retries: job.data.retries + 1,
      });
    }
    if (!recheck.ok) {
      const failed = recheck.checks.filter((c) => c.outcome === 'fail');
      return fail(request, 'approved', {
        ...workflowError('PreflightFailed', { requestId: request.id }),
        checks: failed,
      });
    }
    const moved = await store.update(request.id, ACTOR, 'creating', startCreating);
    if (moved.ok) await outbox.emit({ requestId: request.id, event: 'creating', actor: ACTOR });
    if (moved.request.state !== 'creating') return;
    return create(job, token, moved.request);
  }

  /** A failed create or delete call: retried with the same ClientToken when the error allows. */
  async function retryOrFail(
    job: Job<ProvisionJob>,
    token: string | undefined,
    request: ResourceRequest,
    err: unknown,
    action: string,
    secrets: readonly string[],
  ) {
    // A cloud message may quote what it was sent: a secret parameter never goes further.
    const error = withoutSecrets(toRequestError(err, action), secrets);
    if (!error.retryable) return fail(request, 'creating', error);
    log?.warn(
      { requestId: request.id, code: error.code, attempt: job.data.retries + 1 },
      `${action} failed; retrying with the same ClientToken`,
    );
    await store.appendAudit({
      requestId: request.id,
      at: now(),
      actor: ACTOR,
      action: request.operation === 'delete' ? 'delete_retry' : 'create_retry',
      details: {
        code: error.code,
        attempt: job.data.retries + 1,
        ...(error.requestId ? { cloudRequestId: error.requestId } : {}),
      },
    });
    // Held back by pacing: come back when its slot is due, not after a blind backoff.
    const delay =
      err instanceof PacingDeferredError
        ? err.retryAfterMs
        : backoffDelay(1_000, options.maxRetryDelayMs, job.data.retries, random);
    return later(job, token, delay, { ...job.data, retries: job.data.retries + 1 });
  }

  /** The call answered: the id is kept, and the request is done or handed to the region sweep. */
  async function called(request: ResourceRequest, done: Created, watched: boolean, what: string) {
    const saved = await store.update(
      request.id,
      ACTOR,
      request.operation === 'delete' ? 'deleted' : 'created',
      (current) => recordCreated(current, done, watched, now()),
    );
    if (!saved.ok) return;
    log?.info({ requestId: request.id, resourceId: done.resourceId, cloudRequestId: done.requestId }, what);
    await outbox.emit({ requestId: request.id, event: watched ? 'provisioning' : 'succeeded', actor: ACTOR });
    if (watched) await watcher.watch(saved.request);
  }

  /** Step `creating`: the create or delete call; what the cloud answers is saved before anything else. */
  async function create(job: Job<ProvisionJob>, token: string | undefined, request: ResourceRequest) {
    const deadline = (request.approvedAt ?? request.updatedAt) + options.provisionTimeoutMs;
    if (now() > deadline) {
      return fail(request, 'creating', workflowError('CreateDeadlinePassed', { requestId: request.id }));
    }
    const resource = resourceOf(request.resource);
    if (request.operation === 'delete') {
      const target = request.cloud.resourceId ?? '';
      const action = resource.delete?.action ?? 'delete';
      let removed: Awaited<ReturnType<ResourceCloud['remove']>>;
      try {
        removed = await cloud.remove(resource, request.params, request.id);
      } catch (err) {
        return retryOrFail(job, token, request, err, action, []);
      }
      const watched = (resource.delete?.watched ?? false) && !removed.gone;
      // Someone (or a first try whose answer was lost) deleted it already: the end wanted either way.
      const facts: Record<string, string> = removed.gone ? { AlreadyGone: 'true' } : {};
      return called(
        request,
        { resourceId: target, ...(removed.requestId ? { requestId: removed.requestId } : {}), facts },
        watched,
        'resource deletion accepted',
      );
    }
    const secrets = openSecrets(request);
    if (!secrets)
      return fail(request, 'creating', workflowError('SecretUnavailable', { requestId: request.id }));
    let created: Created;
    try {
      created = await cloud.create(resource, toApiParams(resource, request.params, secrets), request.id);
    } catch (err) {
      return retryOrFail(job, token, request, err, resource.create.action, Object.values(secrets));
    }
    return called(request, created, resource.watch !== undefined, 'resource created');
  }

  const worker = new Worker<ProvisionJob>(
    PROVISION_QUEUE,
    async (job, token) => {
      const request = await store.get(job.data.requestId);
      if (!request) return;
      switch (request.state) {
        case 'approved':
          return begin(job, token, request);
        case 'creating':
          return create(job, token, request);
        case 'provisioning':
          return watcher.watch(request);
        case 'succeeded':
        case 'failed':
          // Re-announce a final state in case a crash came between the write and the emit.
          return outbox.emit({ requestId: request.id, event: request.state, actor: ACTOR });
        default:
          return;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 10,
      lockDuration: options.lockDurationMs ?? 30_000,
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      // Every step is safe to repeat, so a job whose worker died is simply run again.
      maxStalledCount: 1_000,
    },
  );
  worker.on('failed', (job, err) => options.onError?.(err, job));
  worker.on('error', (err) => options.onError?.(err));
  return worker;
}
