import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultConfigFromJson, parseFaults, statusForCode } from '../../../src/sandbox/simulator/index.js';
import { popClient, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { popFailure, rejection } from './helpers.js';

const KEY = { accessKeyId: 'faults-key', accessKeySecret: 'faults-secret' };
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator(KEY);
});
afterEach(() => {
  const violations = sim.conformanceViolations(true);
  sim.reset();
  sim.setFaults('');
  expect(violations).toEqual([]);
});
afterAll(() => sim.close());

const cgw = (ip: string, extra: Record<string, string> = {}, timeout?: number) =>
  popClient(sim, KEY).call<{ CustomerGatewayId: string }>(
    'CreateCustomerGateway',
    { RegionId: 'cn-hangzhou', IpAddress: ip, ...extra },
    timeout ? { timeout } : {},
  );

describe('the SIMULATOR_FAULTS grammar', () => {
  it('reads probabilities, per-action scopes, latency and a seed', () => {
    expect(
      parseFaults(
        ' Throttling.User=0.2, ServiceUnavailable=0.05,InternalError=0.1,latency=300ms,nonjson=0.05,' +
          'CreateVpnGateway:Forbbiden.SubUser=1,CreateCustomerGateway:lost=.5,seed=7',
      ),
    ).toEqual({
      rules: [
        { name: 'Throttling.User', probability: 0.2 },
        { name: 'ServiceUnavailable', probability: 0.05 },
        { name: 'InternalError', probability: 0.1 },
        { name: 'nonjson', probability: 0.05 },
        { action: 'CreateVpnGateway', name: 'Forbbiden.SubUser', probability: 1 },
        { action: 'CreateCustomerGateway', name: 'lost', probability: 0.5 },
      ],
      latencyMs: 300,
      seed: 7,
    });
    expect(parseFaults('')).toEqual({ rules: [], latencyMs: 0 });
    expect(parseFaults(undefined)).toEqual({ rules: [], latencyMs: 0 });
  });

  it('lists every malformed entry at once', () => {
    expect(() => parseFaults('Throttling=2,latency=fast,=1,bad name=0.1,seed=-1,lower:Forbidden=1')).toThrow(
      /probability must be a number from 0 to 1.*latency "fast".*"=1" is not Name=value.*"bad name".*seed "-1".*"lower:Forbidden"/,
    );
  });

  it('gives each code its HTTP status', () => {
    expect(
      [
        'Throttling.User',
        'ServiceUnavailable',
        'InternalError',
        'Forbidden',
        'Forbbiden.SubUser',
        'X.NotFound',
        'OperationConflict',
      ].map(statusForCode),
    ).toEqual([400, 503, 500, 403, 403, 404, 400]);
  });

  it('takes JSON as the control endpoint receives it, and refuses a bad shape', () => {
    expect(
      faultConfigFromJson({ rules: [{ name: 'Throttling.User', probability: 1 }], latencyMs: 5 }),
    ).toEqual({
      rules: [{ name: 'Throttling.User', probability: 1 }],
      latencyMs: 5,
    });
    expect(faultConfigFromJson('InternalError=1')).toEqual(parseFaults('InternalError=1'));
    expect(() => faultConfigFromJson({ rules: [{ name: 'X', probability: 3 }], latencyMs: -1 })).toThrow(
      /latencyMs.*rules\[0\]\.probability/,
    );
    expect(() => faultConfigFromJson([1])).toThrow(/must be an object/);
  });
});

