/**
 * The fake STS: AssumeRole over TLS (a certificate made here with openssl and trusted in process),
 * signed and checked as the VPC API is, answering Alibaba's shape and Alibaba's refusals, and
 * issuing credentials that the simulator accepts for the role's account only, until they expire.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningSimulator,
  type RunningSts,
  startFakeSts,
  startSimulator,
} from '../../../src/sandbox/simulator/index.js';
import { signRpc } from '../../../src/sandbox/simulator/signature.js';
import { makeTlsFiles, type TlsFiles } from '../../support/redis-servers.js';
import { popClient } from '../../support/simulator.js';
import { commonParams, popFailure } from './helpers.js';

const BOT = { name: 'bot', accessKeyId: 'sts-bot-key', accessKeySecret: 'sts-bot-secret-5e2a' };
const PROD = { name: 'prod', accessKeyId: 'sts-prod-key', accessKeySecret: 'sts-prod-secret-88b1' };
const STAGING = {
  name: 'staging',
  accessKeyId: 'sts-staging-key',
  accessKeySecret: 'sts-staging-secret-0c3f',
};
const PROD_ROLE = 'acs:ram::1000000000000001:role/gateway-bot';
const STAGING_ROLE = 'acs:ram::1000000000000002:role/gateway-bot';
const LONG_ROLE = 'acs:ram::1000000000000002:role/long-sessions';

let dir: string;
let tls: TlsFiles;
let sim: RunningSimulator;
let sts: RunningSts;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gw-sts-'));
  tls = makeTlsFiles(dir);
  sim = await startSimulator({ accounts: [BOT, PROD, STAGING] });
  sts = await startFakeSts({
    simulator: sim,
    roles: [
      { arn: PROD_ROLE, account: 'prod', externalId: 'netops-prod', trustedAccounts: ['bot'] },
      { arn: STAGING_ROLE, account: 'staging' },
      { arn: LONG_ROLE, account: 'staging', maxSessionDurationSeconds: 7200 },
    ],
    tls: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
  });
});
afterEach(() => {
  sts.reset();
  sim.reset();
});
afterAll(async () => {
  await sts?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface StsAnswer {
  status: number;
  text: string;
  body: Record<string, unknown> & {
    Code?: string;
    Message?: string;
    HostId?: string;
    Credentials?: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string };
    AssumedRoleUser?: { AssumedRoleId: string; Arn: string };
  };
}

type Key = { accessKeyId: string; accessKeySecret: string; securityToken?: string };

/** AssumeRole as the credentials library sends it: common parameters, signed, POSTed as a form over HTTPS. */
function assume(
  params: Record<string, string>,
  key: Key = BOT,
  tamper?: (p: Record<string, string>) => void,
) {
  const signed: Record<string, string> = {
    ...commonParams(key.accessKeyId, 'AssumeRole'),
    Version: '2015-04-01',
    ...(key.securityToken ? { SecurityToken: key.securityToken } : {}),
    ...params,
  };
  signed.Signature = signRpc('POST', signed, key.accessKeySecret);
  tamper?.(signed);
  const form = new URLSearchParams(signed).toString();
  return new Promise<StsAnswer>((resolve, reject) => {
    const req = request(
      `${sts.url}/`,
      { method: 'POST', ca: tls.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(form);
  });
}

const asProd = (extra: Record<string, string> = {}) =>
  assume({ RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot', ExternalId: 'netops-prod', ...extra });

describe('AssumeRole', () => {
  it('answers Alibaba’s shape, and its credentials open the role’s account only', async () => {
    const before = Date.now();
    const answer = await asProd();
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['AssumedRoleUser', 'Credentials', 'RequestId']);
    expect(answer.body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(answer.body.AssumedRoleUser).toEqual({
      AssumedRoleId: expect.stringMatching(/^\d+:gateway-bot$/),
      Arn: 'acs:ram::1000000000000001:role/gateway-bot/gateway-bot',
    });
    const credentials = answer.body.Credentials;
    if (!credentials) throw new Error('no credentials');
    expect(credentials.AccessKeyId).toMatch(/^STS\.[A-Za-z0-9]{20,}$/);
    expect(credentials.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expires = Date.parse(credentials.Expiration);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000);

    const temporary = {
      accessKeyId: credentials.AccessKeyId,
      accessKeySecret: credentials.AccessKeySecret,
      securityToken: credentials.SecurityToken,
    };
    await popClient(sim, temporary).call('CreateCustomerGateway', {
      RegionId: 'cn-hangzhou',
      IpAddress: '47.30.0.1',
    });
    expect(sim.state('prod').customerGateways.map((g) => g.IpAddress)).toEqual(['47.30.0.1']);
    expect(sim.state('bot').customerGateways).toEqual([]);
    expect(sim.state('staging').customerGateways).toEqual([]);
    // The key needs its token.
    const { securityToken: _t, ...bare } = temporary;
    expect((await popFailure(popClient(sim, bare).call('DescribeRegions'))).code).toBe(
      'MissingSecurityToken',
    );

    const last = sts.calls().at(-1);
    expect(last).toEqual({
      at: expect.any(Number),
      caller: 'bot',
      roleArn: PROD_ROLE,
      roleSessionName: 'gateway-bot',
      externalId: 'netops-prod',
      policy: false,
      code: 'OK',
      accessKeyId: credentials.AccessKeyId,
    });
    expect(JSON.stringify(sts.calls())).not.toContain(credentials.SecurityToken);
    expect(JSON.stringify(sts.calls())).not.toContain(credentials.AccessKeySecret);
  });

  it('lasts DurationSeconds: 900 to the role’s MaxSessionDuration (3600 unless set)', async () => {
    const lasts = async (answer: Promise<StsAnswer>) => {
      const { body } = await answer;
      return Math.round((Date.parse(body.Credentials?.Expiration ?? '') - Date.now()) / 1000);
    };
    expect(await lasts(asProd({ DurationSeconds: '900' }))).toBeGreaterThan(895);
    expect(await lasts(asProd({ DurationSeconds: '900' }))).toBeLessThanOrEqual(900);
    const long = assume({ RoleArn: LONG_ROLE, RoleSessionName: 'gateway-bot', DurationSeconds: '7200' });
    expect(await lasts(long)).toBeGreaterThan(7195);
    for (const [arn, seconds] of [
      [PROD_ROLE, '899'],
      [PROD_ROLE, '3601'],
      [LONG_ROLE, '7201'],
      [PROD_ROLE, 'soon'],
    ] as const) {
      const answer = await assume({
        RoleArn: arn,
        RoleSessionName: 'gateway-bot',
        ExternalId: 'netops-prod',
        DurationSeconds: seconds,
      });
      expect(answer).toMatchObject({
        status: 400,
        body: {
          Code: 'InvalidParameter.DurationSeconds',
          Message: 'The Min/Max value of DurationSeconds is 15min/1hr.',
        },
      });
    }
  });

  it.each<{ params: Record<string, string>; status: number; code: string }>([
    { params: { RoleSessionName: 'gateway-bot' }, status: 400, code: 'MissingRoleArn' },
    {
      params: { RoleArn: 'acs:ram::123:user/alice', RoleSessionName: 'gateway-bot' },
      status: 400,
      code: 'InvalidParameter.RoleArn',
    },
    { params: { RoleArn: PROD_ROLE }, status: 400, code: 'MissingRoleSessionName' },
    {
      params: { RoleArn: PROD_ROLE, RoleSessionName: 'a' },
      status: 400,
      code: 'InvalidParameter.RoleSessionName',
    },
    {
      params: { RoleArn: PROD_ROLE, RoleSessionName: 'gateway bot' },
      status: 400,
      code: 'InvalidParameter.RoleSessionName',
    },
    {
      params: { RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot', ExternalId: 'x' },
      status: 400,
      code: 'InvalidParameter.ExternalId',
    },
    {
      params: { RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot', ExternalId: 'has space' },
      status: 400,
      code: 'InvalidParameter.ExternalId',
    },
    {
      params: { RoleArn: STAGING_ROLE, RoleSessionName: 's1', Policy: 'not json' },
      status: 400,
      code: 'InvalidParameter.PolicyGrammar',
    },
    {
      params: { RoleArn: STAGING_ROLE, RoleSessionName: 's1', Policy: '{"Version":"1"}' },
      status: 400,
      code: 'InvalidParameter.PolicyGrammar',
    },
    {
      params: {
        RoleArn: STAGING_ROLE,
        RoleSessionName: 's1',
        Policy: JSON.stringify({ Statement: ['x'.repeat(2100)] }),
      },
      status: 400,
      code: 'InvalidParameter.PolicySize',
    },
    {
      params: { RoleArn: 'acs:ram::1000000000000001:role/nothere', RoleSessionName: 's1' },
      status: 404,
      code: 'EntityNotExist.Role',
    },
  ])('refuses with HTTP $status $code', async ({ params, status, code }) => {
    const answer = await assume(params);
    expect(answer).toMatchObject({ status, body: { Code: code, HostId: 'sts.aliyuncs.com' } });
    expect(sts.calls().at(-1)?.code).toBe(code);
  });

  it('takes a session policy (2048 bytes at most, a policy document)', async () => {
    const policy = JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['vpc:Describe*'], Resource: ['*'] }],
    });
    const answer = await assume({ RoleArn: STAGING_ROLE, RoleSessionName: 'reader', Policy: policy });
    expect(answer.status).toBe(200);
    expect(sts.calls().at(-1)).toMatchObject({ policy: true, code: 'OK' });
    expect(JSON.stringify(sts.calls())).not.toContain('vpc:Describe');
  });

  it('refuses a caller the role does not trust, a wrong or missing external id, and a refused role: NoPermission', async () => {
    const noPermission = {
      status: 403,
      body: {
        Code: 'NoPermission',
        Message: 'You are not authorized to do this action. You should be authorized by RAM.',
      },
    };
    const trusted = { RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot', ExternalId: 'netops-prod' };
    expect(await assume(trusted, STAGING)).toMatchObject(noPermission);
    expect(await asProd({ ExternalId: 'netops-staging' })).toMatchObject(noPermission);
    expect(await assume({ RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot' })).toMatchObject(noPermission);
    sts.refuse(PROD_ROLE);
    expect(await asProd()).toMatchObject(noPermission);
    sts.refuse(PROD_ROLE, false);
    expect((await asProd()).status).toBe(200);
    // A role that names no external id takes any well-formed one, and trusts every account by default.
    expect(
      (await assume({ RoleArn: STAGING_ROLE, RoleSessionName: 's1', ExternalId: 'anything' }, PROD)).status,
    ).toBe(200);
    expect(
      sts
        .calls()
        .slice(-6)
        .map((c) => [c.caller, c.code]),
    ).toEqual([
      ['staging', 'NoPermission'],
      ['bot', 'NoPermission'],
      ['bot', 'NoPermission'],
      ['bot', 'NoPermission'],
      ['bot', 'OK'],
      ['prod', 'OK'],
    ]);
  });

  it('checks its callers as the VPC API does, and never answers with a token or a secret', async () => {
    const wrongSecret = await assume(
      { RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot' },
      { ...BOT, accessKeySecret: 'not-it' },
    );
    expect(wrongSecret).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
    expect(wrongSecret.body.Message).toBe('Specified signature is not matched with our calculation.');
    expect(
      await assume({ RoleArn: PROD_ROLE, RoleSessionName: 's1' }, { ...BOT, accessKeyId: 'nobody' }),
    ).toMatchObject({
      status: 404,
      body: { Code: 'InvalidAccessKeyId.NotFound' },
    });
    expect(await assume({ RoleArn: PROD_ROLE, RoleSessionName: 's1', Version: '2016-04-28' })).toMatchObject({
      status: 400,
      body: { Code: 'InvalidVersion' },
    });
    expect(
      await assume({ RoleArn: PROD_ROLE, RoleSessionName: 's1', Action: 'GetCallerIdentity' }),
    ).toMatchObject({
      status: 404,
      body: { Code: 'InvalidApi.NotFound' },
    });
    const tampered = await assume({ RoleArn: PROD_ROLE, RoleSessionName: 'gateway-bot' }, BOT, (p) => {
      p.RoleSessionName = 'someone-else';
    });
    expect(tampered.body.Code).toBe('SignatureDoesNotMatch');

    // A temporary caller (a role assuming another role) is checked with its token and its expiry.
    const issued = (await asProd()).body.Credentials;
    if (!issued) throw new Error('no credentials');
    const chained = {
      accessKeyId: issued.AccessKeyId,
      accessKeySecret: issued.AccessKeySecret,
      securityToken: issued.SecurityToken,
    };
    expect((await assume({ RoleArn: STAGING_ROLE, RoleSessionName: 'chained' }, chained)).status).toBe(200);
    expect(sts.calls().at(-1)?.caller).toBe('prod');
    const wrongToken = await assume(
      { RoleArn: STAGING_ROLE, RoleSessionName: 'chained' },
      {
        ...chained,
        securityToken: 'CAISforged',
      },
    );
    expect(wrongToken.body.Code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    for (const text of [wrongSecret.text, tampered.text, wrongToken.text]) {
      expect(text).not.toContain(BOT.accessKeySecret);
      expect(text).not.toContain(issued.SecurityToken);
    }
  });

  it('issues credentials that expire when it is told to; the simulator then refuses them as expired', async () => {
    const at = Date.now() + 90_000;
    sts.expireCredentialsAt(new Date(at));
    const later = (await asProd({ DurationSeconds: '3600' })).body.Credentials;
    expect(Date.parse(later?.Expiration ?? '')).toBe(Math.floor(at / 1000) * 1000);

    sts.expireCredentialsAt(Date.now() - 5_000);
    const dead = (await asProd()).body.Credentials;
    if (!dead) throw new Error('no credentials');
    const failure = await popFailure(
      popClient(sim, {
        accessKeyId: dead.AccessKeyId,
        accessKeySecret: dead.AccessKeySecret,
        securityToken: dead.SecurityToken,
      }).call('DescribeRegions'),
    );
    expect(failure).toMatchObject({ code: 'InvalidSecurityToken.Expired', status: 400 });
    // And as a caller of STS itself.
    const asCaller = await assume(
      { RoleArn: STAGING_ROLE, RoleSessionName: 'late' },
      {
        accessKeyId: dead.AccessKeyId,
        accessKeySecret: dead.AccessKeySecret,
        securityToken: dead.SecurityToken,
      },
    );
    expect(asCaller.body.Code).toBe('InvalidSecurityToken.Expired');

    sts.expireCredentialsAt();
    const normal = (await asProd()).body.Credentials;
    expect(Date.parse(normal?.Expiration ?? '')).toBeGreaterThan(Date.now() + 3_590_000);
  });
});

describe('resetting the STS', () => {
  it('forgets its calls, the roles refused and the expiry imposed; the credentials issued stay valid', async () => {
    const issued = (await asProd()).body.Credentials;
    if (!issued) throw new Error('no credentials');
    sts.refuse(PROD_ROLE);
    sts.expireCredentialsAt(Date.now() - 1_000);
    sts.reset();
    expect(sts.calls()).toEqual([]);
    const again = await asProd();
    expect(again.status).toBe(200);
    expect(Date.parse(again.body.Credentials?.Expiration ?? '')).toBeGreaterThan(Date.now() + 3_590_000);
    await popClient(sim, {
      accessKeyId: issued.AccessKeyId,
      accessKeySecret: issued.AccessKeySecret,
      securityToken: issued.SecurityToken,
    }).call('DescribeRegions');
    expect(sim.requests('prod')).toHaveLength(1);
  });
});

describe('starting the STS', () => {
  const cert = () => ({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  it.each([
    [[{ arn: 'acs:ram::1:role/x', account: 'nobody' }], /unknown account nobody/],
    [[{ arn: 'acs:ram::1:role/x', account: 'prod', trustedAccounts: ['ghost'] }], /unknown account ghost/],
    [[{ arn: 'arn:aws:iam::1:role/x', account: 'prod' }], /is not acs:ram::<id>:role\/<name>/],
    [
      [
        { arn: 'acs:ram::1:role/x', account: 'prod' },
        { arn: 'acs:ram::1:role/x', account: 'staging' },
      ],
      /given twice/,
    ],
  ])('refuses roles %j', async (roles, why) => {
    await expect(startFakeSts({ simulator: sim, roles, tls: cert() })).rejects.toThrow(why);
  });
});
