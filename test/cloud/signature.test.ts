import { describe, expect, it } from 'vitest';
import { canonicalQueryString, percentEncode, signRpc, stringToSign } from '../../src/cloud/signature.js';

describe('RPC signature (SignatureVersion 1.0)', () => {
  it("matches Alibaba's documented known answer", () => {
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

  it('percent-encodes as RFC 3986 with upper-case hex', () => {
    expect(percentEncode('a b*c~d-_.')).toBe('a%20b%2Ac~d-_.');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('中')).toBe('%E4%B8%AD');
  });

  it('sorts parameters, leaves Signature out, and signs the method', () => {
    const params = { b: '2', a: '1 x', Signature: 'ignored' };
    expect(canonicalQueryString(params)).toBe('a=1%20x&b=2');
    expect(stringToSign('post', params)).toBe('POST&%2F&a%3D1%2520x%26b%3D2');
    expect(signRpc('GET', params, 's')).not.toBe(signRpc('POST', params, 's'));
    expect(signRpc('GET', params, 's')).not.toBe(signRpc('GET', params, 't'));
  });
});
