/**
 * The notification queue. Each event a requester or approver must see is a job of its own with
 * a deterministic id (`<request>.<event>[.<n>]`), so emitting twice enqueues once, a Slack
 * outage only delays messages, and retrying a message never re-runs a cloud call.
 *
 * The workflow knows nothing of Slack: a `Notifier` (the Slack surface implements one) renders
 * and delivers an event for the current state of the request.
 */
import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import { notificationJobId } from './job-ids.js';
import type { RequestStore } from './store.js';
import { recordMessagePosted } from './transitions.js';
import type { ResourceRequest } from './types.js';
import { workerLockSettings } from './worker-locks.js';

export const NOTIFY_QUEUE = 'notify';

export const NOTIFICATION_EVENTS = [
  'submitted',
  'approval_added',
  /** A pending request re-announced in its thread (APPROVAL_REMINDER), `seq` = which interval. */
  'reminder',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'creating',
  /** The create or delete call waits for its slot under the rate limit (said once, when long). */
  'queued',
  'provisioning',
  'progress',
  'attention',
  'succeeded',
  'failed',
  /** After success, the resource settled (an IPsec connection's tunnels are up). */
  'settled',
  /** After success, the watch window ended before it settled. */
  'unsettled',
  /** For its whole life: a part (a tunnel) went down, `seq` = which change (health.ts). */
  'tunnel_down',
  /** For its whole life: a part is back up, `seq` = which change. */
  'tunnel_up',
  /** The resource differs from what was approved, or is gone from the account, `seq` = which change. */
  'drift',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface Notification {
  requestId: string;
  event: NotificationEvent;
  /** Distinguishes repeated events of one kind (progress, approval_added, reminder). */
  seq?: number;
  at: number;
  actor?: string;
}

export interface DeliveryResult {
  /** The ts of the request message when this delivery posted it, to be stored on the request. */
  messageTs?: string;
}

export interface DeliveryContext {
  /** The notification's job id: stable across retries, so a notifier can find its earlier post. */
  notificationId: string;
  /** 0 on the first try; above 0 an earlier try (failed, stalled or waiting) may have shown the message. */
  attempt: number;
}

export interface Notifier {
  /**
   * Shows one event. Throwing makes the queue retry with backoff; a notifier must therefore make
   * a repeated delivery of the same notification harmless (see `DeliveryContext.attempt`).
   */
  deliver(
    notification: Notification,
    request: ResourceRequest,
    context: DeliveryContext,
  ): Promise<DeliveryResult | undefined>;
}

/** An error a notifier throws to ask for a retry after a given delay (Slack's Retry-After). */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** The event that announces a request's current state, for re-emitting after a crash. */
export function eventForState(request: ResourceRequest): NotificationEvent {
  switch (request.state) {
    case 'pending_approval':
      return 'submitted';
    case 'approved':
      return 'approved';
    case 'creating':
      return 'creating';
    case 'provisioning':
      return 'provisioning';
    default:
      return request.state;
  }
}

export class NotificationOutbox {
  constructor(private readonly queue: Queue<Notification>) {}

  async emit(n: Omit<Notification, 'at'> & { at?: number }): Promise<void> {
    const notification: Notification = { ...n, at: n.at ?? Date.now() };
    await this.queue.add('notify', notification, {
      jobId: notificationJobId(notification),
      // Slack can be down for a long time; keep trying for about a day before giving up.
      attempts: 30,
      backoff: { type: 'capped-exponential' },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }
}

export interface NotificationWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  notifier: Notifier;
  concurrency?: number;
  /** How soon a job of a worker that died is taken over (BullMQ lock and stall check). */
  lockDurationMs?: number;
  onError?: (err: unknown, job?: Job<Notification>) => void;
}

/** Slack's Retry-After when it gave one, else capped exponential delays: 1 s, 2 s, 4 s … 5 min. */
export function notificationBackoff(attemptsMade: number, err?: Error): number {
  if (err instanceof RetryLaterError) return err.retryAfterMs;
  return Math.min(300_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
}

/** Events that come many times, each with its `seq`: no other event waits for them. */
const REPEATED_EVENTS: ReadonlySet<NotificationEvent> = new Set([
  'approval_added',
  'progress',
  'reminder',
  'tunnel_down',
  'tunnel_up',
  'drift',
]);

/** Events that must be shown before this one, in lifecycle order (repeatable ones aside). */
function predecessors(event: NotificationEvent): NotificationEvent[] {
  return NOTIFICATION_EVENTS.slice(0, NOTIFICATION_EVENTS.indexOf(event)).filter(
    (e) => !REPEATED_EVENTS.has(e),
  );
}

const WAITING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const WAIT_FOR_PREDECESSOR_MS = 250;

export function startNotificationWorker(options: NotificationWorkerOptions): Worker<Notification> {
  const queue = new Queue<Notification>(NOTIFY_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
  });
  queue.on('error', (err) => options.onError?.(err));

  /** True while an earlier event of the same request is still to be shown. */
  async function earlierPending(n: Notification, selfId: string | undefined): Promise<boolean> {
    for (const event of predecessors(n.event)) {
      const id = notificationJobId({ requestId: n.requestId, event });
      if (id === selfId) continue;
      const job = await queue.getJob(id);
      if (job && WAITING_STATES.has(await job.getState())) return true;
    }
    return false;
  }

  const worker = new Worker<Notification>(
    NOTIFY_QUEUE,
    async (job, token) => {
      const request = await options.store.get(job.data.requestId);
      if (!request) return;
      // A reminder that waited in the queue past a decision has nothing left to remind of.
      if (job.data.event === 'reminder' && request.state !== 'pending_approval') return;
      // Keep the thread in lifecycle order, and thread messages wait for the request message.
      // Waiting moves the job back to delayed without using up one of its attempts.
      const needsRoot = job.data.event !== 'submitted' && request.messageTs === undefined;
      if (needsRoot || (await earlierPending(job.data, job.id))) {
        await job.moveToDelayed(Date.now() + WAIT_FOR_PREDECESSOR_MS, token);
        throw new DelayedError();
      }
      const result = await options.notifier.deliver(job.data, request, {
        notificationId: job.id ?? notificationJobId(job.data),
        // A worker killed mid-delivery leaves the job stalled, not failed: attemptsMade stays 0, but
        // attemptsStarted counts every start, so a restarted delivery knows to look before posting.
        attempt: Math.max(job.attemptsMade, job.attemptsStarted - 1),
      });
      if (result?.messageTs && request.messageTs === undefined) {
        const messageTs = result.messageTs;
        await options.store.update(request.id, 'system:notifier', 'message_posted', (current) =>
          recordMessagePosted(current, messageTs),
        );
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 4,
      ...(options.lockDurationMs ? workerLockSettings(options.lockDurationMs) : {}),
      // A delivery interrupted by a dying worker is safe to repeat (it looks before posting again),
      // so it is always taken back: BullMQ's default of 1 would fail the job, and lose its
      // announcement, the second time a worker died while delivering it.
      maxStalledCount: 1_000,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          notificationBackoff(attemptsMade, err),
      },
    },
  );
  worker.on('failed', (job, err) => options.onError?.(err, job));
  worker.on('error', (err) => options.onError?.(err));
  worker.on('closed', () => void queue.close());
  return worker;
}

export function notificationQueue(connection: ConnectionOptions, prefix: string): Queue<Notification> {
  return new Queue<Notification>(NOTIFY_QUEUE, { connection, prefix });
}
