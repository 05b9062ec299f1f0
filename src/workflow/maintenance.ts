/**
 * Housekeeping jobs on their own queue: the expiry of a request nobody decided, the reminders of a
 * request still waiting (APPROVAL_REMINDER), and the periodic reconciler that repairs what a crash
 * or a lost Redis write left behind (a request without a live job, an expiry that never ran, an
 * announcement that went missing, a reminder that was never scheduled), kept scheduled even when
 * Redis loses its data. Each job is safe to run twice.
 *
 * Reminders are delayed jobs, not a pass of the reconciler: each is due at its own time (submission
 * + n × interval) rather than at the reconciler's next minute, costs nothing while it waits, and
 * survives any worker's restart in Redis. Job `<request>.remind.<n>` posts reminder n (notification
 * `<request>.reminder.<n>`) and schedules n + 1; both ids are deterministic, so however many
 * workers run, and whatever runs twice, there is one reminder per interval.
 */
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import { expiryJobId, provisionJobId, RECONCILER_ID, reminderJobId } from './job-ids.js';
import { eventForState, type NotificationOutbox } from './notifications.js';
import { enqueueProvisioning, type ProvisionJob } from './provisioner.js';
import type { RequestStore } from './store.js';
import { decideExpiry } from './transitions.js';
import { ACTIVE_STATES, type RequestState, type ResourceRequest } from './types.js';
import type { Watcher } from './watcher.js';
import { workerLockSettings } from './worker-locks.js';

/** A finished request's state as a sentence says it (`npm run redrive`). */
const FINAL_STATE_WORDS: Partial<Record<RequestState, string>> = {
  succeeded: 'has succeeded',
  failed: 'has failed',
  rejected: 'was rejected',
  cancelled: 'was cancelled',
  expired: 'has expired',
};

export const MAINTENANCE_QUEUE = 'maintenance';

export type MaintenanceJob =
  | { type: 'expire'; requestId: string }
  | { type: 'remind'; requestId: string; n: number }
  | { type: 'reconcile' };

export function maintenanceQueue(connection: ConnectionOptions, prefix: string): Queue<MaintenanceJob> {
  return new Queue<MaintenanceJob>(MAINTENANCE_QUEUE, { connection, prefix });
}

const KEEP = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };

export async function enqueueExpiry(queue: Queue<MaintenanceJob>, request: ResourceRequest, now: number) {
  await queue.add(
    'expire',
    { type: 'expire', requestId: request.id },
    { jobId: expiryJobId(request.id), delay: Math.max(0, request.expiresAt - now), attempts: 5, ...KEEP },
  );
}

/**
 * Schedules reminder `n` of a pending request, due `n` intervals after its submission; nothing when
 * that falls at or after its expiry. Returns whether one is due.
 */
async function enqueueReminder(
  queue: Queue<MaintenanceJob>,
  request: Pick<ResourceRequest, 'id' | 'createdAt' | 'expiresAt'>,
  n: number,
  everyMs: number,
  now: number,
): Promise<boolean> {
  const due = request.createdAt + n * everyMs;
  if (due >= request.expiresAt) return false;
  await queue.add(
    'remind',
    { type: 'remind', requestId: request.id, n },
    { jobId: reminderJobId(request.id, n), delay: Math.max(0, due - now), attempts: 5, ...KEEP },
  );
  return true;
}

export function enqueueFirstReminder(
  queue: Queue<MaintenanceJob>,
  request: ResourceRequest,
  everyMs: number,
  now: number,
): Promise<boolean> {
  return enqueueReminder(queue, request, 1, everyMs, now);
}

/** Runs the reconciler every `everyMs`; one schedule per queue, however many processes start. */
export async function scheduleReconciler(queue: Queue<MaintenanceJob>, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    RECONCILER_ID,
    { every: everyMs },
    { name: RECONCILER_ID, data: { type: 'reconcile' } },
  );
}

export interface KeepScheduledOptions {
  /** The connection whose `ready` event says Redis is back (after a restart, a failover). */
  connection: {
    on(event: 'ready', listener: () => void): unknown;
    off(event: 'ready', listener: () => void): unknown;
  };
  everyMs: number;
  /**
   * How often to check that the schedule is still there without a reconnect (a flush, a failover
   * to a replica that had not received it).
   * @defaultValue 5 minutes
   */
  checkEveryMs?: number;
  onError?: (err: unknown) => void;
  /** Told each time the schedule had gone and was made again. */
  onRestored?: (cause: 'reconnect' | 'check') => void;
}