describe('injected faults, as the unmodified pop-core client meets them', () => {
  it.each([
    ['Throttling.User', 400],
    ['ServiceUnavailable', 503],
    ['InternalError', 500],
    ['OperationConflict', 400],
  ] as const)('%s answers HTTP %i with the code, and the call has no effect', async (code, status) => {
    sim.setFaults(`${code}=1`);
    const err = await popFailure(cgw('47.3.0.1', { ClientToken: `fault-${code}` }));
    expect(err).toMatchObject({ code, status });
    expect(err.data).toMatchObject({ Code: code, HostId: 'vpc.aliyuncs.com' });
    expect(sim.state().customerGateways).toEqual([]);
    expect(sim.state().calls.CreateCustomerGateway).toBe(1);
  });

  it('nonjson answers an HTML 502 that pop-core fails to parse (a SyntaxError)', async () => {
    sim.setFaults('nonjson=1');
    const err = await rejection(cgw('47.3.0.2'));
    // json-bigint's SyntaxError: a plain object, not an instance of Error.
    expect(err).toMatchObject({ name: 'SyntaxError' });
    expect(err.text).toContain('502 Bad Gateway');
    const raw = await fetch(`${sim.url}/?Action=DescribeRegions`);
    // A request that fails the gateway checks is answered normally: faults apply to accepted calls only.
    expect(raw.status).toBe(400);
    expect(sim.state().customerGateways).toEqual([]);
  });

  it('scopes a fault to one action', async () => {
    sim.setFaults('CreateVpnGateway:Forbbiden.SubUser=1,DescribeRegions:Throttling.User=1');
    expect((await cgw('47.3.0.3')).CustomerGatewayId).toMatch(/^cgw-/);
    const vpcs = await popClient(sim, KEY).call<{ Vpcs: { Vpc: { VpcId: string }[] } }>('DescribeVpcs', {
      RegionId: 'cn-hangzhou',
    });
    const vpn = await popFailure(
      popClient(sim, KEY).call('CreateVpnGateway', {
        RegionId: 'cn-hangzhou',
        VpcId: vpcs.Vpcs.Vpc[0]?.VpcId as string,
        Bandwidth: 5,
      }),
    );
    expect(vpn).toMatchObject({ code: 'Forbbiden.SubUser', status: 403 });
    expect((await popFailure(popClient(sim, KEY).call('DescribeRegions'))).code).toBe('Throttling.User');
  });

  it('draws the same faults for the same seed', async () => {
    const outcomes = async () => {
      sim.setFaults('Throttling.User=0.5,seed=42');
      const seen: string[] = [];
      for (let i = 0; i < 20; i++)
        seen.push(
          await popClient(sim, KEY)
            .call('DescribeRegions')
            .then(
              () => 'ok',
              (e: { code?: string }) => e.code ?? 'other',
            ),
        );
      return seen;
    };
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    // About half of each, not all one way: the probability is honoured.
    expect(first.filter((o) => o === 'ok').length).toBeGreaterThan(3);
    expect(first.filter((o) => o === 'Throttling.User').length).toBeGreaterThan(3);
  });

  it('latency delays every answer, so a short client timeout fires', async () => {
    sim.setFaults('latency=400ms');
    const started = Date.now();
    await popClient(sim, KEY).call('DescribeRegions', {}, { timeout: 2_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const err = await rejection(popClient(sim, KEY).call('DescribeRegions', {}, { timeout: 100 }));
    expect(err.name).toBe('RequestTimeoutError');
  });

  it('lost runs the action and drops the answer; the same ClientToken then finds the same gateway', async () => {
    sim.setFaults('CreateCustomerGateway:lost=1');
    const err = await rejection(cgw('47.4.0.1', { ClientToken: 'lost-1' }));
    expect(err.code).toBe('ECONNRESET');
    const [made] = sim.state().customerGateways;
    expect(made?.IpAddress).toBe('47.4.0.1');
    sim.setFaults('');
    const retried = await cgw('47.4.0.1', { ClientToken: 'lost-1' });
    expect(retried.CustomerGatewayId).toBe(made?.CustomerGatewayId);
    expect(sim.state().customerGateways).toHaveLength(1);
    // Without the token, the retry would have met the duplicate-address rule instead.
    expect((await popFailure(cgw('47.4.0.1'))).code).toBe('InvalidIpAddress.AlreadyExist');
  });
});
