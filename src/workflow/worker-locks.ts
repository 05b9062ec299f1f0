/**
 * How a worker holds a job, and how soon the job of a worker that died is taken over: the BullMQ
 * settings every queue worker gets from one lock duration (WORKER_LOCK_DURATION, L).
 *
 * A worker holds each running job by a lock in Redis that lives L. BullMQ's lock timer ticks every
 * lockRenewTime / 2 and extends the locks last extended more than lockRenewTime / 2 ago, so a lock
 * is extended at the latest lockRenewTime after its last extension. With lockRenewTime = L / 4 a
 * live worker's lock always has 3/4 L left when it is extended: only a process stalled (event loop
 * blocked, frozen, cut off from Redis) for more than 3/4 L loses a job it is running. BullMQ's own
 * default (L / 2) would leave half of L.
 *
 * A job is taken over by the stall check (every stalledInterval, one check per queue across all
 * processes): a check marks every running job, and the next check moves a marked job back to the
 * queue if its lock is gone — never while it is held. With stalledInterval = L / 5, the job of a
 * worker that died is taken again at most L + L / 5 after the death, whichever process (the
 * restarted one included) checks first.
 */
export interface WorkerLockSettings {
  lockDuration: number;
  lockRenewTime: number;
  stalledInterval: number;
}

export function workerLockSettings(lockDurationMs: number): WorkerLockSettings {
  return {
    lockDuration: lockDurationMs,
    lockRenewTime: Math.max(1, Math.floor(lockDurationMs / 4)),
    stalledInterval: Math.max(1, Math.floor(lockDurationMs / 5)),
  };
}
