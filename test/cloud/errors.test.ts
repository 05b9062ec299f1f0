import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_ERROR_MESSAGES } from '../../src/cloud/error-messages.js';
import {
  CloudError,
  createVpcClient,
  type DescribeRegionsResponse,
  type DescribeVpcsResponse,
  isRetryable,
  redactSecrets,
  toCloudError,
} from '../../src/cloud/index.js';
import { RoleAssumptionError } from '../../src/cloud/sts.js';

const SEED_CODES = [
  'Forbbiden.SubUser',
  'Forbidden',
  'InvalidIpAddress.AlreadyExist',
  'InvalidIpAddress.WrongFormat',
  'InvalidName',
  'InvalidDescription',
  'Resource.QuotaFull',
];

describe('retry rules (docs/architecture.md, "Cloud errors and retries")', () => {
  it.each([
    ['Throttling.User', 400, true],
    ['Throttling', 400, true],
    ['Throttling.Api', 400, true],
    ['ServiceUnavailable', 503, true],
    ['InternalError', 500, true],
    ['OperationConflict', 400, true],
    ['VpnGateway.Configuring', 400, true],
    ['TaskConflict', 400, true],
    ['VpnTask.CONFLICT', 400, true],
    ['RequestTimeout', undefined, true],
    ['ConnectionError', undefined, true],
    ['NonJsonResponse', undefined, true],
    ['SomethingNew', 502, true],
    ['IdempotentParameterMismatch', 400, false],
    ['Forbidden', 403, false],
    ['Forbidden.RAM', 403, false],
    ['Forbbiden.SubUser', 403, false],
    ['InvalidName', 400, false],
    ['InvalidVpcId.NotFound', 404, false],
    ['MissingRegionId', 400, false],
    ['Resource.QuotaFull', 400, false],
    ['SignatureDoesNotMatch', 400, false],
    ['SomethingNew', 400, false],
  ] as const)('%s (HTTP %s) retryable: %s', (code, status, retryable) => {
    expect(isRetryable(code, status)).toBe(retryable);
  });
});

describe('messages for people', () => {
  it('gives each seed error code its own explanation in both languages', () => {
    const seen = new Set<string>();
    for (const code of SEED_CODES) {
      const error = new CloudError({ code, action: 'CreateCustomerGateway', httpStatus: 400 });
      for (const locale of ['en', 'zh-CN'] as const) {
        const { what, todo } = error.explain(locale);
        expect(what.length, `${code} ${locale}`).toBeGreaterThan(5);
        expect(todo.length, `${code} ${locale}`).toBeGreaterThan(5);
        expect(seen.has(what), `${code} ${locale} repeats another code's text`).toBe(false);
        seen.add(what);
      }
      expect(CLOUD_ERROR_MESSAGES[code]).toBeDefined();
    }
  });

  it('explains unknown codes with the code itself', () => {
    const error = new CloudError({
      code: 'Brand.NewCode',
      action: 'CreateVpnGateway',
      httpStatus: 400,
      requestId: 'R-1',
    });
    expect(error.explain('en').what).toContain('Brand.NewCode');
    expect(error.message).toContain('R-1');
  });
});

describe('a RAM role that could not be assumed', () => {
  it('is AssumeRole.<STS code>, explained for people in both languages, retried only when STS was out of reach', () => {
    const refused = toCloudError(
      new RoleAssumptionError({
        code: 'NoPermission',
        roleArn: 'acs:ram::1:role/bot',
        why: 'not trusted',
        httpStatus: 403,
      }),
      'CreateCustomerGateway',
    );
    expect(refused).toMatchObject({
      code: 'AssumeRole.NoPermission',
      retryable: false,
      action: 'CreateCustomerGateway',
    });
    expect(refused.explain('en').what).toContain(
      'could not sign in to the account through its RAM role: STS answered NoPermission',
    );
    expect(refused.explain('zh-CN').what).toContain('STS 返回 NoPermission');
    expect(refused.message).toContain('acs:ram::1:role/bot');
    const unreachable = toCloudError(
      new RoleAssumptionError({
        code: 'ECONNREFUSED',
        roleArn: 'acs:ram::1:role/bot',
        why: 'could not be reached',
      }),
      'DescribeRegions',
    );
    expect(unreachable).toMatchObject({ code: 'AssumeRole.ECONNREFUSED', retryable: true });
  });
});

describe('secrets never leave a CloudError', () => {
  const SECRET = 'very-secret-access-key-value';
  const TOKEN = 'sts-token-CAISxyz-secret';
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.includes('hang') || req.headers['x-acs-action'] === 'DescribeVpcs') return; // never answers
      if (req.headers['x-acs-action'] === 'DescribeRegions') {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>502 Bad Gateway</html>');
        return;
      }
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          RequestId: 'REQ-1',
          HostId: 'h',
          Code: 'Forbidden',
          Message: 'User not authorized.',
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  function exposed(err: CloudError): string {
    return [
      err.message,
      err.stack ?? '',
      JSON.stringify(err),
      inspect(err, { depth: 10 }),
      String(err.cause?.message),
    ].join('\n');
  }

  it.each([
    [
      'a cloud error code',
      (c: ReturnType<typeof createVpcClient>) =>
        c.call('CreateVpnGateway', { RegionId: 'x', VpcId: 'v', Bandwidth: 5 }),
    ],
    [
      'a non-JSON page',
      (c: ReturnType<typeof createVpcClient>) => c.call<DescribeRegionsResponse>('DescribeRegions', {}),
    ],
    [
      'a timeout',
      (c: ReturnType<typeof createVpcClient>) =>
        c.call<DescribeVpcsResponse>('DescribeVpcs', { RegionId: 'x' }),
    ],
  ])('%s', async (_what, call) => {
    const client = createVpcClient({
      accessKeyId: 'AKID-visible',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      endpoint: url,
      timeoutMs: 300,
    });
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    const text = exposed(err as CloudError);
    for (const leak of [SECRET, TOKEN, 'Signature=', 'SecurityToken=', 'AccessKeyId='])
      expect(text).not.toContain(leak);
  });

  it('redacts a raw pop-core error message that carries a signed GET URL', () => {
    const raw = Object.assign(
      new Error(
        `Forbidden, URL: https://vpc.cn-hangzhou.aliyuncs.com/?AccessKeyId=AK&SecurityToken=${TOKEN}&Signature=abc%3D`,
      ),
      {
        name: 'ForbiddenError',
        code: 'Forbidden',
        data: { RequestId: 'R', Code: 'Forbidden', Message: 'no' },
        entry: { response: { statusCode: 403 } },
      },
    );
    const err = toCloudError(raw, 'CreateVpnGateway', [SECRET, TOKEN]);
    expect(err).toMatchObject({ code: 'Forbidden', httpStatus: 403, requestId: 'R', retryable: false });
    expect(exposed(err)).not.toMatch(/Signature=abc|AccessKeyId=AK/);
    expect(exposed(err)).not.toContain(TOKEN);
    expect(redactSecrets(`x ${SECRET} y`, [SECRET])).toBe('x [REDACTED] y');
  });

  it('classifies socket errors as retryable connection errors', async () => {
    const closed = createVpcClient({
      accessKeyId: 'a',
      accessKeySecret: SECRET,
      endpoint: 'http://127.0.0.1:1',
      timeoutMs: 500,
    });
    const err = (await closed
      .call<DescribeRegionsResponse>('DescribeRegions', {})
      .catch((e: unknown) => e)) as CloudError;
    expect(err).toMatchObject({ code: 'ConnectionError', retryable: true });
    expect(exposed(err)).not.toContain(SECRET);
  });
});
