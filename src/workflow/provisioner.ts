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
import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import type { NotificationOutbox } from './notifications.js';
import type { RunPreflight } from './preflight.js';
import { PROVISION_QUEUE, type ProvisionJob } from './provision-job.js';
import { begin, create, PROVISION_ACTOR, type ProvisionContext, type RunningJob } from './provision-steps.js';
import type { ResourceCloud } from './resource-cloud.js';
import type { SecretBox } from './secrets.js';
import type { RequestStore } from './store.js';
import type { ResourceRequest } from './types.js';
import type { Watcher } from './watcher.js';
import { workerLockSettings } from './worker-locks.js';

export {
  backoffDelay,
  enqueueProvisioning,
  PROVISION_QUEUE,
  type ProvisionJob,
  provisionQueue,
} from './provision-job.js';

export interface ProvisionerOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  /** The cloud of an account. */
  cloudIn: (account: string) => ResourceCloud;
  outbox: NotificationOutbox;
  watcher: Watcher;
  /** The preflight, run again right before the create call. */
  preflight: RunPreflight;
  /** Opens sealed secret parameters; without it a request with secrets fails. */
  secrets?: SecretBox;
  /** A failed create or delete call is tried again until this long after it was first sent (`PROVISION_TIMEOUT`). */
  provisionTimeoutMs: number;
  /** The backoff cap of create retries (`POLL_MAX_INTERVAL`). */
  maxRetryDelayMs: number;
  /** @defaultValue 10 */
  concurrency?: number;
  /**
   * How soon a job of a worker that died is taken over (worker-locks.ts).
   * @defaultValue BullMQ's 30 s lock, checked every 30 s
   */
  lockDurationMs?: number;
  now?: () => number;
  random?: () => number;
  onError?: (err: unknown, job?: Job<ProvisionJob>) => void;
  /** One line per meaningful step, each with the request id. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

function provisionContext(options: ProvisionerOptions): ProvisionContext {
  return {
    store: options.store,
    cloudIn: options.cloudIn,
    outbox: options.outbox,
    watcher: options.watcher,
    preflight: options.preflight,
    secrets: options.secrets,
    provisionTimeoutMs: options.provisionTimeoutMs,
    maxRetryDelayMs: options.maxRetryDelayMs,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    log: options.logger,
  };
}

/** The step the request's state says is next. */
async function step(c: ProvisionContext, run: RunningJob, request: ResourceRequest): Promise<void> {
  switch (request.state) {
    case 'approved':
      return begin(c, run, request);
    case 'creating':
      return create(c, run, request);
    case 'provisioning':
      return c.watcher.watch(request);
    case 'succeeded':
    case 'failed':
      // Re-announce a final state in case a crash came between the write and the emit.
      return c.outbox.emit({ requestId: request.id, event: request.state, actor: PROVISION_ACTOR });
    default:
      return;
  }
}

export function startProvisioner(options: ProvisionerOptions): Worker<ProvisionJob> {
  const c = provisionContext(options);
  const worker = new Worker<ProvisionJob>(
    PROVISION_QUEUE,
    async (job, token) => {
      const request = await c.store.get(job.data.requestId);
      if (request) await step(c, { job, token }, request);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 10,
      ...(options.lockDurationMs ? workerLockSettings(options.lockDurationMs) : {}),
      // Every step is safe to repeat, so a job whose worker died is simply run again.
      maxStalledCount: 1_000,
    },
  );
  worker.on('failed', (job, err) => options.onError?.(err, job));
  worker.on('error', (err) => options.onError?.(err));
  return worker;
}
