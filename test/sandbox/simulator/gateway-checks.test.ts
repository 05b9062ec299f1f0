import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { popClient, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { commonParams, popFailure, rawRequest, timestamp } from './helpers.js';

const KEY = { accessKeyId: 'checks-key', accessKeySecret: 'checks-secret-9f2c' };
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator(KEY);
});
afterEach(() => {
  // Reset first, so that one failing test does not spill into the next.
  const violations = sim.conformanceViolations(true);
  sim.reset();
  expect(violations).toEqual([]);
});
afterAll(() => sim.close());

const raw = (params: Record<string, string>, opts?: Parameters<typeof rawRequest>[3]) =>
  rawRequest(sim.url, params, KEY.accessKeySecret, opts);

describe("the API gateway's checks, in Alibaba's order", () => {
  it('accepts the unmodified pop-core client by POST and by GET', async () => {
    for (const method of ['POST', 'GET'] as const) {
      const answer = await popClient(sim, KEY).call<{ Regions: { Region: unknown[] } }>(
        'DescribeRegions',
        {},
        { method },
      );
      expect(answer.Regions.Region.length).toBeGreaterThan(4);
      expect(answer.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    }
    expect(sim.requests().map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (400) and an unknown key with 404', async () => {
    const wrong = await popFailure(
      popClient(sim, { ...KEY, accessKeySecret: 'not-the-secret' }).call('DescribeRegions'),
    );
    expect(wrong).toMatchObject({ code: 'SignatureDoesNotMatch', status: 400 });
    expect(Object.keys(wrong.data).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    const unknown = await popFailure(
      popClient(sim, { ...KEY, accessKeyId: 'someone-else' }).call('DescribeRegions'),
    );
    expect(unknown).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', status: 404 });
    // Refused requests never reach the API: nothing counted, nothing logged.
    expect(sim.state().calls).toEqual({});
  });

  it('refuses a tampered parameter: the signature covers every value and the method', async () => {
    const params = { ...commonParams(KEY.accessKeyId, 'DescribeRegions'), AcceptLanguage: 'en-US' };
    const { signRpc } = await import('../../../src/sandbox/simulator/signature.js');
    const signature = signRpc('POST', params, KEY.accessKeySecret);
    const tampered = await raw({ ...params, AcceptLanguage: 'zh-CN', Signature: signature }, { sign: false });
    expect(tampered).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
    // Signed for POST, sent as GET.
    const asGet = await raw({ ...params, Signature: signature }, { sign: false, method: 'GET' });
    expect(asGet.body.Code).toBe('SignatureDoesNotMatch');
  });

  it('checks the timestamp: format, then skew over 15 minutes either way', async () => {
    const base = commonParams(KEY.accessKeyId, 'DescribeRegions');
    for (const bad of [
      'yesterday',
      '2024-02-30T10:00:00Z',
      '2024-01-01 10:00:00Z',
      '2024-01-01T10:00:00.123Z',
    ]) {
      const answer = await raw({ ...base, SignatureNonce: `fmt-${bad}`, Timestamp: bad });
      expect(answer, bad).toMatchObject({ status: 400, body: { Code: 'InvalidTimeStamp.Format' } });
    }
    for (const skew of [-16 * 60_000, 16 * 60_000]) {
      const answer = await raw({
        ...base,
        SignatureNonce: `skew${skew}`,
        Timestamp: timestamp(Date.now() + skew),
      });
      expect(answer).toMatchObject({ status: 400, body: { Code: 'InvalidTimeStamp.Expired' } });
    }
    const fine = await raw({ ...base, Timestamp: timestamp(Date.now() - 14 * 60_000) });
    expect(fine.status).toBe(200);
  });

  it('checks in order: a stale timestamp is reported before an unknown key or a bad signature', async () => {
    const stale = {
      ...commonParams('nobody', 'DescribeRegions'),
      Timestamp: timestamp(Date.now() - 3_600_000),
      Signature: 'garbage',
    };
    expect((await raw(stale, { sign: false })).body.Code).toBe('InvalidTimeStamp.Expired');
    const unknownKey = { ...commonParams('nobody', 'DescribeRegions'), Signature: 'garbage' };
    expect((await raw(unknownKey, { sign: false })).body.Code).toBe('InvalidAccessKeyId.NotFound');
    const unknownAction = { ...commonParams(KEY.accessKeyId, 'CreateRocket'), Signature: 'garbage' };
    expect((await raw(unknownAction, { sign: false })).body.Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a reused nonce, but a badly signed request does not use the nonce up', async () => {
    const params = commonParams(KEY.accessKeyId, 'DescribeRegions');
    const forged = await raw({ ...params, Signature: 'forged' }, { sign: false });
    expect(forged.body.Code).toBe('SignatureDoesNotMatch');
    expect((await raw(params)).status).toBe(200);
    expect(await raw(params)).toMatchObject({ status: 400, body: { Code: 'SignatureNonceUsed' } });
    expect(sim.state().calls.DescribeRegions).toBe(1);
  });

  it('reports a missing common parameter, a wrong version and an unknown action', async () => {
    const { SignatureNonce: _n, ...noNonce } = commonParams(KEY.accessKeyId, 'DescribeRegions');
    expect(await raw(noNonce)).toMatchObject({ status: 400, body: { Code: 'MissingSignatureNonce' } });
    const unsigned = await raw(commonParams(KEY.accessKeyId, 'DescribeRegions'), { sign: false });
    expect(unsigned.body.Code).toBe('MissingSignature');
    const oldVersion = await raw({
      ...commonParams(KEY.accessKeyId, 'DescribeRegions'),
      Version: '2014-05-26',
    });
    expect(oldVersion).toMatchObject({ status: 400, body: { Code: 'InvalidVersion' } });
    const sha256 = await raw({
      ...commonParams(KEY.accessKeyId, 'DescribeRegions'),
      SignatureMethod: 'HMAC-SHA256',
    });
    expect(sha256.body.Code).toBe('InvalidSignatureMethod');
    const unknown = await raw(commonParams(KEY.accessKeyId, 'CreateRocket'));
    expect(unknown).toMatchObject({ status: 404, body: { Code: 'InvalidApi.NotFound' } });
  });

  it("then the action's own Missing<Param>", async () => {
    const missing = await popFailure(
      popClient(sim, KEY).call('CreateCustomerGateway', { RegionId: 'cn-hangzhou' }),
    );
    expect(missing).toMatchObject({ code: 'MissingIpAddress', status: 400 });
    const noRegion = await popFailure(popClient(sim, KEY).call('DescribeVpnGateways'));
    expect(noRegion).toMatchObject({ code: 'MissingRegionId', status: 400 });
    // Both calls break the metadata on purpose, and the conformance check saw it.
    expect(sim.conformanceViolations(true)).toEqual([
      'CreateCustomerGateway: missing required IpAddress',
      'DescribeVpnGateways: missing required RegionId',
    ]);
  });

  it('never shows the secret in an error body, the state or the request log', async () => {
    await popFailure(popClient(sim, { ...KEY, accessKeySecret: 'not-the-secret' }).call('DescribeRegions'));
    const failed = await raw({ ...commonParams(KEY.accessKeyId, 'DescribeRegions'), Timestamp: 'x' });
    await popClient(sim, KEY).call('DescribeRegions');
    const state = await (await fetch(`${sim.url}/_simulator/state`)).text();
    for (const text of [failed.text, state, JSON.stringify(sim.requests())])
      expect(text).not.toContain(KEY.accessKeySecret);
    expect(state).not.toContain('"Signature"');
  });
});

describe('a required SecurityToken (STS credentials)', () => {
  let sts: TestSimulator;
  beforeAll(async () => {
    sts = await startTestSimulator({ ...KEY, securityToken: 'sts-token-abc' });
  });
  afterAll(() => sts.close());

  it('accepts the right token, refuses a missing or wrong one, and redacts it in the log', async () => {
    const ok = await popClient(sts, { ...KEY, securityToken: 'sts-token-abc' }).call('DescribeRegions');
    expect(ok.RequestId).toBeTruthy();
    expect(await popFailure(popClient(sts, KEY).call('DescribeRegions'))).toMatchObject({
      code: 'MissingSecurityToken',
      status: 400,
    });
    expect(
      await popFailure(popClient(sts, { ...KEY, securityToken: 'stolen' }).call('DescribeRegions')),
    ).toMatchObject({ code: 'InvalidSecurityToken.MismatchWithAccessKey', status: 400 });
    expect(sts.requests()).toHaveLength(1);
    expect(sts.requests()[0]?.params.SecurityToken).toBe('[redacted]');
    expect(JSON.stringify(sts.state())).not.toContain('sts-token-abc');
    sts.expectConformance();
  });
});
