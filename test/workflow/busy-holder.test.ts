/**
 * A job held by a live worker is never taken over, even while the worker's event loop is busy:
 * the holder (a provisioning worker in a process of its own) blocks its event loop for half its
 * lock right before the create call, while another process's workers check for stalled jobs all
 * along. The job runs once (BullMQ counts one start, no stall), the cloud sees one create. And
 * the check can fail: a holder blocked for longer than its whole lock loses the job to the other
 * worker (the request still ends with one gateway, the create's ClientToken being the request id).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionJobId } from '../../src/workflow/job-ids.js';
import { nodeArgsFor } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('busy-holder');
const LOCK_MS = 4_000;
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
function startHolder(busyMs: number): { child: ChildProcess; busy: Promise<void> } {
  const child = spawn(process.execPath, nodeArgsFor('test/fixtures/worker-process.ts'), {
    env: {
      ...process.env,
      REDIS_URL,
      PREFIX: t.prefix,
      SIM_URL: sim.url,
      SIM_KEY_ID: SIM_KEY.accessKeyId,
      SIM_KEY_SECRET: SIM_KEY.accessKeySecret,
      LOCK_MS: String(LOCK_MS),
      BUSY_CREATE_MS: String(busyMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
async function startTaker() {
  const taker = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, lockDurationMs: LOCK_MS });
  const taken: string[] = [];
  for (const worker of await taker.started) worker.on('active', (job) => taken.push(String(job.id)));
  return { taken, close: () => taker.close() };
}

/** Approves a new request while the holder runs, and resolves once the holder is blocked in its create. */
async function approvedWhileHolderBusy(ip: string, busyMs: number) {
  const holder = startHolder(busyMs);
  const request = await harness.submitCustomer(ip);
  expect((await harness.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);
  await holder.busy;
  return { request, holder, taker: await startTaker() };
}

describe('a worker whose event loop is busy while it holds a job', () => {
  it('keeps the job when busy for half its lock: it runs once', async () => {
    const calls = sim.state().calls.CreateCustomerGateway ?? 0;
    const { request, holder, taker } = await approvedWhileHolderBusy('47.66.0.1', LOCK_MS / 2);
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
    const { request, holder, taker } = await approvedWhileHolderBusy('47.66.0.2', LOCK_MS * 1.6);
    await harness.waitFor(request.id, (r) => r.state === 'succeeded', 20_000);
    holder.child.kill('SIGTERM');
    await taker.close();

    expect(taker.taken).toContain(provisionJobId(request.id));
    const job = await harness.provisions.getJob(provisionJobId(request.id));
    expect(job?.stalledCounter).toBe(1);
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
  }, 30_000);
});
