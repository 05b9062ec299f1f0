/**
 * The preflight against the simulator: checks of one run that ask the cloud the same thing share
 * one call. A customer gateway's two checks both read the region's list (is the IP taken, does
 * the quota have room), which matters when every create of a burst is re-checked under paced
 * describes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, createVpcClient } from '../../src/cloud/index.js';
import { resourceOf } from '../../src/resources/registry.js';
import { createPreflight } from '../../src/workflow/preflight.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY } from '../support/workflow.js';

const REGION = 'cn-hangzhou';
let sim: TestSimulator;
let preflight: ReturnType<typeof createPreflight>;
const customer = resourceOf('customer_gateway');

beforeAll(async () => {
  sim = await startTestSimulator(SIM_KEY);
  const vpc = createVpcClient({ ...SIM_KEY, endpoint: sim.url, timeoutMs: 2_000 });
  preflight = createPreflight({ callIn: () => (action, params) => vpc.call(action, params) });
  // 55 gateways: the region's list has two pages of 50.
  for (let i = 1; i <= 55; i++)
    await vpc.call('CreateCustomerGateway', {
      RegionId: REGION,
      IpAddress: `47.99.0.${i}`,
      ClientToken: `t${i}`,
    });
});
afterAll(async () => {
  sim.expectConformance();
  await sim.close();
});

const listCalls = () => sim.requests().filter((r) => r.action === 'DescribeCustomerGateways');

describe('preflight calls', () => {
  it('lists a region once for both checks that read it', async () => {
    const before = listCalls().length;
    const result = await preflight(customer, { RegionId: REGION, IpAddress: '47.99.1.1', Name: 'office' });
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['ip_unique', 'pass'],
      ['quota', 'pass'],
    ]);
    expect(result.checks.find((c) => c.id === 'quota')?.detail.en).toContain('55 of 100');
    // Page 1 answers both checks; page 2 is the IP check's alone.
    expect(
      listCalls()
        .slice(before)
        .map((r) => r.params.PageNumber),
    ).toEqual(['1', '2']);
  });

  it('shares a failed call too: both checks could not run, for the one reason', async () => {
    const asked: string[] = [];
    const failing = createPreflight({
      callIn: () => async (action) => {
        asked.push(action);
        throw new CloudError({ code: 'ServiceUnavailable', action, cloudMessage: 'down' });
      },
    });
    const result = await failing(customer, { RegionId: REGION, IpAddress: '47.99.1.2', Name: 'office' });
    expect(asked).toEqual(['DescribeCustomerGateways']);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['ip_unique', 'unknown'],
      ['quota', 'unknown'],
    ]);
    for (const check of result.checks) expect(check.detail.en).toContain('ServiceUnavailable');
  });

  it("counts a VPN gateway's quota from a page of one: no other check lists the region", async () => {
    const asked: [string, Record<string, unknown>][] = [];
    const recording = createPreflight({
      callIn:
        () =>
        async <T>(action: string, params: Record<string, unknown>) => {
          asked.push([action, params]);
          return { TotalCount: 3 } as T;
        },
    });
    const result = await recording(resourceOf('vpn_gateway'), {
      RegionId: REGION,
      VpcId: 'vpc-1',
      Bandwidth: 10,
    });
    expect(asked.filter(([action]) => action === 'DescribeVpnGateways')).toEqual([
      ['DescribeVpnGateways', { RegionId: REGION, PageSize: 1 }],
    ]);
    expect(result.checks.find((c) => c.id === 'quota')?.detail.en).toContain('3 of 30');
  });

  it('asks again on the next run: answers are shared within one run only', async () => {
    const before = listCalls().length;
    const result = await preflight(customer, { RegionId: REGION, IpAddress: '47.99.0.53', Name: 'office' });
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.id === 'ip_unique')).toMatchObject({
      outcome: 'fail',
      param: 'IpAddress',
    });
    expect(listCalls().slice(before)).toHaveLength(2);
  });
});
