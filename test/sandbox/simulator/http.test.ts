import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorSnapshot } from '../../../src/sandbox/simulator/index.js';
import { popClient, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { popFailure, rawRequest } from './helpers.js';

const KEY = { accessKeyId: 'http-key', accessKeySecret: 'http-secret' };
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ ...KEY, provisionTimeMs: 60_000 });
});
afterAll(async () => {
  sim.expectConformance();
  await sim.close();
});

const post = (path: string, body?: string) =>
  fetch(`${sim.url}${path}`, { method: 'POST', ...(body !== undefined ? { body } : {}) });

describe('the control routes', () => {
  it('serves the state as JSON: gateways, tokens, calls per action and the request log', async () => {
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    const made = await popClient(sim, KEY).call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: 'cn-hangzhou',
      IpAddress: '47.5.0.1',
      ClientToken: 'state-1',
    });
    await popClient(sim, KEY).call('DescribeRegions', {}, { method: 'GET' });
    const res = await fetch(`${sim.url}/_simulator/state`);
    expect(res.headers.get('content-type')).toContain('application/json');
    const state = (await res.json()) as SimulatorSnapshot;
    const { now: _now, ...live } = sim.state();
    expect(state).toMatchObject(JSON.parse(JSON.stringify(live)));
    expect(state.customerGateways.map((g) => g.CustomerGatewayId)).toEqual([made.CustomerGatewayId]);
    expect(state.clientTokens).toEqual([
      expect.objectContaining({ action: 'CreateCustomerGateway', token: 'state-1' }),
    ]);
    expect(state.calls).toEqual({ CreateCustomerGateway: 1, DescribeRegions: 1 });
    expect(state.requests.map((r) => [r.method, r.action])).toEqual([
      ['POST', 'CreateCustomerGateway'],
      ['GET', 'DescribeRegions'],
    ]);
    expect(state.requests[0]?.params).toMatchObject({ IpAddress: '47.5.0.1', AccessKeyId: KEY.accessKeyId });
    expect(state.requests[0]?.params).not.toHaveProperty('Signature');
  });

  it('resets to the seed: the address is free again and the tokens are forgotten', async () => {
    expect((await post('/_simulator/reset')).status).toBe(200);
    expect(sim.state()).toMatchObject({ customerGateways: [], clientTokens: [], calls: {}, requests: [] });
    const again = await popClient(sim, KEY).call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: 'cn-hangzhou',
      IpAddress: '47.5.0.1',
    });
    expect(again.CustomerGatewayId).toMatch(/^cgw-/);
    // The seed itself is untouched.
    const vpcs = await popClient(sim, KEY).call<{ TotalCount: number }>('DescribeVpcs', {
      RegionId: 'cn-hangzhou',
    });
    expect(vpcs.TotalCount).toBe(3);
    sim.reset();
  });

  it('changes faults at run time, and refuses a bad fault body with the reasons', async () => {
    expect(
      (
        await post(
          '/_simulator/faults',
          JSON.stringify({ rules: [{ name: 'Throttling.User', probability: 1 }] }),
        )
      ).status,
    ).toBe(200);
    expect((await popFailure(popClient(sim, KEY).call('DescribeRegions'))).code).toBe('Throttling.User');
    expect((await post('/_simulator/faults', JSON.stringify('DescribeRegions:InternalError=1'))).status).toBe(
      200,
    );
    expect((await popFailure(popClient(sim, KEY).call('DescribeRegions'))).status).toBe(500);
    const bad = await post(
      '/_simulator/faults',
      JSON.stringify({ rules: [{ name: 'x y', probability: 1 }] }),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('rules[0].name');
    expect((await post('/_simulator/faults', 'not json')).status).toBe(400);
    // The bad bodies left the last good configuration in place; an empty one clears it.
    expect((await popFailure(popClient(sim, KEY).call('DescribeRegions'))).status).toBe(500);
    expect((await post('/_simulator/faults', '{}')).status).toBe(200);
    expect((await popClient(sim, KEY).call('DescribeRegions')).RequestId).toBeTruthy();
    sim.reset();
  });

  it('changes the provisioning time of new gateways', async () => {
    expect((await post('/_simulator/config', JSON.stringify({ provisionTimeMs: 0 }))).status).toBe(200);
    const vpcs = await popClient(sim, KEY).call<{ Vpcs: { Vpc: { VpcId: string }[] } }>('DescribeVpcs', {
      RegionId: 'me-east-1',
    });
    const gw = await popClient(sim, KEY).call<{ VpnGatewayId: string }>('CreateVpnGateway', {
      RegionId: 'me-east-1',
      VpcId: vpcs.Vpcs.Vpc[0]?.VpcId as string,
      Bandwidth: 10,
    });
    const seen = await popClient(sim, KEY).call<{ Status: string }>('DescribeVpnGateway', {
      RegionId: 'me-east-1',
      VpnGatewayId: gw.VpnGatewayId,
    });
    expect(seen.Status).toBe('active');
    expect((await post('/_simulator/config', JSON.stringify({ provisionTimeMs: 'soon' }))).status).toBe(400);
    sim.reset();
  });

  it('answers unknown paths and methods in the API error shape', async () => {
    const path = await fetch(`${sim.url}/v2/vpcs`);
    expect(path.status).toBe(404);
    expect(await path.json()).toMatchObject({ Code: 'InvalidApi.NotFound', HostId: 'vpc.aliyuncs.com' });
    const put = await fetch(`${sim.url}/`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { Code: string }).Code).toBe('UnsupportedHTTPMethod');
    expect((await fetch(`${sim.url}/_simulator/nothing`)).status).toBe(404);
    const big = await rawRequest(sim.url, { Padding: 'x'.repeat(1_100_000) }, KEY.accessKeySecret);
    expect(big).toMatchObject({ status: 400, body: { Code: 'InvalidParameter' } });
  });
});
