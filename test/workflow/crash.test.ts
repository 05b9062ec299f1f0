import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('crash');
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 300 });
  // No workers in this process: the worker runs in a child process that can be killed.
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, workers: false });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await harness.close();
  await sim.close();
  await t.cleanup();
});

function startWorker(crash: boolean): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/worker-process.ts'], {
    env: {
      ...process.env,
      REDIS_URL,
      PREFIX: t.prefix,
      SIM_URL: sim.url,
      SIM_KEY_ID: SIM_KEY.accessKeyId,
      SIM_KEY_SECRET: SIM_KEY.accessKeySecret,
      CRASH_AFTER_CREATE: crash ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

describe('a worker killed with SIGKILL between the create call and saving its result', () => {
  it('is restarted and finishes the request with exactly one gateway', async () => {
    const request = await harness.submitCustomer('47.30.0.1');
    expect((await harness.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);

    const crashing = startWorker(true);
    const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
      crashing.on('exit', (_code, signal) => resolve(signal)),
    );
    expect(exit).toBe('SIGKILL');
    // The cloud made the gateway; the record never heard of it.
    expect(sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);
    const stuck = await harness.store.mustGet(request.id);
    expect(stuck.state).toBe('creating');
    expect(stuck.cloud.resourceId).toBeUndefined();

    const worker = startWorker(false);
    const done = await harness.waitFor(
      request.id,
      (r) => r.state === 'succeeded' || r.state === 'failed',
      30_000,
    );
    worker.kill('SIGTERM');
    expect(done.state).toBe('succeeded');
    const made = sim.state().customerGateways.filter((g) => g.ClientToken === request.id);
    expect(made).toHaveLength(1);
    expect(done.cloud.resourceId).toBe(made[0]?.CustomerGatewayId);
    expect(sim.state().calls.CreateCustomerGateway).toBe(2);
  }, 60_000);
});
