import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalQueryString,
  percentEncode,
  signRpc,
  stringToSign,
} from '../../../src/sandbox/simulator/signature.js';

describe('RPC signature (SignatureVersion 1.0)', () => {
  it("matches Alibaba's documented known answer (TimeStamp spelt as in the document)", () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      TimeStamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(signRpc('GET', params, 'testsecret')).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  it("matches Apache libcloud's known answer", () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      RegionId: 'region1',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'NwDAxvLU6tFE0DVb',
      SignatureVersion: '1.0',
      TimeStamp: '2012-12-26T10:33:56Z',
      Version: '2014-05-26',
    };
    expect(signRpc('GET', params, 'testsecret')).toBe('K9fCVP6Jrklpd3rLYKh1pfrrFNo=');
  });

  it('percent-encodes as RFC 3986: unreserved kept, space %20, * %2A, upper-case hex, UTF-8', () => {
    expect(percentEncode('AZaz09-_.~')).toBe('AZaz09-_.~');
    expect(percentEncode('a b*c')).toBe('a%20b%2Ac');
    expect(percentEncode("!'()+/=&")).toBe('%21%27%28%29%2B%2F%3D%26');
    expect(percentEncode('杭州')).toBe('%E6%9D%AD%E5%B7%9E');
  });

  it('sorts by name, leaves Signature out, and signs the method', () => {
    const params = { b: '2', a: '1 x', Signature: 'ignored' };
    expect(canonicalQueryString(params)).toBe('a=1%20x&b=2');
    expect(stringToSign('post', params)).toBe('POST&%2F&a%3D1%2520x%26b%3D2');
    expect(signRpc('GET', params, 's')).not.toBe(signRpc('POST', params, 's'));
    expect(signRpc('GET', params, 's')).not.toBe(signRpc('GET', params, 't'));
  });
});

describe('agreement with what the unmodified pop-core client signs', () => {
  // A bare server that only records what pop-core sends, so this test does not depend on the simulator.
  const seen: { method: string; params: Record<string, string> }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const params = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
      seen.push({ method: req.method ?? '', params });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"RequestId":"X"}');
    });
  });
  let client: RPCClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new RPCClient({
      endpoint: `http://127.0.0.1:${port}`,
      apiVersion: '2016-04-28',
      accessKeyId: 'id',
      accessKeySecret: 'the secret',
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['POST', 'GET'] as const)('verifies a %s request, with awkward characters', async (method) => {
    seen.length = 0;
    await client.request(
      'CreateCustomerGateway',
      { RegionId: 'cn-hangzhou', IpAddress: '47.1.2.3', Name: '总部 gw*1', Description: "a+b/c=d&e!'()~" },
      { method },
    );
    const got = seen[0];
    expect(got?.method).toBe(method);
    const { Signature, ...signed } = got?.params ?? {};
    expect(signed.Name).toBe('总部 gw*1');
    expect(Signature).toBe(signRpc(method, signed, 'the secret'));
    expect(Signature).not.toBe(signRpc(method, signed, 'another secret'));
  });
});
