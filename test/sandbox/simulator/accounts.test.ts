/**
 * Several accounts in one simulator: a request is answered in the account of the key that signed
 * it, so each account has its own gateways, connections, ClientTokens, quotas and rate-limit
 * windows, while the inspection API looks at one account or all of them. Temporary keys (as the
 * STS issues them) open one account, with their token, until they expire.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ManualClock,
  type SimulatorSnapshot,
  sandboxAccounts,
  startSimulator,
  UnknownPeerError,
} from '../../../src/sandbox/simulator/index.js';
import { popClient, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { account, DUAL_REGION } from './account.js';
import { popFailure } from './helpers.js';

const PROD = { name: 'prod', accessKeyId: 'prod-key', accessKeySecret: 'prod-secret-7c1e' };
const STAGING = { name: 'staging', accessKeyId: 'staging-key', accessKeySecret: 'staging-secret-4b9d' };
const clock = new ManualClock();
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    accounts: [PROD, STAGING],
    clock,
    quotas: { customerGateways: 2 },
    rateLimits: 'DescribeRegions=2/min',
  });
});
afterEach(() => {
  const violations = sim.conformanceViolations(true);
  sim.reset();
  expect(violations).toEqual([]);
});
afterAll(() => sim.close());

const prod = () => account(sim, PROD, clock);
const staging = () => account(sim, STAGING, clock);
const cgw = (who: ReturnType<typeof account>, ip: string, extra: Record<string, string> = {}) =>
  who.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
    RegionId: DUAL_REGION,
    IpAddress: ip,
    ...extra,
  });

describe('each account sees and changes only its own resources', () => {
  it('keeps a VPN gateway in the account that made it: another account finds, lists and deletes nothing', async () => {
    const gw = await prod().vpnGateway(DUAL_REGION);
    const byId = { RegionId: DUAL_REGION, VpnGatewayId: gw.VpnGatewayId };
    expect(await popFailure(staging().call('DescribeVpnGateway', byId))).toMatchObject({
      code: 'InvalidVpnGatewayInstanceId.NotFound',
    });
    const listed = await staging().call<{ TotalCount: number }>('DescribeVpnGateways', {
      RegionId: DUAL_REGION,
    });
    expect(listed.TotalCount).toBe(0);
    expect((await popFailure(staging().call('DeleteVpnGateway', byId))).code).toBe(
      'InvalidVpnGatewayInstanceId.NotFound',
    );
    expect((await prod().describeGateway(gw.VpnGatewayId, DUAL_REGION)).Status).toBe('active');

    expect(sim.accounts()).toEqual(['prod', 'staging']);
    expect(sim.state('prod').vpnGateways.map((g) => g.VpnGatewayId)).toEqual([gw.VpnGatewayId]);
    expect(sim.state('staging').vpnGateways).toEqual([]);
    // Without a name, the first account.
    expect(sim.state().account).toBe('prod');
    expect(sim.state('staging').calls).toEqual({
      DescribeVpnGateway: 1,
      DescribeVpnGateways: 1,
      DeleteVpnGateway: 1,
    });
  });

  it('keeps IPsec-VPN connections apart: a connection of one account cannot use another account’s gateways', async () => {
    const gw = await prod().vpnGateway(DUAL_REGION);
    const theirs = await cgw(staging(), '47.20.0.1');
    const failure = await popFailure(
      staging().call('CreateVpnConnection', {
        RegionId: DUAL_REGION,
        VpnGatewayId: gw.VpnGatewayId,
        CustomerGatewayId: theirs.CustomerGatewayId,
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '192.168.0.0/24',
      }),
    );
    expect(failure.code).toMatch(/NotFound$/);
    expect(sim.state('prod').vpnConnections).toEqual([]);
    expect(sim.state('staging').vpnConnections).toEqual([]);
  });

  it('logs each request with its account, and serves one account’s part of the log', async () => {
    await prod().call('DescribeVpcs', { RegionId: DUAL_REGION });
    await staging().call('DescribeVSwitches', { RegionId: DUAL_REGION });
    expect(sim.requests().map((r) => [r.account, r.action])).toEqual([
      ['prod', 'DescribeVpcs'],
      ['staging', 'DescribeVSwitches'],
    ]);
    expect(sim.requests('staging').map((r) => r.action)).toEqual(['DescribeVSwitches']);
    expect(sim.state('staging').requests.map((r) => r.action)).toEqual(['DescribeVSwitches']);
    expect(() => sim.requests('nobody')).toThrow(/no account nobody/);
  });

  it('gives ids unique across accounts, while addresses and ClientTokens are per account', async () => {
    const a = await cgw(prod(), '47.20.0.9', { ClientToken: 'same-token' });
    // The same address and the same token with other parameters: no clash in another account.
    const b = await cgw(staging(), '47.20.0.9', { ClientToken: 'same-token', Name: 'other' });
    expect(b.CustomerGatewayId).not.toBe(a.CustomerGatewayId);
    // In its own account the token still answers the first call, and a mismatch is still refused.
    expect((await cgw(prod(), '47.20.0.9', { ClientToken: 'same-token' })).CustomerGatewayId).toBe(
      a.CustomerGatewayId,
    );
    expect(
      (await popFailure(cgw(prod(), '47.20.0.9', { ClientToken: 'same-token', Name: 'other' }))).code,
    ).toBe('IdempotentParameterMismatch');
    expect(sim.state('prod').clientTokens.map((t) => t.token)).toEqual(['same-token']);
    expect(sim.state('staging').clientTokens.map((t) => t.response.CustomerGatewayId)).toEqual([
      b.CustomerGatewayId,
    ]);
  });

  it('counts quotas per account', async () => {
    await cgw(prod(), '47.21.0.1');
    await cgw(prod(), '47.21.0.2');
    expect((await popFailure(cgw(prod(), '47.21.0.3'))).code).toBe('Resource.QuotaFull');
    await cgw(staging(), '47.21.0.1');
    await cgw(staging(), '47.21.0.2');
    expect(sim.state('staging').customerGateways).toHaveLength(2);
  });

  it('keeps a rate-limit window per account, and reports throttles per account or added up', async () => {
    for (let i = 0; i < 2; i++) await prod().call('DescribeRegions');
    expect((await popFailure(prod().call('DescribeRegions'))).code).toBe('Throttling.User');
    for (let i = 0; i < 2; i++) await staging().call('DescribeRegions');
    expect((await popFailure(staging().call('DescribeRegions'))).code).toBe('Throttling.User');
    expect((await popFailure(staging().call('DescribeRegions'))).code).toBe('Throttling.User');
    const row = (count: number) => [{ regionId: 'global', action: 'DescribeRegions', count }];
    expect(sim.throttles('prod')).toEqual(row(1));
    expect(sim.throttles('staging')).toEqual(row(2));
    expect(sim.throttles()).toEqual(row(3));
    const http = (await (await fetch(`${sim.url}/_simulator/rate-limits?account=staging`)).json()) as {
      throttled: unknown;
    };
    expect(http.throttled).toEqual(row(2));
  });
});

describe('the inspection API, per account', () => {
  it('names the accounts, serves one account’s state, and answers 404 for an unknown one', async () => {
    await cgw(staging(), '47.22.0.1');
    expect(await (await fetch(`${sim.url}/_simulator/accounts`)).json()).toEqual({
      accounts: ['prod', 'staging'],
    });
    const state = (await (
      await fetch(`${sim.url}/_simulator/state?account=staging`)
    ).json()) as SimulatorSnapshot;
    expect(state.account).toBe('staging');
    expect(state.customerGateways.map((g) => g.IpAddress)).toEqual(['47.22.0.1']);
    const first = (await (await fetch(`${sim.url}/_simulator/state`)).json()) as SimulatorSnapshot;
    expect(first).toMatchObject({ account: 'prod', customerGateways: [] });
    const unknown = await fetch(`${sim.url}/_simulator/state?account=nobody`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error: 'the simulator serves no account nobody' });
    expect((await fetch(`${sim.url}/_simulator/rate-limits?account=nobody`)).status).toBe(404);
  });

  it('configures a peer in the named account, or in the account that holds the id', async () => {
    const theirs = await cgw(staging(), '47.23.0.1');
    const peer = (body: object) =>
      fetch(`${sim.url}/_simulator/peer`, { method: 'POST', body: JSON.stringify(body) });
    const elsewhere = await peer({ customerGatewayId: theirs.CustomerGatewayId, account: 'prod' });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toEqual({
      ok: false,
      error: `no customer gateway ${theirs.CustomerGatewayId}`,
    });
    expect(() => sim.configurePeer({ customerGatewayId: theirs.CustomerGatewayId }, true, 'prod')).toThrow(
      UnknownPeerError,
    );
    expect((await peer({ customerGatewayId: theirs.CustomerGatewayId, account: 'nobody' })).status).toBe(404);
    expect(sim.state('staging').configuredPeers).toEqual([]);

    expect((await peer({ customerGatewayId: theirs.CustomerGatewayId, account: 'staging' })).status).toBe(
      200,
    );
    expect(sim.state('staging').configuredPeers).toEqual([theirs.CustomerGatewayId]);
    expect(sim.configurePeer({ customerGatewayId: theirs.CustomerGatewayId }, false)).toEqual([]);
    expect(sim.state('staging').configuredPeers).toEqual([]);
    expect(sim.state('prod').configuredPeers).toEqual([]);
  });

  it('resets every account, its log and its throttles; the keys still open their accounts', async () => {
    await cgw(prod(), '47.24.0.1');
    await cgw(staging(), '47.24.0.1');
    for (let i = 0; i < 3; i++)
      await staging()
        .call('DescribeRegions')
        .catch(() => undefined);
    expect((await fetch(`${sim.url}/_simulator/reset`, { method: 'POST' })).status).toBe(200);
    for (const name of ['prod', 'staging'])
      expect(sim.state(name)).toMatchObject({
        customerGateways: [],
        clientTokens: [],
        calls: {},
        requests: [],
      });
    expect(sim.requests()).toEqual([]);
    expect(sim.throttles()).toEqual([]);
    await staging().call('DescribeRegions');
    expect(sim.requests().map((r) => r.account)).toEqual(['staging']);
  });
});

describe('temporary keys (as the STS issues them)', () => {
  const temp = (name: string, expiresAt: number) => ({
    account: name,
    accessKeyId: `STS.test-${name}-${expiresAt}`,
    accessKeySecret: `temp-secret-${name}-1f0a`,
    securityToken: `CAIStoken-${name}-${expiresAt}`,
    expiresAt,
  });

  it('open their own account, with their token, until they expire; then InvalidSecurityToken.Expired', async () => {
    const key = temp('staging', Date.now() + 60_000);
    sim.keys.addTemporary(key);
    await popClient(sim, key).call('CreateCustomerGateway', {
      RegionId: DUAL_REGION,
      IpAddress: '47.25.0.1',
    });
    expect(sim.state('staging').customerGateways.map((g) => g.IpAddress)).toEqual(['47.25.0.1']);
    expect(sim.state('prod').customerGateways).toEqual([]);
    expect(sim.requests('staging')[0]?.params.SecurityToken).toBe('[redacted]');

    const { securityToken: _token, ...withoutToken } = key;
    expect((await popFailure(popClient(sim, withoutToken).call('DescribeRegions'))).code).toBe(
      'MissingSecurityToken',
    );
    const other = temp('prod', Date.now() + 60_000);
    sim.keys.addTemporary(other);
    // One account's token never opens another's key.
    expect(
      await popFailure(
        popClient(sim, { ...key, securityToken: other.securityToken }).call('DescribeRegions'),
      ),
    ).toMatchObject({ code: 'InvalidSecurityToken.MismatchWithAccessKey', status: 400 });

    const expired = temp('staging', Date.now() - 1);
    sim.keys.addTemporary(expired);
    const failure = await popFailure(popClient(sim, expired).call('DescribeRegions'));
    expect(failure).toMatchObject({ code: 'InvalidSecurityToken.Expired', status: 400 });
    expect(failure.data.Message).toBe('Specified SecurityToken is expired.');
    // Refused before the API: nothing logged for it, and no secret anywhere.
    expect(sim.requests().map((r) => r.action)).toEqual(['CreateCustomerGateway']);
    const everything = JSON.stringify([
      sim.state('prod'),
      sim.state('staging'),
      sim.requests(),
      failure.data,
    ]);
    for (const secret of [key.accessKeySecret, key.securityToken, other.securityToken, expired.securityToken])
      expect(everything).not.toContain(secret);
  });

  it('are refused for an unknown account or a taken AccessKeyId', () => {
    expect(() => sim.keys.addTemporary(temp('nobody', Date.now() + 60_000))).toThrow(/no account nobody/);
    expect(() => sim.keys.addTemporary({ ...temp('prod', 1), accessKeyId: PROD.accessKeyId })).toThrow(
      /taken/,
    );
    expect(sim.keys.find(PROD.accessKeyId)?.account).toBe('prod');
    expect(sim.keys.find('STS.nothing')).toBeUndefined();
  });
});

describe('starting with accounts', () => {
  it('serves one account, `default`, when given a key pair or nothing', async () => {
    const one = await startSimulator({ accessKeyId: 'one-key', accessKeySecret: 'one-secret' });
    try {
      expect(one.accounts()).toEqual(['default']);
      await popClient(one, { accessKeyId: 'one-key', accessKeySecret: 'one-secret' }).call('DescribeRegions');
      expect(one.requests()[0]?.account).toBe('default');
      expect(one.state().account).toBe('default');
    } finally {
      await one.close();
    }
  });

  it.each([
    [{ accounts: [] }, /at least one account/],
    [{ accounts: [PROD, { ...STAGING, name: 'prod' }] }, /prod is given twice/],
    [{ accounts: [{ ...PROD, name: 'no spaces' }] }, /account name "no spaces"/],
    [{ accounts: [PROD, { ...STAGING, accessKeyId: PROD.accessKeyId }] }, /AccessKeyId prod-key is taken/],
    [{ accounts: [PROD], accessKeyId: 'k' }, /accounts, or one key pair, not both/],
  ])('refuses %j', async (options, why) => {
    await expect(startSimulator(options)).rejects.toThrow(why);
  });

  it('makes sandbox accounts: a key pair each, the secrets random', async () => {
    const accounts = sandboxAccounts(['alpha', 'beta']);
    expect(accounts.map((a) => [a.name, a.accessKeyId])).toEqual([
      ['alpha', 'sandbox-alpha'],
      ['beta', 'sandbox-beta'],
    ]);
    expect(accounts[0]?.accessKeySecret).not.toBe(accounts[1]?.accessKeySecret);
    expect(sandboxAccounts(['alpha'])[0]?.accessKeySecret).not.toBe(accounts[0]?.accessKeySecret);
    const two = await startSimulator({ accounts });
    try {
      for (const a of accounts) await popClient(two, a).call('DescribeRegions');
      expect(two.requests().map((r) => r.account)).toEqual(['alpha', 'beta']);
    } finally {
      await two.close();
    }
  });
});
