/**
 * Replaces a queue worker that has stopped taking jobs.
 *
 * After a Redis failover (a Cluster primary SIGKILLed, most often) a BullMQ worker can be left
 * waiting for the answer to a blocking command that will never come: it still says it is
 * running, its queue holds jobs that are due, and it takes none of them, for good. The request
 * behind such a job would wait forever (a gateway never announced, a message never posted).
 *
 * So each worker is watched from outside: every `checkEveryMs` the queue is asked for its oldest
 * due job (waiting, prioritized, or delayed past its time). When one has been due for `graceMs`
 * and this worker has started no job since it fell due, the worker is replaced by a new one; the
 * old one is closed in the background (running jobs get their time, then the close is forced).
 * Where another process's worker takes the job, nothing is due and nothing happens. A replacement
 * is cheap and safe: jobs are idempotent, and one held by the old worker is taken again once its
 * lock lapses.
 */
import type { Queue, Worker } from 'bullmq';

export interface WatchedWorker<T> {
  /** The worker taking the queue's jobs now. */
  current(): Worker<T>;
  /** Stops watching and closes the current worker (letting running jobs finish). */
  close(): Promise<void>;
}

export interface WorkerWatchOptions<T> {
  queue: Pick<Queue<T>, 'getJobs'>;
  /** Makes a new worker for the queue (the first one, and any replacement). */
  start: () => Worker<T>;
  /** Told of each replacement, with how long the oldest job had been due. */
  onReplaced?: (fresh: Worker<T>, overdueMs: number) => void;
  /** @defaultValue 10 000 ms */
  checkEveryMs?: number;
  /** @defaultValue 30 000 ms */
  graceMs?: number;
  /** How long a replaced worker may take to finish its running jobs. @defaultValue 10 000 ms */
  closeTimeoutMs?: number;
  now?: () => number;
}

/** When the queue's oldest due job fell due (ms), or undefined when none is due. */
export async function oldestDueAt<T>(
  queue: Pick<Queue<T>, 'getJobs'>,
  now: number,
): Promise<number | undefined> {
  // Each list's first job is the next it gives out (a provisioning first attempt waits prioritized).
  const firsts = await Promise.all(
    (['wait', 'prioritized', 'delayed'] as const).map((state) => queue.getJobs([state], 0, 0, true)),
  );
  const dueAt = (job: { timestamp: number; delay?: number } | undefined) =>
    job ? job.timestamp + (job.delay ?? 0) : undefined;
  const times = firsts.map(([job]) => dueAt(job)).filter((t): t is number => t !== undefined && t <= now);
  return times.length ? Math.min(...times) : undefined;
}

export function watchWorker<T>(o: WorkerWatchOptions<T>): WatchedWorker<T> {
  const now = o.now ?? Date.now;
  const graceMs = o.graceMs ?? 30_000;
  const closeTimeoutMs = o.closeTimeoutMs ?? 10_000;
  let worker: Worker<T>;
  let lastStartedJobAt = now();
  let checking = false;
  let closed = false;

  const begin = () => {
    worker = o.start();
    lastStartedJobAt = now();
    worker.on('active', () => {
      lastStartedJobAt = now();
    });
  };
  begin();

  const retire = (old: Worker<T>) => {
    const forced = setTimeout(() => void old.close(true).catch(() => {}), closeTimeoutMs);
    forced.unref();
    void old
      .close()
      .catch(() => old.close(true))
      .catch(() => {})
      .finally(() => clearTimeout(forced));
  };

  const check = async () => {
    if (checking || closed) return;
    checking = true;
    try {
      if (worker.isPaused()) return;
      const t = now();
      const dueAt = await oldestDueAt(o.queue, t);
      if (dueAt === undefined || t - dueAt < graceMs || lastStartedJobAt >= dueAt || closed) return;
      const old = worker;
      begin();
      o.onReplaced?.(worker, t - dueAt);
      retire(old);
    } catch {
      // Redis unreachable: nothing can be judged now; the next check looks again.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), o.checkEveryMs ?? 10_000);
  timer.unref();

  return {
    current: () => worker,
    async close() {
      closed = true;
      clearInterval(timer);
      await worker.close();
    },
  };
}
