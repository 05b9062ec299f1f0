/**
 * APPROVAL_REMINDER on real Redis: a pending request is re-announced once per interval, at the
 * interval, however many workers share the queue; nothing after a decision or past the expiry; a
 * reminder due while every worker is down comes when one is back; the reconciler schedules the
 * reminders of a request made while they were off.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reminderJobId } from '../../src/workflow/job-ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { type HarnessOptions, type RecordingNotifier, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('remind');
let sim: TestSimulator;
type Harness = ReturnType<typeof startWorkflowHarness>;
const open: Harness[] = [];

/** A workflow system with its own workers on the file's Redis prefix (several may share it). */
function system(o: Partial<HarnessOptions> = {}): Harness {
  const h = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, ...o });
  open.push(h);
  return h;
}

async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}

beforeAll(async () => {
  sim = await startTestSimulator({ accessKeyId: 'wf-key', accessKeySecret: 'wf-secret-value' });
});
afterEach(closeAll);
afterAll(async () => {
  await sim.close();
  await t.cleanup();
});

interface Reminder {
  seq: number;
  /** When it was emitted, and when a notifier delivered it. */
  emittedAt: number;
  deliveredAt: number;
}

function reminders(notifiers: RecordingNotifier[], requestId: string): Reminder[] {
  return notifiers
    .flatMap((n) => n.delivered)
    .filter((d) => d.notification.requestId === requestId && d.notification.event === 'reminder')
    .map((d) => ({ seq: d.notification.seq ?? -1, emittedAt: d.notification.at, deliveredAt: d.at }))
    .sort((a, b) => a.seq - b.seq);
}

const seqs = (list: Reminder[]) => list.map((r) => r.seq);

describe('approval reminders', () => {
  it('come once per interval, at the interval, with two workers, and stop at the expiry', async () => {
    const every = 1_500;
    // Reminders 1, 2 and 3 fall inside the window; a fourth would be due at the expiry itself.
    const options = { reminderEveryMs: every, approvalTtlMs: 4 * every };
    const a = system(options);
    const b = system(options);
    await Promise.all([a.started, b.started]);
    const request = await a.submitCustomer('47.70.0.1');
    const notifiers = [a.notifier, b.notifier];

    await expect.poll(() => seqs(reminders(notifiers, request.id)), { timeout: 20_000 }).toEqual([1, 2, 3]);
    for (const r of reminders(notifiers, request.id)) {
      // Never early: reminder n is due n intervals after the submission.
      expect(r.emittedAt).toBeGreaterThanOrEqual(request.createdAt + r.seq * every);
    }
    await a.waitFor(request.id, (r) => r.state === 'expired', 20_000);
    await expect
      .poll(() => notifiers.flatMap((n) => n.events(request.id)).includes('expired'), { timeout: 10_000 })
      .toBe(true);
    // A while past the expiry: still exactly the three, each delivered once.
    await new Promise((resolve) => setTimeout(resolve, every));
    expect(seqs(reminders(notifiers, request.id))).toEqual([1, 2, 3]);
    const trail = await a.store.auditTrail(request.id);
    expect(trail.filter((e) => e.action === 'reminded').map((e) => e.details?.reminder)).toEqual([1, 2, 3]);
  }, 60_000);

  it('stop once the request is approved', async () => {
    const every = 1_000;
    const a = system({ reminderEveryMs: every });
    const b = system({ reminderEveryMs: every });
    await Promise.all([a.started, b.started]);
    const notifiers = [a.notifier, b.notifier];
    const request = await a.submitCustomer('47.70.0.2');
    await expect.poll(() => seqs(reminders(notifiers, request.id)), { timeout: 15_000 }).toContain(1);
    expect((await a.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
    const approvedAt = Date.now();
    const before = reminders(notifiers, request.id).length;

    await a.waitFor(request.id, (r) => r.state === 'succeeded', 20_000);
    // Three more intervals: a reminder would have come by now.
    await new Promise((resolve) => setTimeout(resolve, 3 * every));
    const after = reminders(notifiers, request.id);
    expect(after).toHaveLength(before);
    expect(after.every((r) => r.deliveredAt <= approvedAt)).toBe(true);
    // Every reminder was shown while the request was still waiting.
    const shown = notifiers
      .flatMap((n) => n.delivered)
      .filter((d) => d.notification.requestId === request.id && d.notification.event === 'reminder');
    expect(shown.every((d) => d.state === 'pending_approval')).toBe(true);
  }, 60_000);

  it('survive a restart of every worker: a reminder due meanwhile comes when one is back, once', async () => {
    const every = 2_000;
    const first = system({ reminderEveryMs: every });
    await first.started;
    const request: ResourceRequest = await first.submitCustomer('47.70.0.3');
    await expect.poll(() => seqs(reminders([first.notifier], request.id)), { timeout: 15_000 }).toEqual([1]);
    await closeAll();

    // Reminder 2 falls due while no worker runs.
    const due = request.createdAt + 2 * every;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()) + 200));
    const back = system({ reminderEveryMs: every });
    await back.started;
    await expect
      .poll(() => reminders([back.notifier], request.id).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const later = reminders([back.notifier], request.id);
    expect(later[0]?.seq).toBeGreaterThanOrEqual(2);
    expect(new Set(seqs(later)).size).toBe(later.length);
    expect((await back.workflow.cancel(request.id, { userId: 'U0ASKER' })).ok).toBe(true);
  }, 60_000);

  it('are scheduled by the reconciler for a request made while they were off', async () => {
    const off = system({ workers: false });
    const request = await off.submitCustomer('47.70.0.4');
    const on = system({ reminderEveryMs: 1_000 });
    await on.started;
    // (The reconciler's own schedule may have run first; either way one pass has scheduled it.)
    await on.housekeeping.reconcile();
    expect(await on.system.queues.maintenance.getJob(reminderJobId(request.id, 1))).toBeDefined();
    // Another pass finds it there and schedules nothing twice.
    expect((await on.housekeeping.reconcile()).reminders).not.toContain(request.id);
    await expect.poll(() => seqs(reminders([on.notifier], request.id)), { timeout: 15_000 }).toContain(1);
    expect((await on.workflow.cancel(request.id, { userId: 'U0ASKER' })).ok).toBe(true);
  }, 60_000);
});
