/**
 * Pacing wired into the VPC client: the hook sees every call before it is sent, every action the
 * client can call has a default limit, a burst paced through Redis meets a simulator enforcing the
 * same limit without one `Throttling.User` (and the same burst unpaced does not), and a Slack
 * pick-list whose slot is too far away answers at once instead of waiting.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudError,
  createVpcClient,
  type DescribeRegionsResponse,
  type DescribeVpcsResponse,
  PACING_MAX_WAIT_MS,
  type PaceCall,
  RateLimiter,
  type VpcClient,
} from '../../src/cloud/index.js';
import { DEFAULT_ACCOUNT } from '../../src/config/index.js';
import { defaultRateLimits, resources } from '../../src/resources/index.js';
import { createOptionsLoader } from '../../src/slack/options/index.js';
import type { RateLimits } from '../../src/units/rate-limits.js';
import { testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

const KEY = { accessKeyId: 'pacing-key', accessKeySecret: 'pacing-secret' };
const t = testRedis('pacing');
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ ...KEY, quotas: { customerGateways: 1_000 } });
});
afterEach(() => {
  sim.expectConformance();
  sim.reset();
  sim.setRateLimits({});
});
afterAll(async () => {
  await sim.close();
  await t.cleanup();
});

let n = 0;
function pacedClient(limits: RateLimits, maxWaitMs: number): VpcClient {
  const limiter = new RateLimiter({ redis: t.redis, prefix: `${t.prefix.slice(0, -1)}-${++n}}`, limits });
  return createVpcClient({ ...KEY, endpoint: sim.url, pace: limiter.pacer({ maxWaitMs }) });
}

describe('the pace hook of the VPC client', () => {
  it('runs before every call with its action and region; a call it holds back is never sent', async () => {
    const seen: { action: string; regionId?: string }[] = [];
    let hold = false;
    const pace: PaceCall = async (call) => {
      seen.push(call);
      if (hold) throw new Error('held back');
    };
    const client = createVpcClient({ ...KEY, endpoint: sim.url, pace });
    await client.call<DescribeRegionsResponse>('DescribeRegions', {});
    await client.call<DescribeVpcsResponse>('DescribeVpcs', { RegionId: 'cn-hangzhou' });
    expect(seen).toEqual([
      { action: 'DescribeRegions' },
      { action: 'DescribeVpcs', regionId: 'cn-hangzhou' },
    ]);
    hold = true;
    const before = sim.requests().length;
    const err = await client
      .call('CreateCustomerGateway', { RegionId: 'cn-hangzhou', IpAddress: '47.95.0.1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect(sim.requests().length).toBe(before);
  });

  it('has a default limit for every action the client can call', async () => {
    const actions: string[] = [];
    const client = createVpcClient({
      ...KEY,
      endpoint: sim.url,
      pace: async ({ action }) => {
        actions.push(action);
        throw new Error('not sent');
      },
    });
    // The typed reads, and every action a resource declaration calls through `call`.
    const methods = Object.entries(client).filter(([name]) => name !== 'call') as [
      string,
      (p: object) => Promise<unknown>,
    ][];
    for (const [, method] of methods) await method({ RegionId: 'cn-hangzhou' }).catch(() => undefined);
    expect(actions).toHaveLength(methods.length);
    const declared = resources().flatMap((r) => [
      r.create.action,
      r.list.action,
      ...(r.delete ? [r.delete.action] : []),
      ...(r.reveal ? [r.reveal.action] : []),
    ]);
    for (const action of declared)
      await client.call(action, { RegionId: 'cn-hangzhou' }).catch(() => undefined);
    expect(actions).toEqual(expect.arrayContaining(declared));
    expect(actions.filter((a) => !defaultRateLimits()[a])).toEqual([]);
  });
});

describe('a burst against a simulator that enforces the same limit', () => {
  // 100 per 4 s: paced one every 44 ms, 130 calls take about 5.7 s; the headroom leaves 400 ms for
  // a call to arrive late before it could crowd a window, on a busy machine too.
  const LIMITS = { CreateCustomerGateway: { limit: 100, periodMs: 4_000 } };
  const CALLS = 130;
  const burst = (client: VpcClient, tag: number) =>
    Promise.allSettled(
      Array.from({ length: CALLS }, (_, i) =>
        client.call('CreateCustomerGateway', { RegionId: 'cn-hangzhou', IpAddress: `47.96.${tag}.${i + 1}` }),
      ),
    );

  it('meets no Throttling.User when paced, and is throttled unpaced', async () => {
    sim.setRateLimits(LIMITS);
    const started = performance.now();
    const paced = await burst(pacedClient(LIMITS, 10_000), 1);
    const elapsed = performance.now() - started;
    expect(paced.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(sim.throttles()).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual((CALLS - 1) * 44 - 50);

    const unpaced = await burst(createVpcClient({ ...KEY, endpoint: sim.url }), 2);
    const codes = unpaced.map((r) => (r.status === 'rejected' ? (r.reason as CloudError).code : 'OK'));
    expect(codes.filter((c) => c === 'Throttling.User').length).toBeGreaterThan(0);
    expect(codes.filter((c) => c !== 'Throttling.User' && c !== 'OK')).toEqual([]);
    expect(sim.throttles()[0]?.count).toBe(codes.filter((c) => c === 'Throttling.User').length);
  }, 60_000);
});

describe('Slack pick-lists under pacing', () => {
  it('answer at once from the cache, or say why, when the next slot is further away than Slack waits', async () => {
    // One DescribeVpcs per 10 s in a region: after one call the next slot is 11 s away.
    const client = pacedClient({ DescribeVpcs: { limit: 1, periodMs: 10_000 } }, PACING_MAX_WAIT_MS.pickList);
    const loader = createOptionsLoader(() => client, { cacheTtlMs: 0 });
    const state = (id: string) => ({
      RegionId: { RegionId: { type: 'external_select', selected_option: { value: id } } },
    });
    const vpcList = (values: ReturnType<typeof state>) => ({
      param: 'VpcId',
      source: { list: 'vpc' as const },
      typed: '',
      state: values,
      locale: 'en' as const,
      account: DEFAULT_ACCOUNT,
    });
    const first = await loader.load(vpcList(state('cn-hangzhou')));
    expect(first.length).toBeGreaterThan(0);
    const started = performance.now();
    expect(await loader.load(vpcList(state('cn-hangzhou')))).toEqual(first);
    expect(performance.now() - started).toBeLessThan(1_000);

    // Another region has its own slots; within it the second call fails at once, saying why.
    await loader.load(vpcList(state('cn-shanghai')));
    const fresh = createOptionsLoader(() => client, { cacheTtlMs: 0 });
    const refused = await fresh.load(vpcList(state('cn-shanghai')));
    expect(refused).toEqual([
      {
        text: expect.objectContaining({ text: expect.stringContaining('Throttling.Local') }),
        value: '__unavailable__',
      },
    ]);
  });
});
