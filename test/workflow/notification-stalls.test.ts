/**
 * A notification whose worker dies mid-delivery, again and again, is still delivered: BullMQ fails
 * a job that stalls more often than its worker's maxStalledCount (1 by default), which would lose
 * the announcement for good. Each worker here takes the request's `submitted` notification, hangs
 * in the delivery and is closed without waiting for it, as a killed process leaves it: its lock
 * expires and the next worker's stall check takes the job back.
 */
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification, Notifier } from '../../src/workflow/notifications.js';
import { startNotificationWorker } from '../../src/workflow/notifications.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { RecordingNotifier, SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('notification-stalls');
const LOCK_MS = 300;
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY });
  // No workers of the harness: the test runs the notification workers itself.
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, workers: false });
});
afterAll(async () => {
  await harness.close();
  await sim.close();
  await t.cleanup();
});

function worker(notifier: Notifier, errors: unknown[]): Worker<Notification> {
  return startNotificationWorker({
    connection: t.redis,
    prefix: t.prefix,
    store: harness.store,
    notifier,
    lockDurationMs: LOCK_MS,
    onError: (err) => errors.push(err),
  });
}

/** A worker whose delivery never ends, closed as soon as it has started one. */
async function dieMidDelivery(errors: unknown[]): Promise<void> {
  let started!: () => void;
  const delivering = new Promise<void>((resolve) => {
    started = resolve;
  });
  const hung = worker(
    {
      deliver: () => {
        started();
        return new Promise(() => {});
      },
    },
    errors,
  );
  await delivering;
  await hung.close(true);
}

describe('a notification whose worker dies during its delivery', () => {
  it('is delivered once by the next worker however many times it stalled', async () => {
    const errors: unknown[] = [];
    const request = await harness.submitCustomer('47.31.0.1');
    for (let death = 0; death < 3; death++) await dieMidDelivery(errors);

    const notifier = new RecordingNotifier();
    const sound = worker(notifier, errors);
    try {
      await expect.poll(() => notifier.events(request.id), { timeout: 15_000 }).toEqual(['submitted']);
      // The delivery knows an earlier try may have shown the message, and looks before posting.
      expect(notifier.delivered[0]?.attempt).toBeGreaterThan(0);
      expect(errors.map(String)).toEqual([]);
      // Completed once the delivery has returned (the worker records it a moment after).
      const job = await harness.system.queues.notify.getJob(`${request.id}.submitted`);
      await expect.poll(() => job?.getState(), { timeout: 5_000 }).toBe('completed');
      expect(notifier.events(request.id)).toEqual(['submitted']);
    } finally {
      await sound.close();
    }
  }, 30_000);
});
