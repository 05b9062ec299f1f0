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

/**
 * The networks of an IPsec connection, restated independently: a block is the bits of its network
 * (a string of 0 and 1, not the implementation's numbers); two blocks meet when the shorter prefix
 * is shared. Alibaba's rules as the bot holds them: each side CIDR blocks without host bits, at
 * most 10, none meeting another of its side; the sides may not meet unless one is 0.0.0.0/0.
 */
const FIELD_LIMIT = 200;
function oracleBits(ip: string): string | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  if (!parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map((p) => Number(p).toString(2).padStart(8, '0')).join('');
}
/** The network's leading bits, or undefined when the entry is not a CIDR block with its host bits clear. */
function oracleNetwork(entry: string): string | undefined {
  const [ip, length, ...rest] = entry.split('/');
  if (ip === undefined || length === undefined || rest.length > 0 || !/^[0-9]{1,2}$/.test(length))
    return undefined;
  const bits = oracleBits(ip);
  const prefix = Number(length);
  if (bits === undefined || prefix > 32 || bits.slice(prefix).includes('1')) return undefined;
  return bits.slice(0, prefix);
}
const meet = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
/** A side's networks, or undefined when the side is refused on its own. */
function oracleSide(value: string): string[] | undefined {
  if ([...value].length > FIELD_LIMIT) return undefined;
  const entries = value.split(/[,，\s]+/).filter(Boolean);
  const networks = entries.map(oracleNetwork);
  if (networks.length === 0 || networks.length > 10) return undefined;
  if (networks.some((n) => n === undefined)) return undefined;
  const ok = networks as string[];
  if (ok.some((n, i) => ok.slice(0, i).some((m) => meet(m, n)))) return undefined;
  return ok;
}
/**
 * The networks a refused local side still names, so that its overlap with the remote side is said
 * at the same time: every entry an address and a prefix, its host bits dropped; else undefined.
 */
function oracleMeant(value: string): string[] | undefined {
  const entries = value.split(/[,，\s]+/).filter(Boolean);
  const networks = entries.map((entry) => {
    const [ip, length, ...rest] = entry.split('/');
    if (ip === undefined || length === undefined || rest.length > 0 || !/^[0-9]{1,2}$/.test(length))
      return undefined;
    const bits = oracleBits(ip);
    return bits === undefined || Number(length) > 32 ? undefined : bits.slice(0, Number(length));
  });
  return networks.length > 0 && networks.every((n) => n !== undefined) ? (networks as string[]) : undefined;
}
/** The fields refused, as Alibaba's rules say: each side on its own, and the overlap where it can be read. */
function oracleRefused(local: string, remote: string): string[] {
  const l = oracleSide(local);
  const r = oracleSide(remote);
  const refused = [...(l ? [] : ['LocalSubnet']), ...(r ? [] : ['RemoteSubnet'])];
  const localMeant = l ?? oracleMeant(local);
  if (!localMeant || !r) return refused;
  const anywhere = [...localMeant, ...r].includes('');
  return !anywhere && localMeant.some((a) => r.some((b) => meet(a, b)))
    ? [...refused, 'RemoteSubnet']
    : refused;
}

/** Networks from a small space, so that blocks often meet; now and then one that is not a network. */
const network = fc
  .tuple(fc.constantFrom('10', '172', '192'), fc.constantFrom('0', '8', '16'), fc.constantFrom('0', '1', '4'))
  .chain(([a, b, c]) =>
    fc.constantFrom(
      `${a}.0.0.0/8`,
      `${a}.16.0.0/12`,
      `${a}.${b}.0.0/16`,
      `${a}.${b}.4.0/22`,
      `${a}.${b}.${c}.0/24`,
      `${a}.${b}.${c}.5/32`,
    ),
  );
const nearBlock = fc.oneof(
  { weight: 12, arbitrary: network },
  { weight: 1, arbitrary: fc.constant('0.0.0.0/0') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '10.0.1.5/24',
      '10.8.0.0/8',
      '10.0.0.0',
      'office',
      '10.0.0.0/08',
      '256.0.0.0/8',
      '10.0.0.0/33',
      '10.0.0.0/24/1',
    ),
  },
);
const separator = fc.constantFrom(',', ', ', '，', ' ');
const nearSide = fc.oneof(
  { weight: 5, arbitrary: nearBlock },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(nearBlock, { minLength: 2, maxLength: 4 }), separator)
      .map(([blocks, sep]) => blocks.join(sep)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 9, max: 12 }), fc.constantFrom(16, 24), separator)
      .map(([n, p, sep]) => Array.from({ length: n }, (_, i) => `10.${i}.0.0/${p}`).join(sep)),
  },
);

describe('IPsec connection networks, property-based', () => {
  it('refuses exactly the sides Alibaba refuses, each on its own field', () => {
    const counts = { accepted: 0, refused: 0, sidesMeet: 0, oneSideAnywhere: 0 };
    fc.assert(
      fc.property(nearSide, nearSide, (local, remote) => {
        const r = validateParams(resourceOf('vpn_connection'), {
          RegionId: 'me-east-1',
          VpnGatewayId: 'vpn-0000000000000001',
          CustomerGatewayId: 'cgw-0000000000000001',
          LocalSubnet: local,
          RemoteSubnet: remote,
        });
        const ours = r.ok ? [] : Object.keys(r.errors).sort();
        const expected = oracleRefused(local, remote);
        if (ours.length === 0) counts.accepted++;
        else counts.refused++;
        const sides = [oracleSide(local), oracleSide(remote)];
        if (sides[0] && sides[1] && expected.length > 0) counts.sidesMeet++;
        if (expected.length === 0 && sides.filter((n) => n?.includes('')).length === 1)
          counts.oneSideAnywhere++;
        return JSON.stringify(ours) === JSON.stringify(expected);
      }),
      { numRuns: 800 },
    );
    // Every branch is exercised, or the property proves little.
    expect(counts.accepted).toBeGreaterThan(20);
    expect(counts.refused).toBeGreaterThan(20);
    expect(counts.sidesMeet).toBeGreaterThan(30);
    expect(counts.oneSideAnywhere).toBeGreaterThan(5);
  });
});
