/**
 * The health sweep survives a SIGKILL at its worst moment: a worker process writes a tunnel's
 * confirmed change (down) and dies before announcing it; the next worker announces it, once, and
 * the tunnel's return once more, and nothing is said twice.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorkerFixture } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { gatewayPair, SIM_KEY, SINGLE_TUNNEL_REGION, startWorkflowHarness } from '../support/workflow.js';

const t = testRedis('health-kill');
const REGION = SINGLE_TUNNEL_REGION;
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startTestSimulator({ ...SIM_KEY, provisionTimeMs: 100 });
  // No workers here: they run in child processes that can be killed.
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, workers: false });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await harness.close();
  await sim.close();
  await t.cleanup();
});

async function startWorker(extra: Record<string, string>): Promise<ChildProcess> {
  const child = spawnWorkerFixture(
    { redisUrl: REDIS_URL, prefix: t.prefix, simUrl: sim.url, simKey: SIM_KEY },
    { HEALTH_MS: '300', SETTLE_MS: '300', RECORD_DELIVERIES: '1', ...extra },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', () => reject(new Error('the worker exited before it was ready')));
  });
  return child;
}

/** The events delivered for a request, by every worker process, in order. */
async function delivered(requestId: string): Promise<string[]> {
  const rows = await t.redis.lrange(`${t.prefix}:test-delivered`, 0, -1);
  return rows.filter((r) => r.startsWith(`${requestId} `)).map((r) => r.split(' ')[1] as string);
}
const tunnelEvents = async (id: string) => (await delivered(id)).filter((e) => e.startsWith('tunnel_'));

describe('a worker killed between writing a tunnel change and announcing it', () => {
  it('loses no change and repeats none', async () => {
    const crashing = await startWorker({ CRASH_AFTER: 'health_change' });
    const died = new Promise<NodeJS.Signals | null>((resolve) =>
      crashing.on('exit', (_c, signal) => resolve(signal)),
    );

    const { gateway: VpnGatewayId, cgw: CustomerGatewayId } = await gatewayPair(
      harness.vpc,
      REGION,
      '47.113.0.1',
    );
    sim.configurePeer({ customerGatewayId: CustomerGatewayId });
    const s = await harness.workflow.submit({
      resource: 'vpn_connection',
      values: {
        RegionId: REGION,
        VpnGatewayId,
        CustomerGatewayId,
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '172.20.0.0/16',
      },
      requester: { userId: 'U0ASKER' },
      channelId: 'C0NET',
      locale: 'en',
    });
    if (!s.ok) throw new Error(JSON.stringify(s.errors));
    await harness.workflow.approve(s.request.id, { userId: 'U0LEAD1' });
    await harness.waitFor(s.request.id, (r) => r.health !== undefined, 20_000);

    sim.configurePeer({ customerGatewayId: CustomerGatewayId }, false);
    expect(await died).toBe('SIGKILL');
    const written = await harness.store.mustGet(s.request.id);
    expect(written.health?.changes.map((c) => c.up)).toEqual([false]);
    expect(await tunnelEvents(s.request.id)).toEqual([]);

    const worker = await startWorker({});
    await expect.poll(() => tunnelEvents(s.request.id), { timeout: 15_000 }).toEqual(['tunnel_down']);
    sim.configurePeer({ customerGatewayId: CustomerGatewayId }, true);
    await expect
      .poll(() => tunnelEvents(s.request.id), { timeout: 15_000 })
      .toEqual(['tunnel_down', 'tunnel_up']);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await tunnelEvents(s.request.id)).toEqual(['tunnel_down', 'tunnel_up']);
    expect((await delivered(s.request.id)).filter((e) => e === 'settled')).toEqual(['settled']);
    expect((await harness.store.mustGet(s.request.id)).health?.seq).toBe(2);
    worker.kill('SIGTERM');
  }, 60_000);
});
