/**
 * The provisioning queue and its jobs: one job per approved request (its id made from the
 * request's), taken first time in the order approvals came, and coming back (a create held back
 * by pacing, a retry after a cloud error) ahead of first attempts, after a backoff with jitter.
 */
import { type ConnectionOptions, Queue } from 'bullmq';
import { provisionJobId } from './job-ids.js';

export const PROVISION_QUEUE = 'provision';

export interface ProvisionJob {
  requestId: string;
  /** Cloud retries of the create call so far (for the backoff). */
  retries: number;
  /**
   * When the create or delete call was first sent (not held back by pacing): `PROVISION_TIMEOUT`
   * counts from there. Absent until a sent call has failed.
   */
  firstCallAt?: number;
}

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
export const RETURN_PRIORITY = 0;

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