/**
 * Keeps the reconciler scheduled. Its schedule is a few Redis keys: a Redis that comes back empty
 * (restarted without persistence, a failover to a replica that lagged) has lost it, and with it
 * the one safety net of every request created afterwards. So the schedule is made again whenever
 * the connection becomes ready and at `checkEveryMs`, each time only if it is missing (remaking
 * one that exists would move its next run). Returns a function that stops it.
 */
export function keepReconcilerScheduled(queue: Queue<MaintenanceJob>, o: KeepScheduledOptions): () => void {
  let busy = false;
  const ensure = async (cause: 'reconnect' | 'check') => {
    // A reconnect during a check (or the reverse) needs no second look.
    if (busy) return;
    busy = true;
    try {
      if (await queue.getJobScheduler(RECONCILER_ID)) return;
      await scheduleReconciler(queue, o.everyMs);
      o.onRestored?.(cause);
    } catch (err) {
      o.onError?.(err);
    } finally {
      busy = false;
    }
  };
  const onReady = () => void ensure('reconnect');
  o.connection.on('ready', onReady);
  const timer = setInterval(() => void ensure('check'), o.checkEveryMs ?? 5 * 60_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    o.connection.off('ready', onReady);
  };
}

export interface ReconcileReport {
  requeued: string[];
  expired: string[];
  renotified: number;
  /** Pending requests whose next reminder was missing and is scheduled again. */
  reminders: string[];
}

export interface MaintenanceOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  outbox: NotificationOutbox;
  provisionQueue: Queue<ProvisionJob>;
  maintenanceQueue: Queue<MaintenanceJob>;
  watcher: Pick<Watcher, 'isWatched' | 'watch'>;
  /**
   * APPROVAL_REMINDER: the interval at which a pending request is re-announced.
   * @defaultValue off
   */
  reminderEveryMs?: number;
  /**
   * A request written at least this long ago is announced again if its message was lost.
   * @defaultValue 30 000 ms
   */
  renotifyAfterMs?: number;
  now?: () => number;
  onReconciled?: (report: ReconcileReport) => void;
}

export interface MaintenanceWorkerOptions {
  /** How soon a job of a worker that died is taken over (BullMQ lock and stall check). */
  lockDurationMs?: number;
  onError?: (err: unknown, job?: Job<MaintenanceJob>) => void;
}

const ACTOR = 'system:maintenance';
/** A request written this long ago at most is announced again if its message was lost. */
const RENOTIFY_WITHIN_MS = 3_600_000;

/** When the write of the request's state was made: its final state's, or (a request on its way) its last. */
function stateWrittenAt(request: ResourceRequest): number {
  return request.finishedAt ?? request.updatedAt;
}

