/**
 * The simulator's rate limits: the SIMULATOR_RATE_LIMITS grammar, the sliding window per region
 * and action, and `Throttling.User` answered over HTTP the way Alibaba's gateway answers it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLISHED_LIMITS,
  parseSimulatorRateLimits,
  RateLimitEnforcer,
  readSimulatorEnv,
  type ThrottleCount,
} from '../../../src/sandbox/simulator/index.js';
import { popClient, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { popFailure } from './helpers.js';

const KEY = { accessKeyId: 'limits-key', accessKeySecret: 'limits-secret' };
const ACTIONS = ['CreateCustomerGateway', 'DescribeVpnGateway', 'DescribeRegions'];

describe('the SIMULATOR_RATE_LIMITS grammar', () => {
  it('reads Alibaba’s published limits, entries over them, and Alibaba’s own "200/60 s" notation', () => {
    expect(parseSimulatorRateLimits('', ACTIONS)).toEqual({});
    expect(parseSimulatorRateLimits('published', ACTIONS)).toEqual(PUBLISHED_LIMITS);
    expect(
      parseSimulatorRateLimits(
        'published, CreateCustomerGateway=120/6s, DescribeVpnGateway=off, DescribeRegions=200/60 s',
        ACTIONS,
      ),
    ).toEqual({
      ...PUBLISHED_LIMITS,
      CreateCustomerGateway: { limit: 120, periodMs: 6_000 },
      DescribeVpnGateway: undefined,
      DescribeRegions: { limit: 200, periodMs: 60_000 },
    });
    expect(parseSimulatorRateLimits('DescribeRegions=5/s,CreateCustomerGateway=1/h', ACTIONS)).toEqual({
      DescribeRegions: { limit: 5, periodMs: 1_000 },
      CreateCustomerGateway: { limit: 1, periodMs: 3_600_000 },
    });
  });

  it('lists every malformed entry at once', () => {
    expect(() =>
      parseSimulatorRateLimits(
        'CreateCustomerGateways=1/min,CreateCustomerGateway=0/min,DescribeRegions=5/fortnight,fast,DescribeVpnGateway=1/s,DescribeVpnGateway=2/s',
        ACTIONS,
      ),
    ).toThrow(
      /CreateCustomerGateways is not an action.*count must be a whole number.*period must be.*"fast" is not Action=count\/period.*one of: off, published.*DescribeVpnGateway is given twice/,
    );
  });

  it('is read from the environment with the other settings, and refused there when wrong', () => {
    const read = readSimulatorEnv({ SIMULATOR_RATE_LIMITS: 'published' });
    expect(read.ok && read.config.rateLimits).toEqual(PUBLISHED_LIMITS);
    expect(read.ok && read.config.rateLimitsText).toBe('published');
    const bad = readSimulatorEnv({
      SIMULATOR_RATE_LIMITS: 'CreateVpnGateway=sixty/min',
      SIMULATOR_PORT: 'x',
    });
    expect(!bad.ok && bad.problems.map((p) => p.split(/[: ]/)[0])).toEqual([
      'SIMULATOR_PORT',
      'SIMULATOR_RATE_LIMITS',
    ]);
  });
});

describe('the sliding window', () => {
  const limits = { CreateCustomerGateway: { limit: 3, periodMs: 1_000 } };
  const refusal = (f: () => void) => {
    try {
      f();
    } catch (err) {
      return err as { code: string; status: number };
    }
    return undefined;
  };

  it('admits N calls in any period, refuses the next without counting it, and slides', () => {
    let now = 10_000;
    const enforcer = new RateLimitEnforcer(limits, () => now);
    for (const at of [10_000, 10_300, 10_600]) {
      now = at;
      enforcer.admit('CreateCustomerGateway', 'cn-hangzhou');
    }
    now = 10_999;
    expect(refusal(() => enforcer.admit('CreateCustomerGateway', 'cn-hangzhou'))).toMatchObject({
      code: 'Throttling.User',
      status: 400,
    });
    // The first call leaves the window a full period after it was admitted; the refusal did not count.
    now = 11_000;
    enforcer.admit('CreateCustomerGateway', 'cn-hangzhou');
    expect(refusal(() => enforcer.admit('CreateCustomerGateway', 'cn-hangzhou'))?.code).toBe(
      'Throttling.User',
    );
    now = 11_300;
    enforcer.admit('CreateCustomerGateway', 'cn-hangzhou');
    // Other regions and actions, and calls without a limit, are counted apart or not at all.
    enforcer.admit('CreateCustomerGateway', 'cn-shanghai');
    for (let i = 0; i < 10; i++) enforcer.admit('DescribeRegions', undefined);
    expect(enforcer.throttles()).toEqual<ThrottleCount[]>([
      { regionId: 'cn-hangzhou', action: 'CreateCustomerGateway', count: 2 },
    ]);
    enforcer.reset();
    expect(enforcer.throttles()).toEqual([]);
    enforcer.admit('CreateCustomerGateway', 'cn-hangzhou');
  });
});

describe('windows per account', () => {
  it('counts each account apart, and adds the throttles up unless one account is asked for', () => {
    const enforcer = new RateLimitEnforcer({ CreateVpnGateway: { limit: 1, periodMs: 60_000 } }, () => 0);
    enforcer.admit('CreateVpnGateway', 'cn-hangzhou', 'prod');
    enforcer.admit('CreateVpnGateway', 'cn-hangzhou', 'staging');
    for (const account of ['prod', 'prod', 'staging'])
      expect(() => enforcer.admit('CreateVpnGateway', 'cn-hangzhou', account)).toThrow(
        'Request was denied due to user flow control.',
      );
    const row = (count: number) => [{ regionId: 'cn-hangzhou', action: 'CreateVpnGateway', count }];
    expect(enforcer.throttles('prod')).toEqual(row(2));
    expect(enforcer.throttles('staging')).toEqual(row(1));
    expect(enforcer.throttles('nobody')).toEqual([]);
    expect(enforcer.throttles()).toEqual(row(3));
  });
});

describe('Throttling.User over HTTP', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ ...KEY, rateLimits: 'CreateCustomerGateway=3/min' });
  });
  afterEach(() => {
    sim.expectConformance();
    sim.reset();
  });
  afterAll(() => sim.close());

  const create = (ip: string, region = 'cn-hangzhou') =>
    popClient(sim, KEY).call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: region,
      IpAddress: ip,
    });

  it('answers the call beyond the limit with Alibaba’s body, and the call has no effect', async () => {
    for (let i = 1; i <= 3; i++) await create(`47.90.0.${i}`);
    const failure = await popFailure(create('47.90.0.4'));
    expect(failure.status).toBe(400);
    expect(failure.code).toBe('Throttling.User');
    expect(failure.data).toEqual({
      RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      HostId: 'vpc.aliyuncs.com',
      Code: 'Throttling.User',
      Message: 'Request was denied due to user flow control.',
      Recommend: expect.stringContaining('Throttling.User'),
    });
    expect(sim.state().customerGateways.map((g) => g.IpAddress)).not.toContain('47.90.0.4');
    // Another region has its own count; an action without a limit is never throttled.
    await create('47.90.0.4', 'cn-shanghai');
    for (let i = 0; i < 5; i++) await popClient(sim, KEY).call('DescribeRegions');
    expect(sim.throttles()).toEqual([{ regionId: 'cn-hangzhou', action: 'CreateCustomerGateway', count: 1 }]);
    const report = (await (await fetch(`${sim.url}/_simulator/rate-limits`)).json()) as unknown;
    expect(report).toEqual({
      limits: { CreateCustomerGateway: '3/min' },
      throttled: [{ regionId: 'cn-hangzhou', action: 'CreateCustomerGateway', count: 1 }],
    });
  });

  it('takes new limits over HTTP and forgets its counts on reset', async () => {
    const post = (body: string) => fetch(`${sim.url}/_simulator/rate-limits`, { method: 'POST', body });
    for (let i = 1; i <= 3; i++) await create(`47.91.0.${i}`);
    expect((await popFailure(create('47.91.0.4'))).code).toBe('Throttling.User');
    expect((await post(JSON.stringify('CreateCustomerGateway=off'))).status).toBe(200);
    await create('47.91.0.4');
    const refused = await post(JSON.stringify('CreateCustomerGateway=lots'));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain('count must be a whole number');
    expect((await post('{"not":"a string"}')).status).toBe(400);
    await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
    expect(sim.throttles()).toEqual([]);
    sim.setRateLimits('CreateCustomerGateway=3/min');
  });
});
