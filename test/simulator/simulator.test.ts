import RPCClient from '@alicloud/pop-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, createVpcClient } from '../../src/cloud/index.js';
import { ManualClock, parseFaults } from '../../src/simulator/index.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

const KEY = { accessKeyId: 'sim-key', accessKeySecret: 'sim-secret-value' };
const clock = new ManualClock(Date.now());
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    ...KEY,
    clock,
    provisionTimeMs: 60_000,
    quotas: { vpnGateways: 3, customerGateways: 3 },
  });
});
afterEach(() => {
  sim.expectConformance();
  sim.reset();
  sim.setFaults({ rules: [], latencyMs: 0 });
});
afterAll(() => sim.close());

const client = () => createVpcClient({ ...KEY, endpoint: sim.url, timeoutMs: 2_000 });
const region = () => sim.state() && 'cn-hangzhou';

async function firstVpc() {
  const vpcs = await client().describeVpcs({ RegionId: 'cn-hangzhou', PageSize: 50 });
  const vpc = vpcs.Vpcs.Vpc[1];
  if (!vpc) throw new Error('seed has no VPC');
  const vsw = await client().describeVSwitches({ RegionId: 'cn-hangzhou', VpcId: vpc.VpcId });
  return { vpcId: vpc.VpcId, vswitchId: vsw.VSwitches.VSwitch[0]?.VSwitchId as string };
}

async function failure(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CloudError);
    return err as CloudError;
  }
  throw new Error('expected the call to fail');
}

