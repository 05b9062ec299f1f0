import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resourceOf, validateParams } from '../../src/resources/index.js';

const TYPES = { vpn: 'vpn_gateway', customer: 'customer_gateway' } as const;
const validateGatewayRequest = (kind: keyof typeof TYPES, raw: unknown) =>
  validateParams(resourceOf(TYPES[kind]), raw);

/**
 * Independent restatements of the seeds' rules (not calling the implementation), used as oracles.
 */
const isLetterOrHan = (c: string) => /[A-Za-z]/.test(c) || (c >= '\u4e00' && c <= '\u9fff');
function oracleCgwName(name: string): boolean {
  const chars = [...name];
  if (chars.length < 2 || chars.length > 128) return false;
  if (name.toLowerCase().startsWith('http://') || name.toLowerCase().startsWith('https://')) return false;
  if (!isLetterOrHan(chars[0] as string)) return false;
  return chars.every((c) => isLetterOrHan(c) || /[0-9._-]/.test(c));
}
/** What no typed text may contain: control characters (a line break aside, in multi-line fields), bidi and zero-width ones. */
function hidden(c: string, multiline: boolean): boolean {
  const code = c.codePointAt(0) ?? 0;
  if (c === '\n') return !multiline;
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}
function oracleCgwDescription(text: string): boolean {
  const chars = [...text];
  if (chars.some((c) => hidden(c, true))) return false;
  if (chars.length < 2 || chars.length > 256) return false;
  if (text.toLowerCase().startsWith('http://') || text.toLowerCase().startsWith('https://')) return false;
  return isLetterOrHan(chars[0] as string);
}
function oracleVpnName(name: string): boolean {
  return (
    name.length >= 2 &&
    name.length <= 100 &&
    /[A-Za-z]/.test(name[0] as string) &&
    [...name].every((c) => /[A-Za-z0-9_-]/.test(c))
  );
}
function oracleIp(ip: string): boolean {
  const parts = ip.split('.');
  if (parts.length !== 4) return false;
  if (!parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return false;
  const [a, b] = parts.map(Number) as [number, number];
  if (a === 0 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b < 128) return false;
  if (a === 169 && b === 254) return false;
  return true;
}

const alphabet = fc.constantFrom(...'aZ09._-/: 网关:xhtps'.split(''));
const nearName = fc.oneof(
  fc.string({ unit: alphabet, minLength: 0, maxLength: 12 }),
  fc
    .tuple(
      fc.constantFrom('a', '网', '1', '_', 'http://', 'https://', 'Z'),
      fc.string({ unit: alphabet, maxLength: 10 }),
    )
    .map(([a, b]) => a + b),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer({ min: 120, max: 260 }).map((n) => `a${'b'.repeat(n)}`),
);
const octet = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map(String),
  fc.constantFrom('00', '01', '', ' 1', 'x'),
);
const nearIp = fc.oneof(
  fc.tuple(octet, octet, octet, octet).map((p) => p.join('.')),
  fc
    .tuple(
      fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 223, 224, 255),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
    )
    .map((p) => p.join('.')),
  fc.string({ maxLength: 16 }),
);

function checkAgainstOracle<T>(arb: fc.Arbitrary<T>, run: (v: T) => boolean, oracle: (v: T) => boolean) {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(arb, (value) => {
      const ours = run(value);
      if (ours) accepted++;
      else refused++;
      return ours === oracle(value);
    }),
    { numRuns: 800 },
  );
  // The generators must exercise both sides, or the property proves little.
  expect(accepted).toBeGreaterThan(20);
  expect(refused).toBeGreaterThan(20);
}

describe('gateway validation, property-based', () => {
  it('accepts exactly the customer gateway names the seed allows', () => {
    checkAgainstOracle(
      nearName,
      (name) => {
        const r = validateGatewayRequest('customer', {
          RegionId: 'cn-hangzhou',
          IpAddress: '47.1.1.1',
          Name: name,
        });
        return r.ok || r.errors.Name === undefined;
      },
      (name) => name.trim() === '' || oracleCgwName(name.trim()),
    );
  });

  it('accepts exactly the customer gateway descriptions the seed allows', () => {
    checkAgainstOracle(
      nearName,
      (d) => {
        const r = validateGatewayRequest('customer', {
          RegionId: 'cn-hangzhou',
          IpAddress: '47.1.1.1',
          Description: d,
        });
        return r.ok || r.errors.Description === undefined;
      },
      (d) => d.trim() === '' || oracleCgwDescription(d.trim()),
    );
  });

  it('accepts exactly the VPN gateway names the seed allows', () => {
    checkAgainstOracle(
      nearName,
      (name) => {
        const r = validateGatewayRequest('vpn', {
          RegionId: 'me-east-1',
          VpcId: 'vpc-abcd1234',
          Bandwidth: '10',
          Name: name,
        });
        return r.ok || r.errors.Name === undefined;
      },
      (name) => name.trim() === '' || oracleVpnName(name.trim()),
    );
  });

  it('accepts exactly the IPv4 addresses Alibaba accepts for a customer gateway', () => {
    checkAgainstOracle(
      nearIp,
      (ip) => validateGatewayRequest('customer', { RegionId: 'cn-hangzhou', IpAddress: ip }).ok,
      (ip) => oracleIp(ip.trim()),
    );
  });

  it('never throws on hostile input, and only reports declared parameters', () => {
    const hostile = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'RegionId',
          'VpcId',
          'Bandwidth',
          'Name',
          'IpAddress',
          'EnableSsl',
          'Period',
          '__proto__',
          'constructor',
        ),
        fc.string(),
      ),
      fc.oneof(fc.anything(), fc.string({ maxLength: 5000 }), fc.constant(null), fc.constant(Number.NaN)),
    );
    fc.assert(
      fc.property(fc.constantFrom('vpn', 'customer' as const), hostile, (kind, raw) => {
        const r = validateGatewayRequest(kind as 'vpn' | 'customer', raw);
        if (r.ok) return typeof r.params === 'object';
        return Object.keys(r.errors).every((k) => /^[A-Z][A-Za-z]+$/.test(k));
      }),
      { numRuns: 500 },
    );
    for (const weird of [null, undefined, 42, 'text', [], () => 1]) {
      expect(() => validateGatewayRequest('vpn', weird)).not.toThrow();
    }
  });
});
