import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorkerFixture } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, SINGLE_TUNNEL_REGION, seededVpc, startWorkflowHarness } from '../support/workflow.js';

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

function startWorker(crashAfter: 'create' | 'delete' | false): ChildProcess {
  const child = spawnWorkerFixture(
    { redisUrl: REDIS_URL, prefix: t.prefix, simUrl: sim.url, simKey: SIM_KEY },
    { CRASH_AFTER: crashAfter || '' },
  );
  children.push(child);
  return child;
}

describe('a worker killed with SIGKILL between the create call and saving its result', () => {
  it('is restarted and finishes the request with exactly one gateway', async () => {
    const request = await harness.submitCustomer('47.30.0.1');
    expect((await harness.workflow.approve(request.id, { userId: 'U0LEAD1' })).ok).toBe(true);

    const crashing = startWorker('create');
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

/** Runs an approved request with a worker that dies right after the cloud call, then with a sound one. */
async function crashThenFinish(requestId: string, crashAfter: 'create' | 'delete') {
  expect((await harness.workflow.approve(requestId, { userId: 'U0LEAD1' })).ok).toBe(true);
  const crashing = startWorker(crashAfter);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    crashing.on('exit', (_code, s) => resolve(s)),
  );
  expect(signal).toBe('SIGKILL');
  expect((await harness.store.mustGet(requestId)).state).toBe('creating');
  const worker = startWorker(false);
  const done = await harness.waitFor(
    requestId,
    (r) => r.state === 'succeeded' || r.state === 'failed',
    30_000,
  );
  worker.kill('SIGTERM');
  return done;
}

describe('a worker killed between an IPsec connection call and saving its result', () => {
  it('makes one connection, and deletes it once', async () => {
    const region = SINGLE_TUNNEL_REGION;
    const { VpnGatewayId } = await harness.vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
      RegionId: region,
      VpcId: await seededVpc(harness.vpc, region),
      Bandwidth: 10,
    });
    const { CustomerGatewayId } = await harness.vpc.call<{ CustomerGatewayId: string }>(
      'CreateCustomerGateway',
      {
        RegionId: region,
        IpAddress: '47.30.0.9',
      },
    );
    await expect
      .poll(
        async () => (await harness.vpc.call('DescribeVpnGateway', { RegionId: region, VpnGatewayId })).Status,
      )
      .toBe('active');
    const submitted = await harness.workflow.submit({
      resource: 'vpn_connection',
      values: {
        RegionId: region,
        VpnGatewayId,
        CustomerGatewayId,
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '172.16.0.0/16',
      },
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
    const created = await crashThenFinish(submitted.request.id, 'create');
    expect(created.state).toBe('succeeded');
    const made = sim.state().vpnConnections.filter((c) => c.ClientToken === submitted.request.id);
    expect(made).toHaveLength(1);
    expect(created.cloud.resourceId).toBe(made[0]?.VpnConnectionId);
    expect(sim.state().calls.CreateVpnConnection).toBe(2);

    const asked = await harness.workflow.submitDelete({
      resourceId: created.cloud.resourceId ?? '',
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!asked.ok) throw new Error(asked.message.en);
    const deleted = await crashThenFinish(asked.request.id, 'delete');
    expect(deleted.state).toBe('succeeded');
    const deletes = sim.requests().filter((r) => r.action === 'DeleteVpnConnection');
    // Sent twice with one ClientToken: the second answers as the first, nothing is deleted twice.
    expect(deletes.map((r) => r.params.ClientToken)).toEqual([asked.request.id, asked.request.id]);
    expect(deleted.cloud.facts.AlreadyGone).toBeUndefined();
    expect(sim.state().vpnConnections.filter((c) => c.ClientToken === submitted.request.id)).toEqual([]);
  }, 90_000);
});
