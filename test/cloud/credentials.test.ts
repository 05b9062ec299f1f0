/**
 * RAM role credentials (`roleCredentialsProvider`) against the fake STS over TLS and the
 * multi-account simulator, through the unmodified pop-core client (`createVpcClient` with
 * `credentialsProvider`): calls land in the role's account only, the library renews 15 minutes
 * before expiry, and every failure (a refused role, an unknown one, a wrong secret, an expired
 * token, an unreachable or untrusted STS) is a plain error that holds no key, token or signature.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  defaultChainProvider,
  RoleAssumptionError,
  type RoleCredentialsOptions,
  roleCredentialsProvider,
} from '../../src/cloud/credentials.js';
import { CloudError } from '../../src/cloud/errors.js';
import { createVpcClient } from '../../src/cloud/vpc-client.js';
import {
  type RunningSimulator,
  type RunningSts,
  startFakeSts,
  startSimulator,
} from '../../src/sandbox/simulator/index.js';
import { runNode } from '../support/processes.js';
import { makeTlsFiles, type TlsFiles } from '../support/redis-servers.js';

const BOT = { name: 'bot', accessKeyId: 'role-bot-key', accessKeySecret: 'role-bot-secret-3d8e' };
const PROD = { name: 'prod', accessKeyId: 'role-prod-key', accessKeySecret: 'role-prod-secret-61aa' };
const STAGING = {
  name: 'staging',
  accessKeyId: 'role-staging-key',
  accessKeySecret: 'role-staging-secret-9f0b',
};
const PROD_ROLE = 'acs:ram::1000000000000001:role/gateway-bot';
const STAGING_ROLE = 'acs:ram::1000000000000002:role/gateway-bot';
const BASE = { accessKeyId: BOT.accessKeyId, accessKeySecret: BOT.accessKeySecret };

let dir: string;
let tls: TlsFiles;
let sim: RunningSimulator;
let sts: RunningSts;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gw-role-'));
  tls = makeTlsFiles(dir);
  sim = await startSimulator({ accounts: [BOT, PROD, STAGING] });
  sts = await startFakeSts({
    simulator: sim,
    roles: [
      { arn: PROD_ROLE, account: 'prod', externalId: 'netops-prod', trustedAccounts: ['bot'] },
      { arn: STAGING_ROLE, account: 'staging' },
    ],
    tls: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
  });
});
afterEach(() => {
  vi.useRealTimers();
  sts.reset();
  sim.reset();
});
afterAll(async () => {
  await sts?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const prodRole = (extra: Partial<RoleCredentialsOptions> = {}) =>
  roleCredentialsProvider({
    roleArn: PROD_ROLE,
    externalId: 'netops-prod',
    base: BASE,
    stsEndpoint: sts.endpoint,
    ca: tls.ca,
    ...extra,
  });
const vpcOf = (provider: ReturnType<typeof roleCredentialsProvider>) =>
  createVpcClient({ credentialsProvider: provider, endpoint: sim.url });

/** Whatever a promise rejects with (the test fails if it resolves). */
async function failure(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected a failure, got ${String(outcome)}`);
  return outcome;
}

/** Every secret in play: the accounts' own, and every key and token the STS has issued. */
function secrets(): string[] {
  const issued = sts.calls().flatMap((c) => {
    const key = c.accessKeyId ? sim.keys.find(c.accessKeyId) : undefined;
    return key ? [key.accessKeySecret, key.securityToken ?? ''] : [];
  });
  return [BOT.accessKeySecret, PROD.accessKeySecret, STAGING.accessKeySecret, ...issued].filter(Boolean);
}

/** The error, however it is shown (message, JSON, inspect, its cause), holds no secret or signature. */
function expectNoSecret(err: unknown): void {
  const shown = [String(err), JSON.stringify(err), inspect(err, { depth: 5 })];
  const cause = (err as { cause?: unknown }).cause;
  if (cause) shown.push(JSON.stringify(cause), inspect(cause, { depth: 5 }));
  const text = shown.join('\n');
  for (const secret of secrets()) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/Signature=|SecurityToken=|CAIS/);
}

describe('an account reached through a RAM role', () => {
  it('works in the role’s account only, assuming the role once for many calls', async () => {
    const vpc = vpcOf(prodRole());
    const made = await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: 'cn-hangzhou',
      IpAddress: '47.40.0.1',
    });
    await vpc.call('DescribeCustomerGateways', { RegionId: 'cn-hangzhou' });
    expect(sim.state('prod').customerGateways.map((g) => g.CustomerGatewayId)).toEqual([
      made.CustomerGatewayId,
    ]);
    expect(sim.state('bot').customerGateways).toEqual([]);
    expect(sim.state('staging').customerGateways).toEqual([]);
    const staging = await vpcOf(
      roleCredentialsProvider({ roleArn: STAGING_ROLE, base: BASE, stsEndpoint: sts.endpoint, ca: tls.ca }),
    ).call<{ TotalCount: number }>('DescribeCustomerGateways', { RegionId: 'cn-hangzhou' });
    expect(staging.TotalCount).toBe(0);

    expect(
      sts.calls().map((c) => [c.caller, c.roleArn, c.roleSessionName, c.externalId, c.durationSeconds]),
    ).toEqual([
      ['bot', PROD_ROLE, 'gateway-bot', 'netops-prod', 3600],
      ['bot', STAGING_ROLE, 'gateway-bot', undefined, 3600],
    ]);
    const [first, second] = sim.requests('prod');
    expect(first?.params.AccessKeyId).toBe(sts.calls()[0]?.accessKeyId);
    expect(second?.params.AccessKeyId).toBe(first?.params.AccessKeyId);
    expect(first?.params.SecurityToken).toBe('[redacted]');
  });

  it('assumes the role with credentials from a provider: the chain, or temporary ones of the bot’s own', async () => {
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', BOT.accessKeyId);
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', BOT.accessKeySecret);
    try {
      await vpcOf(prodRole({ base: defaultChainProvider() })).call('DescribeRegions', {});
    } finally {
      vi.unstubAllEnvs();
    }
    // The bot itself on temporary credentials (an ECS or OIDC role): its token goes along.
    const own = {
      account: 'bot',
      accessKeyId: 'STS.bot-own',
      accessKeySecret: 'bot-own-secret-77c2',
      securityToken: 'bot-own-token-5a19',
      expiresAt: Date.now() + 3_600_000,
    };
    sim.keys.addTemporary(own);
    await vpcOf(prodRole({ base: { getCredentials: async () => own }, roleSessionName: 'netops.bot' })).call(
      'DescribeRegions',
      {},
    );
    expect(sts.calls().map((c) => [c.caller, c.roleSessionName, c.code])).toEqual([
      ['bot', 'gateway-bot', 'OK'],
      ['bot', 'netops.bot', 'OK'],
    ]);
    expect(sim.requests('prod')).toHaveLength(2);
  });

  it('renews the credentials 15 minutes before they expire, not before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const vpc = vpcOf(prodRole());
    const keyOfLastCall = () => sim.requests('prod').at(-1)?.params.AccessKeyId;
    await vpc.call('DescribeRegions', {});
    const firstKey = keyOfLastCall();
    vi.setSystemTime(start + 44 * 60_000);
    await vpc.call('DescribeRegions', {});
    expect(sts.calls()).toHaveLength(1);
    expect(keyOfLastCall()).toBe(firstKey);
    vi.setSystemTime(start + 46 * 60_000);
    await vpc.call('DescribeRegions', {});
    expect(sts.calls()).toHaveLength(2);
    expect(keyOfLastCall()).toBe(sts.calls()[1]?.accessKeyId);
    expect(keyOfLastCall()).not.toBe(firstKey);
  });
});

describe('failures, said plainly and without secrets', () => {
  it('a refused role: NoPermission, naming the role, and nothing sent to the account', async () => {
    sts.refuse(PROD_ROLE);
    const provider = prodRole();
    const direct = await failure(provider.getCredentials());
    expect(direct).toBeInstanceOf(RoleAssumptionError);
    expect(direct).toMatchObject({ code: 'NoPermission', roleArn: PROD_ROLE, httpStatus: 403 });
    expect(direct.message).toMatch(
      new RegExp(
        `^Could not assume RAM role ${PROD_ROLE}: NoPermission \\(HTTP 403, RequestId [0-9A-F-]{36}\\): `,
      ),
    );
    expect(direct.message).toContain("trust policy must trust the bot's account");
    const viaVpc = await failure(vpcOf(provider).call('DescribeRegions', {}));
    expect(viaVpc).toBeInstanceOf(CloudError);
    // As a cloud call's failure: AssumeRole.<STS's code>, explained for people (error-messages.ts).
    expect(viaVpc).toMatchObject({ code: 'AssumeRole.NoPermission', retryable: false });
    expect((viaVpc as CloudError).cause).toMatchObject({
      name: 'RoleAssumptionError',
      message: expect.stringContaining(PROD_ROLE),
    });
    expect(sim.requests()).toEqual([]);
    for (const err of [direct, viaVpc]) expectNoSecret(err);
  });

  it.each([
    ['a wrong external id', { externalId: 'netops-staging' }, 'NoPermission'],
    ['no external id', { externalId: undefined }, 'NoPermission'],
    [
      'a role that does not exist',
      { roleArn: 'acs:ram::1000000000000001:role/nothere' },
      'EntityNotExist.Role',
    ],
    [
      'a wrong secret of the bot’s own',
      { base: { ...BASE, accessKeySecret: 'not-the-secret' } },
      'SignatureDoesNotMatch',
    ],
    [
      'an unknown key of the bot’s own',
      { base: { ...BASE, accessKeyId: 'nobody' } },
      'InvalidAccessKeyId.NotFound',
    ],
  ] as const)('%s: %s', async (_what, extra, code) => {
    const err = await failure(prodRole(extra).getCredentials());
    expect(err).toBeInstanceOf(RoleAssumptionError);
    expect((err as RoleAssumptionError).code).toBe(code);
    expect(err.message).toContain(
      `Could not assume RAM role ${'roleArn' in extra ? extra.roleArn : PROD_ROLE}: ${code}`,
    );
    expectNoSecret(err);
  });

  it('an expired token: the account answers InvalidSecurityToken.Expired, not retried', async () => {
    sts.expireCredentialsAt(Date.now() - 60_000);
    const err = await failure(vpcOf(prodRole()).call('DescribeRegions', {}));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: 'InvalidSecurityToken.Expired', httpStatus: 400, retryable: false });
    expect(err.message).toMatch(
      /^DescribeRegions failed: InvalidSecurityToken\.Expired \(HTTP 400\), RequestId .*: Specified SecurityToken is expired\.$/,
    );
    expectNoSecret(err);
  });

  it('a renewal refused: the last credentials serve while they last, then the refusal is thrown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const seen: RoleAssumptionError[] = [];
    const vpc = vpcOf(prodRole({ onAssumeRoleFailure: (err) => seen.push(err) }));
    await vpc.call('DescribeRegions', {});
    sts.refuse(PROD_ROLE);
    vi.setSystemTime(start + 50 * 60_000);
    await vpc.call('DescribeRegions', {});
    expect(seen.map((e) => e.code)).toEqual(['NoPermission']);
    expect(sim.requests('prod')).toHaveLength(2);

    vi.setSystemTime(start + 61 * 60_000);
    const err = await failure(vpc.call('DescribeRegions', {}));
    expect(err).toMatchObject({ code: 'AssumeRole.NoPermission' });
    // No call went out with the dead credentials.
    expect(sim.requests('prod')).toHaveLength(2);
    expectNoSecret(err);

    sts.refuse(PROD_ROLE, false);
    vi.setSystemTime(start + 62 * 60_000);
    await vpc.call('DescribeRegions', {});
    expect(sim.requests('prod').at(-1)?.params.AccessKeyId).toBe(sts.calls().at(-1)?.accessKeyId);
  });

  it('an STS that does not answer, or whose certificate is not trusted', async () => {
    const closed = await failure(vpcOf(prodRole({ stsEndpoint: '127.0.0.1:1' })).call('DescribeRegions', {}));
    expect(closed).toMatchObject({ code: 'AssumeRole.ECONNREFUSED', retryable: true });
    expect((closed as CloudError).cause?.message).toContain('STS at 127.0.0.1:1 could not be reached');
    const untrusted = await failure(prodRole({ ca: undefined }).getCredentials());
    expect(untrusted).toMatchObject({ code: expect.stringMatching(/CERT|VERIFY|SIGNATURE/) });
    expect(untrusted.message).toContain(`the certificate of STS at ${sts.endpoint} is not trusted`);
    for (const err of [closed, untrusted]) expectNoSecret(err);
    expect(sts.calls()).toEqual([]);
  });

  it('an STS answering what is not credentials, or a proxy’s page: its words never reach the error', async () => {
    const leaked = 'AccessKeySecret=leaked-secret-8d31';
    const answers: [number, string][] = [
      [200, `not json ${leaked}`],
      [
        200,
        JSON.stringify({ Credentials: { AccessKeyId: 'STS.half', AccessKeySecret: 'leaked-secret-8d31' } }),
      ],
      [502, `<html>Bad Gateway ${leaked}</html>`],
      [403, `<html>Forbidden ${leaked}</html>`],
    ];
    const odd = createHttpsServer(
      { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
      (_req, res) => {
        const [status, body] = answers.shift() ?? [500, ''];
        res
          .writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/html' })
          .end(body);
      },
    );
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const { port } = odd.address() as AddressInfo;
    try {
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) {
        const err = await failure(prodRole({ stsEndpoint: `127.0.0.1:${port}` }).getCredentials());
        expect(err).toBeInstanceOf(RoleAssumptionError);
        expect(String(err) + inspect(err)).not.toContain('leaked-secret-8d31');
        codes.push((err as RoleAssumptionError).code);
      }
      expect(codes).toEqual([
        'InvalidStsResponse',
        'InvalidStsResponse',
        'ServiceUnavailable',
        'InvalidStsResponse',
      ]);
      // A 5xx is worth another try; the rest is not.
      const viaVpc = await failure(
        vpcOf(prodRole({ stsEndpoint: `127.0.0.1:${port}` })).call('DescribeRegions', {}),
      );
      expect(viaVpc).toMatchObject({ code: 'AssumeRole.ServiceUnavailable', retryable: true });
    } finally {
      odd.closeAllConnections();
      await new Promise((resolve) => odd.close(resolve));
    }
  });

  it('bot credentials that cannot be had: named with the role, no secret', async () => {
    const err = await failure(
      prodRole({
        base: {
          getCredentials: async () => {
            throw new Error(`nothing at http://100.100.100.200/creds?AccessKeySecret=${BOT.accessKeySecret}`);
          },
        },
      }).getCredentials(),
    );
    expect(err).toMatchObject({ code: 'CredentialsUnavailable', roleArn: PROD_ROLE });
    expect(err.message).toContain("the bot's own credentials, which assume it, are unavailable");
    expectNoSecret(err);
  });

  it.each([
    [{ roleArn: '' }, /needs its ARN/],
    [{ durationSeconds: 600 }, /900 or more/],
    [{ stsEndpoint: 'https://sts.aliyuncs.com' }, /host or host:port/],
  ])('refuses options %j at once', (extra, why) => {
    expect(() => prodRole(extra)).toThrow(why);
  });
});

