/**
 * A job held by a live worker is never taken over, even while the worker's event loop is busy:
 * the holder (a provisioning worker in a process of its own) holds the job for 1.3 locks with its
 * event loop free (so the lock lives only by its renewals), then blocks its event loop for 0.55 of
 * its lock right before the create call, while another process's workers check for stalled jobs
 * all along. Renewed every quarter of the lock, it always has 3/4 of it left, so the job runs once
 * (BullMQ counts one start, no stall) and the cloud sees one create; without renewals the job is
 * lost (the test fails), while BullMQ's default (every half, leaving half the lock at worst) is
 * caught only when the block falls late in a renewal period. And
 * the check can fail: a holder blocked for longer than its whole lock loses the job to the other
 * worker (the request still ends with one gateway, the create's ClientToken being the request id).
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionJobId } from '../../src/workflow/job-ids.js';
import { spawnWorkerFixture } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('busy-holder');
// The lock of the holder that keeps its job: short enough that its connection to the cloud, idle
// through the hold and the block (1.85 locks), is not closed meanwhile by the simulator's
// keep-alive timeout (5 s): a create sent on a closed connection fails and is tried again, which is
// a second start. The one that loses its job has a longer lock, so that the other worker has time
// to take the job while it is blocked, however busy the machine.
const KEEPING_LOCK_MS = 2_000;
const LOSING_LOCK_MS = 4_000;
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 100 });
  // No workers at first: the holder, in a child process, must be the one to take the job.
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, workers: false });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await harness.close();
  await sim.close();
  await t.cleanup();
});

/** A provisioning worker in a child process that blocks its event loop for `busyMs` before each create. */
function startHolder(
  lockMs: number,
  busyMs: number,
  idleMs: number,
): { child: ChildProcess; busy: Promise<void> } {
  const child = spawnWorkerFixture(
    { redisUrl: REDIS_URL, prefix: t.prefix, simUrl: sim.url, simKey: SIM_KEY },
    { LOCK_MS: String(lockMs), BUSY_CREATE_MS: String(busyMs), IDLE_BEFORE_BUSY_MS: String(idleMs) },
  );
  children.push(child);
  const busy = new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('busy')) resolve();
    });
  });
  return { child, busy };
}

/**
 * Workers of this process with the same lock settings, checking for stalled jobs from now on;
 * `taken` lists the jobs they start.
 */
async function startTaker(lockMs: number) {
  const taker = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, lockDurationMs: lockMs });
  const taken: string[] = [];
  for (const worker of await taker.started) worker.on('active', (job) => taken.push(String(job.id)));
  return { taken, close: () => taker.close() };
}

/** Approves a new request while the holder runs, and resolves once the holder is blocked in its create. */
async function approvedWhileHolderBusy(ip: string, lockMs: number, busyMs: number, idleMs = 0) {
  const holder = startHolder(lockMs, busyMs, idleMs);
  const request = await harness.submitCustomer(ip);
  expect((await harness.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
  await holder.busy;
  return { request, holder, taker: await startTaker(lockMs) };
}

describe('a worker whose event loop is busy while it holds a job', () => {
  it('keeps the job, renewed while held, when busy for 0.55 of its lock: it runs once', async () => {
    const calls = sim.state().calls.CreateCustomerGateway ?? 0;
    const lock = KEEPING_LOCK_MS;
    const { request, holder, taker } = await approvedWhileHolderBusy(
      '47.66.0.1',
      lock,
      lock * 0.55,
      lock * 1.3,
    );
    const done = await harness.waitFor(request.id, (r) => r.state === 'succeeded', 20_000);
    holder.child.kill('SIGTERM');
    await taker.close();

    const job = await harness.provisions.getJob(provisionJobId(request.id));
    expect({ started: job?.attemptsStarted, stalled: job?.stalledCounter }).toEqual({
      started: 1,
      stalled: 0,
    });
    expect(taker.taken).not.toContain(provisionJobId(request.id));
    expect((sim.state().calls.CreateCustomerGateway ?? 0) - calls).toBe(1);
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
    expect(done.cloud.resourceId).toBeTruthy();
    const trail = await harness.store.auditTrail(request.id);
    expect(trail.map((e) => e.action)).toEqual(['submitted', 'approved', 'creating', 'created']);
  }, 30_000);

  it('loses the job to another worker when busy for longer than its whole lock', async () => {
    const lock = LOSING_LOCK_MS;
    const { request, holder, taker } = await approvedWhileHolderBusy('47.66.0.2', lock, lock * 1.6);
    await harness.waitFor(request.id, (r) => r.state === 'succeeded', 20_000);
    holder.child.kill('SIGTERM');
    await taker.close();

    expect(taker.taken).toContain(provisionJobId(request.id));
    const job = await harness.provisions.getJob(provisionJobId(request.id));
    expect(job?.stalledCounter).toBeGreaterThanOrEqual(1);
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
  }, 30_000);
});