describe('the simulator, driven by the unmodified pop-core client over HTTP', () => {
  it('creates a VPN gateway that goes init → provisioning → active on the clock', async () => {
    const { vpcId, vswitchId } = await firstVpc();
    const created = await client().createVpnGateway({
      RegionId: region(),
      VpcId: vpcId,
      VSwitchId: vswitchId,
      Bandwidth: 10,
      Name: 'office-vpn',
      ClientToken: 'token-vpn-1',
    });
    expect(created.VpnGatewayId).toMatch(/^vpn-[a-z0-9]{21}$/);
    expect(created.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    const status = async () =>
      (await client().describeVpnGateway({ RegionId: 'cn-hangzhou', VpnGatewayId: created.VpnGatewayId }))
        .Status;
    expect(await status()).toBe('init');
    clock.advance(10_000);
    expect(await status()).toBe('provisioning');
    clock.advance(50_000);
    const active = await client().describeVpnGateway({
      RegionId: 'cn-hangzhou',
      VpnGatewayId: created.VpnGatewayId,
    });
    expect(active).toMatchObject({
      Status: 'active',
      Spec: '10M',
      VpcId: vpcId,
      BusinessStatus: 'Normal',
      Name: 'office-vpn',
    });
    expect(active.InternetIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const listed = await client().describeVpnGateways({
      RegionId: 'cn-hangzhou',
      VpnGatewayId: created.VpnGatewayId,
    });
    expect(listed.VpnGateways.VpnGateway.map((g) => g.VpnGatewayId)).toEqual([created.VpnGatewayId]);
  });

  it('creates a customer gateway, and answers a repeated ClientToken with the same gateway', async () => {
    const first = await client().createCustomerGateway({
      RegionId: 'cn-hangzhou',
      IpAddress: '47.1.2.3',
      Name: 'office',
      ClientToken: 't-1',
    });
    const again = await client().createCustomerGateway({
      RegionId: 'cn-hangzhou',
      IpAddress: '47.1.2.3',
      Name: 'office',
      ClientToken: 't-1',
    });
    expect(again.CustomerGatewayId).toBe(first.CustomerGatewayId);
    expect(again.RequestId).not.toBe(first.RequestId);
    expect(sim.state().customerGateways).toHaveLength(1);
    const mismatch = await failure(
      client().createCustomerGateway({ RegionId: 'cn-hangzhou', IpAddress: '47.1.2.4', ClientToken: 't-1' }),
    );
    expect(mismatch).toMatchObject({
      code: 'IdempotentParameterMismatch',
      httpStatus: 400,
      retryable: false,
    });
    expect(sim.state().customerGateways).toHaveLength(1);
  });

  it('answers every error code of the seeds', async () => {
    const cgw = (p: { IpAddress: string; Name?: string; Description?: string }) =>
      client().createCustomerGateway({ RegionId: 'cn-hangzhou', ...p });
    await cgw({ IpAddress: '47.1.1.1' });
    expect(await failure(cgw({ IpAddress: '47.1.1.1' }))).toMatchObject({
      code: 'InvalidIpAddress.AlreadyExist',
      httpStatus: 400,
    });
    expect(await failure(cgw({ IpAddress: '47.1.1' }))).toMatchObject({
      code: 'InvalidIpAddress.WrongFormat',
      httpStatus: 400,
    });
    expect(await failure(cgw({ IpAddress: '127.0.0.1' }))).toMatchObject({
      code: 'InvalidIpAddress.WrongFormat',
    });
    expect(await failure(cgw({ IpAddress: '47.1.1.2', Name: 'http://x' }))).toMatchObject({
      code: 'InvalidName',
    });
    expect(await failure(cgw({ IpAddress: '47.1.1.2', Description: '1abc' }))).toMatchObject({
      code: 'InvalidDescription',
    });
    await cgw({ IpAddress: '47.1.1.2' });
    await cgw({ IpAddress: '47.1.1.3' });
    expect(await failure(cgw({ IpAddress: '47.1.1.4' }))).toMatchObject({
      code: 'Resource.QuotaFull',
      retryable: false,
    });

    sim.setFaults(parseFaults('CreateCustomerGateway:Forbidden=1'));
    expect(await failure(cgw({ IpAddress: '47.1.1.5' }))).toMatchObject({
      code: 'Forbidden',
      httpStatus: 403,
      retryable: false,
    });
    sim.setFaults(parseFaults('CreateCustomerGateway:Forbbiden.SubUser=1'));
    expect(await failure(cgw({ IpAddress: '47.1.1.5' }))).toMatchObject({
      code: 'Forbbiden.SubUser',
      httpStatus: 403,
      retryable: false,
    });
  });

  it('fills the VPN gateway quota and refuses one more', async () => {
    const { vpcId } = await firstVpc();
    for (let i = 0; i < 3; i++)
      await client().createVpnGateway({ RegionId: 'cn-hangzhou', VpcId: vpcId, Bandwidth: 5 });
    const full = await failure(
      client().createVpnGateway({ RegionId: 'cn-hangzhou', VpcId: vpcId, Bandwidth: 5 }),
    );
    expect(full).toMatchObject({ code: 'Resource.QuotaFull', httpStatus: 400, retryable: false });
    // A repeated token must still find its gateway when the quota is full.
    sim.reset();
    const a = await client().createVpnGateway({
      RegionId: 'cn-hangzhou',
      VpcId: vpcId,
      Bandwidth: 5,
      ClientToken: 'q',
    });
    for (let i = 0; i < 2; i++)
      await client().createVpnGateway({ RegionId: 'cn-hangzhou', VpcId: vpcId, Bandwidth: 5 });
    const b = await client().createVpnGateway({
      RegionId: 'cn-hangzhou',
      VpcId: vpcId,
      Bandwidth: 5,
      ClientToken: 'q',
    });
    expect(b.VpnGatewayId).toBe(a.VpnGatewayId);
  });

  it('refuses parameters the way the API does', async () => {
    const { vpcId } = await firstVpc();
    const vpn = (p: Record<string, string | number | boolean>) =>
      client().createVpnGateway({ RegionId: 'cn-hangzhou', VpcId: vpcId, Bandwidth: 5, ...p });
    expect(await failure(vpn({ VpcId: 'vpc-doesnotexist' }))).toMatchObject({
      code: 'InvalidVpcId.NotFound',
      httpStatus: 404,
    });
    expect(await failure(vpn({ Bandwidth: 7 }))).toMatchObject({
      code: 'InvalidBandwidth',
      retryable: false,
    });
    expect(await failure(vpn({ InstanceChargeType: 'PREPAY' }))).toMatchObject({
      code: 'MissingPeriod',
      retryable: false,
    });
    expect(await failure(vpn({ Name: '1abc' }))).toMatchObject({ code: 'InvalidName' });
    expect(
      await failure(client().describeVpnGateway({ RegionId: 'cn-hangzhou', VpnGatewayId: 'vpn-nope' })),
    ).toMatchObject({ code: 'InvalidVpnGatewayInstanceId.NotFound', httpStatus: 404 });
    expect(sim.state().vpnGateways).toHaveLength(0);
  });

  it('reports an unpaid subscription as FinancialLocked and never activates it', async () => {
    const { vpcId } = await firstVpc();
    const gw = await client().createVpnGateway({
      RegionId: 'cn-hangzhou',
      VpcId: vpcId,
      Bandwidth: 5,
      InstanceChargeType: 'PREPAY',
      Period: 1,
      AutoPay: false,
    });
    clock.advance(3_600_000);
    const seen = await client().describeVpnGateway({
      RegionId: 'cn-hangzhou',
      VpnGatewayId: gw.VpnGatewayId,
    });
    expect(seen).toMatchObject({ Status: 'init', BusinessStatus: 'FinancialLocked' });
  });

  it('pages lists with TotalCount, PageNumber and PageSize', async () => {
    for (let i = 1; i <= 3; i++)
      await client().createCustomerGateway({ RegionId: 'cn-shanghai', IpAddress: `47.2.0.${i}` });
    const page1 = await client().describeCustomerGateways({
      RegionId: 'cn-shanghai',
      PageSize: 2,
      PageNumber: 1,
    });
    const page2 = await client().describeCustomerGateways({
      RegionId: 'cn-shanghai',
      PageSize: 2,
      PageNumber: 2,
    });
    expect(page1).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 2 });
    expect(page1.CustomerGateways.CustomerGateway).toHaveLength(2);
    expect(page2.CustomerGateways.CustomerGateway).toHaveLength(1);
    const ids = [...page1.CustomerGateways.CustomerGateway, ...page2.CustomerGateways.CustomerGateway].map(
      (g) => g.IpAddress,
    );
    expect(ids.sort()).toEqual(['47.2.0.1', '47.2.0.2', '47.2.0.3']);
    expect(await failure(client().describeVpcs({ RegionId: 'cn-hangzhou', PageSize: 51 }))).toMatchObject({
      code: 'InvalidPageSize',
    });
    const regions = await client().describeRegions({ AcceptLanguage: 'en-US' });
    expect(regions.Regions.Region.find((r) => r.RegionId === 'cn-hangzhou')?.LocalName).toBe(
      'China (Hangzhou)',
    );
    const zh = await client().describeRegions();
    expect(zh.Regions.Region.find((r) => r.RegionId === 'cn-hangzhou')?.LocalName).toBe('华东1（杭州）');
  });

  it('checks the signature, the key and the nonce', async () => {
    const wrong = createVpcClient({ ...KEY, accessKeySecret: 'not-the-secret', endpoint: sim.url });
    expect(await failure(wrong.describeRegions())).toMatchObject({
      code: 'SignatureDoesNotMatch',
      retryable: false,
    });
    const unknown = createVpcClient({
      accessKeyId: 'someone-else',
      accessKeySecret: 'x-secret',
      endpoint: sim.url,
    });
    expect(await failure(unknown.describeRegions())).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
      httpStatus: 404,
    });
    // GET works too (the signature covers the method), as with any Alibaba RPC endpoint.
    const raw = new RPCClient({ endpoint: sim.url, apiVersion: '2016-04-28', ...KEY });
    const viaGet = await raw.request<{ Regions: { Region: unknown[] } }>(
      'DescribeRegions',
      {},
      { method: 'GET' },
    );
    expect(viaGet.Regions.Region.length).toBeGreaterThan(0);
  });

  it('refuses a reused nonce and a stale timestamp', async () => {
    const { signRpc } = await import('../../src/cloud/signature.js');
    const send = async (params: Record<string, string>) => {
      const signed = { ...params, Signature: signRpc('POST', params, KEY.accessKeySecret) };
      const body = new URLSearchParams(signed).toString();
      const res = await fetch(`${sim.url}/`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      return (await res.json()) as { Code?: string };
    };
    const base = {
      AccessKeyId: KEY.accessKeyId,
      Action: 'DescribeRegions',
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'nonce-1',
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2016-04-28',
    };
    expect((await send(base)).Code).toBeUndefined();
    expect((await send(base)).Code).toBe('SignatureNonceUsed');
    const stale = new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect((await send({ ...base, SignatureNonce: 'nonce-2', Timestamp: stale })).Code).toBe(
      'InvalidTimeStamp.Expired',
    );
    expect((await send({ ...base, SignatureNonce: 'nonce-3', Timestamp: 'yesterday' })).Code).toBe(
      'InvalidTimeStamp.Format',
    );
    expect((await send({ ...base, SignatureNonce: 'nonce-4', Action: 'CreateRocket' })).Code).toBe(
      'InvalidApi.NotFound',
    );
  });

  it('injects throttling, 5xx and non-JSON answers as retryable errors, before the action runs', async () => {
    const cgw = (ip: string) => client().createCustomerGateway({ RegionId: 'cn-hangzhou', IpAddress: ip });
    sim.setFaults(parseFaults('Throttling.User=1'));
    expect(await failure(cgw('47.3.0.1'))).toMatchObject({
      code: 'Throttling.User',
      httpStatus: 400,
      retryable: true,
    });
    sim.setFaults(parseFaults('ServiceUnavailable=1'));
    expect(await failure(cgw('47.3.0.1'))).toMatchObject({
      code: 'ServiceUnavailable',
      httpStatus: 503,
      retryable: true,
    });
    sim.setFaults(parseFaults('InternalError=1'));
    expect(await failure(cgw('47.3.0.1'))).toMatchObject({
      code: 'InternalError',
      httpStatus: 500,
      retryable: true,
    });
    sim.setFaults(parseFaults('nonjson=1'));
    expect(await failure(cgw('47.3.0.1'))).toMatchObject({ code: 'NonJsonResponse', retryable: true });
    expect(sim.state().customerGateways).toHaveLength(0);
  });

  it('loses the answer of a call that took effect, and the same ClientToken then finds the gateway', async () => {
    sim.setFaults(parseFaults('CreateCustomerGateway:lost=1'));
    const lost = await failure(
      client().createCustomerGateway({
        RegionId: 'cn-hangzhou',
        IpAddress: '47.4.0.1',
        ClientToken: 'lost-1',
      }),
    );
    expect(lost.retryable).toBe(true);
    expect(sim.state().customerGateways).toHaveLength(1);
    sim.setFaults({ rules: [], latencyMs: 0 });
    const found = await client().createCustomerGateway({
      RegionId: 'cn-hangzhou',
      IpAddress: '47.4.0.1',
      ClientToken: 'lost-1',
    });
    expect(found.CustomerGatewayId).toBe(sim.state().customerGateways[0]?.CustomerGatewayId);
    expect(sim.state().customerGateways).toHaveLength(1);
  });

  it('times out like a slow cloud, as a retryable RequestTimeout', async () => {
    sim.setFaults(parseFaults('latency=800ms'));
    const slow = createVpcClient({ ...KEY, endpoint: sim.url, timeoutMs: 200 });
    expect(await failure(slow.describeRegions())).toMatchObject({ code: 'RequestTimeout', retryable: true });
  });

  it('serves its state, and resets', async () => {
    await client().createCustomerGateway({ RegionId: 'cn-hangzhou', IpAddress: '47.5.0.1' });
    const state = (await (await fetch(`${sim.url}/_simulator/state`)).json()) as {
      customerGateways: unknown[];
      calls: Record<string, number>;
    };
    expect(state.customerGateways).toHaveLength(1);
    expect(state.calls.CreateCustomerGateway).toBe(1);
    await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' });
    expect(sim.state().customerGateways).toHaveLength(0);
    await fetch(`${sim.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify(parseFaults('Throttling.User=1')),
    });
    expect(await failure(client().describeRegions())).toMatchObject({ code: 'Throttling.User' });
  });
});

describe('parseFaults', () => {
  it('reads the SIMULATOR_FAULTS grammar', () => {
    expect(
      parseFaults(
        'Throttling.User=0.2,ServiceUnavailable=0.05,latency=300ms,CreateVpnGateway:nonjson=0.1,seed=7',
      ),
    ).toEqual({
      rules: [
        { name: 'Throttling.User', probability: 0.2 },
        { name: 'ServiceUnavailable', probability: 0.05 },
        { action: 'CreateVpnGateway', name: 'nonjson', probability: 0.1 },
      ],
      latencyMs: 300,
      seed: 7,
    });
  });

  it('lists every malformed entry', () => {
    expect(() => parseFaults('Throttling=2,latency=fast,=1,bad name=0.1')).toThrow(
      /probability must be a number from 0 to 1.*latency "fast".*"=1" is not Name=value.*"bad name"/,
    );
  });
});