export function createMaintenance(options: MaintenanceOptions) {
  const now = options.now ?? Date.now;
  const { store, outbox } = options;
  const renotifyAfter = options.renotifyAfterMs ?? 30_000;

  async function expire(requestId: string): Promise<boolean> {
    const result = await store.update(requestId, ACTOR, 'expired', (current) => decideExpiry(current, now()));
    if (result.ok) await outbox.emit({ requestId, event: 'expired', actor: ACTOR });
    return result.ok;
  }

  /**
   * Reminder `n` of a request, if it is still waiting; then the next one. A job that runs late (every
   * worker was down) reminds once, for the interval it runs in, rather than once per missed one.
   */
  async function remind(requestId: string, n: number): Promise<boolean> {
    const every = options.reminderEveryMs;
    const request = await store.get(requestId);
    // Nothing after a decision, nor after the approval window closed.
    if (!every || request?.state !== 'pending_approval') return false;
    const t = now();
    if (t >= request.expiresAt) return false;
    // Never below n: a worker whose clock is a little behind still posts the reminder it was given.
    const current = Math.max(n, Math.floor((t - request.createdAt) / every));
    await outbox.emit({ requestId, event: 'reminder', seq: current, actor: ACTOR });
    await store.appendAudit({
      requestId,
      at: t,
      actor: ACTOR,
      action: 'reminded',
      from: request.state,
      details: { reminder: current },
    });
    await enqueueReminder(options.maintenanceQueue, request, current + 1, every, t);
    return true;
  }

  /**
   * Schedules the next reminder of every pending request that has none: after a loss of Redis
   * data, after a reminder job gave up, or for requests made before APPROVAL_REMINDER was set.
   */
  async function ensureReminders(t: number): Promise<string[]> {
    const every = options.reminderEveryMs;
    if (!every) return [];
    const scheduled: string[] = [];
    for (const id of await store.pendingIds()) {
      const request = await store.get(id);
      if (request?.state !== 'pending_approval') continue;
      const next = Math.floor((t - request.createdAt) / every) + 1;
      if (await options.maintenanceQueue.getJob(reminderJobId(id, next))) continue;
      if (await enqueueReminder(options.maintenanceQueue, request, next, every, t)) scheduled.push(id);
    }
    return scheduled;
  }

  async function ensureJob<T>(queue: Queue<T>, jobId: string, add: () => Promise<void>): Promise<boolean> {
    const job = await queue.getJob(jobId);
    if (!job) {
      await add();
      return true;
    }
    const state = await job.getState();
    if (state === 'failed') {
      await job.retry('failed');
      return true;
    }
    if (state === 'completed') {
      await job.remove();
      await add();
      return true;
    }
    return false;
  }

  /** A provisioning resource is looked after by its region's sweep, not by its own job. */
  async function beingWatched(id: string): Promise<boolean> {
    const request = await store.get(id);
    return request?.state === 'provisioning' && (await options.watcher.isWatched(request));
  }

  /** Finds requests left without a live job, expired ones, and announcements that went missing. */
  async function reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { requeued: [], expired: [], renotified: 0, reminders: [] };
    for (const id of await store.activeIds()) {
      if (await beingWatched(id)) continue;
      const settling = await store.get(id);
      if (settling?.state === 'succeeded') {
        // Watched on after success (tunnels): only its region's sweep looks after it.
        if (!(await options.watcher.isWatched(settling))) {
          await options.watcher.watch(settling);
          report.requeued.push(id);
        }
        continue;
      }
      if (
        await ensureJob(options.provisionQueue, provisionJobId(id), () =>
          enqueueProvisioning(options.provisionQueue, id),
        )
      ) {
        report.requeued.push(id);
      }
    }
    for (const id of await store.expiredPendingIds(now())) {
      if (await expire(id)) report.expired.push(id);
    }
    // A crash between a state write and its announcement is repaired here; the notification's
    // deterministic job id makes this a no-op when the announcement was already made.
    const t = now();
    const since = t - RENOTIFY_WITHIN_MS;
    for (const id of await store.updatedBetween(since, t - renotifyAfter)) {
      const request = await store.get(id);
      if (!request) continue;
      // Each announcement only within the hour of its own write: a later write (a health or drift
      // look, the settle window's end) is not that write, and the announcement's job may be long
      // gone, so announcing it again would post it twice.
      const settled = request.settle?.outcome;
      const events = [
        ...(stateWrittenAt(request) >= since ? [eventForState(request)] : []),
        ...((settled === 'settled' || settled === 'unsettled') && (request.settle?.at ?? 0) >= since
          ? [settled]
          : []),
      ];
      for (const event of events) await outbox.emit({ requestId: id, event });
      if (events.length > 0) report.renotified++;
    }
    report.reminders = await ensureReminders(now());
    options.onReconciled?.(report);
    return report;
  }

  /**
   * Drives one request on, as the reconciler would: a live job for an active request, the
   * request message for a pending one, the announcement of a final one. Returns what it did.
   */
  async function redrive(requestId: string): Promise<string> {
    const request = await store.get(requestId);
    if (!request) return `no request ${requestId}`;
    if (ACTIVE_STATES.has(request.state)) {
      const added = await ensureJob(options.provisionQueue, provisionJobId(requestId), () =>
        enqueueProvisioning(options.provisionQueue, requestId),
      );
      return added
        ? `re-enqueued provisioning of ${requestId} (${request.state})`
        : `${requestId} already has a live job (${request.state})`;
    }
    if (request.state === 'pending_approval') {
      await outbox.emit({ requestId, event: 'submitted' });
      return `${requestId} is waiting for approval; its request message was re-announced if it was missing`;
    }
    await outbox.emit({ requestId, event: eventForState(request) });
    return `${requestId} ${FINAL_STATE_WORDS[request.state] ?? `is ${request.state}`}; its final message was re-announced if it was missing`;
  }

  function start(w: MaintenanceWorkerOptions = {}): Worker<MaintenanceJob> {
    const worker = new Worker<MaintenanceJob>(
      MAINTENANCE_QUEUE,
      async (job) => {
        const data = job.data;
        if (data.type === 'expire') {
          await expire(data.requestId);
          return;
        }
        if (data.type === 'remind') {
          await remind(data.requestId, data.n);
          return;
        }
        await reconcile();
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 4,
        ...(w.lockDurationMs ? workerLockSettings(w.lockDurationMs) : {}),
        // Expiring, reminding and reconciling are safe to repeat: a job whose worker died runs again.
        maxStalledCount: 1_000,
      },
    );
    worker.on('failed', (job, err) => w.onError?.(err, job));
    worker.on('error', (err) => w.onError?.(err));
    return worker;
  }

  return { expire, remind, reconcile, redrive, start };
}