describe('trusting the STS certificate in another process', () => {
  const env = () => ({
    ROLE_ARN: PROD_ROLE,
    EXTERNAL_ID: 'netops-prod',
    STS_ENDPOINT: sts.endpoint,
    VPC_ENDPOINT: sim.url,
    BASE_KEY_ID: BOT.accessKeyId,
    BASE_KEY_SECRET: BOT.accessKeySecret,
  });

  it('trusts it through NODE_EXTRA_CA_CERTS, and refuses it without', async () => {
    const trusting = runNode('test/fixtures/assume-role.ts', { ...env(), NODE_EXTRA_CA_CERTS: tls.caFile });
    const wary = runNode('test/fixtures/assume-role.ts', env());
    const [yes, no] = await Promise.all([
      trusting.waitForLog(/^(assumed|refused)$/),
      wary.waitForLog(/^(assumed|refused)$/),
    ]);
    expect(yes).toEqual({ msg: 'assumed' });
    expect(no).toMatchObject({ msg: 'refused', cause: expect.stringContaining('is not trusted') });
    expect(sim.requests('prod').map((r) => r.action)).toEqual(['DescribeRegions']);
    await Promise.all([trusting.exited, wary.exited]);
    expect(trusting.output() + wary.output()).not.toContain(BOT.accessKeySecret);
  });
});
