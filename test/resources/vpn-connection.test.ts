import { describe, expect, it } from 'vitest';
import {
  firstCovered,
  firstOverlap,
  InvalidFieldRead,
  normalizeCidrList,
  parseCidr,
  presharedKeys,
  readingValid,
  resourceOf,
  summarizeParams,
  toApiParams,
  tunnelsOf,
  validateParams,
} from '../../src/resources/index.js';

const connection = resourceOf('vpn_connection');
const SINGLE = {
  RegionId: 'me-east-1',
  VpnGatewayId: 'vpn-0000000000000001',
  CustomerGatewayId: 'cgw-0000000000000001',
  LocalSubnet: '192.168.0.0/16',
  RemoteSubnet: '172.16.0.0/16',
};
const DUAL = {
  RegionId: 'cn-hangzhou',
  VpnGatewayId: 'vpn-0000000000000001',
  'TunnelOptionsSpecification.1.CustomerGatewayId': 'cgw-0000000000000001',
  'TunnelOptionsSpecification.2.CustomerGatewayId': 'cgw-0000000000000002',
  LocalSubnet: '192.168.0.0/16',
  RemoteSubnet: '172.16.0.0/16',
};

function validate(values: Record<string, unknown>) {
  return validateParams(connection, values, {});
}
function errorsOf(values: Record<string, unknown>) {
  const r = validate(values);
  return r.ok ? {} : r.errors;
}

describe('CIDR lists', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['192.168.1.0/24', true],
    ['192.168.1.5/24', false],
    ['192.168.1.0/33', false],
    ['192.168.1.0', false],
    ['300.1.1.0/24', false],
    ['10.0.0.0/08x', false],
  ])('%s is a CIDR block: %s', (value, ok) => {
    expect(parseCidr(value) !== undefined).toBe(ok);
  });

  it('normalises separators and spaces into the API form', () => {
    expect(normalizeCidrList(' 10.0.0.0/16 ,10.1.0.0/16，10.2.0.0/16 ')).toBe(
      '10.0.0.0/16,10.1.0.0/16,10.2.0.0/16',
    );
  });

  it('finds the first overlap of the two sides, and none for routing by destination', () => {
    expect(firstOverlap('10.0.0.0/16', '10.0.1.0/24')).toEqual(['10.0.0.0/16', '10.0.1.0/24']);
    expect(firstOverlap('10.0.0.0/24,172.16.0.0/12', '172.20.0.0/16')).toEqual([
      '172.16.0.0/12',
      '172.20.0.0/16',
    ]);
    expect(firstOverlap('10.0.0.0/24', '10.0.1.0/24')).toBeUndefined();
    expect(firstOverlap('0.0.0.0/0', '0.0.0.0/0')).toBeUndefined();
    expect(firstOverlap('0.0.0.0/0', '10.10.10.0/24,10.10.20.0/24')).toBeUndefined();
  });

  it('finds a block given twice or lying inside another of the same side, in either order', () => {
    expect(firstCovered('10.3.0.0/16,10.3.0.0/16')).toEqual({ outer: '10.3.0.0/16', inner: '10.3.0.0/16' });
    expect(firstCovered('10.8.0.0/16, 10.8.1.0/24')).toEqual({ outer: '10.8.0.0/16', inner: '10.8.1.0/24' });
    expect(firstCovered('10.8.1.0/24，10.8.0.0/16')).toEqual({ outer: '10.8.0.0/16', inner: '10.8.1.0/24' });
    expect(firstCovered('172.16.0.0/12,0.0.0.0/0')).toEqual({ outer: '0.0.0.0/0', inner: '172.16.0.0/12' });
    // Neighbours share no address; a block that does not parse is the format rule's to name.
    expect(firstCovered('10.0.0.0/24,10.0.1.0/24,10.0.2.0/23')).toBeUndefined();
    expect(firstCovered('10.0.0.0/24,10.0.0.0')).toBeUndefined();
    expect(firstCovered('0.0.0.0/0')).toBeUndefined();
  });
});

describe('IPsec connection parameters', () => {
  it('asks for one customer gateway in a single-tunnel region, and fills in Alibaba’s defaults', () => {
    const r = validate(SINGLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.params).toMatchObject({ ...SINGLE, EffectImmediately: false, 'IkeConfig.IkeVersion': 'ikev1' });
    expect(r.params['TunnelOptionsSpecification.1.CustomerGatewayId']).toBeUndefined();
  });

  it('asks for a customer gateway per tunnel in a dual-tunnel region, and ignores a single one', () => {
    expect(errorsOf({ ...DUAL, 'TunnelOptionsSpecification.2.CustomerGatewayId': undefined })).toHaveProperty(
      ['TunnelOptionsSpecification.2.CustomerGatewayId'],
    );
    const r = validate({ ...DUAL, CustomerGatewayId: 'cgw-0000000000000009' });
    expect(r.ok && r.params.CustomerGatewayId).toBe(undefined);
    expect(errorsOf({ ...SINGLE, CustomerGatewayId: undefined })).toHaveProperty('CustomerGatewayId');
  });

  it('allows the same customer gateway on both tunnels (one device, one address)', () => {
    expect(
      validate({ ...DUAL, 'TunnelOptionsSpecification.2.CustomerGatewayId': 'cgw-0000000000000001' }).ok,
    ).toBe(true);
  });

  it('refuses a non-CIDR, host bits, overlapping sides and a URL name, each on its field', () => {
    expect(errorsOf({ ...SINGLE, LocalSubnet: '192.168.0.0' }).LocalSubnet?.en).toMatch(/not a CIDR block/);
    expect(errorsOf({ ...SINGLE, RemoteSubnet: '172.16.1.9/16' }).RemoteSubnet?.en).toMatch(
      /Write the network address, 172\.16\.0\.0\/16/,
    );
    const overlap = errorsOf({ ...SINGLE, RemoteSubnet: '192.168.10.0/24' }).RemoteSubnet;
    expect(overlap?.en).toMatch(/192\.168\.10\.0\/24 overlaps the local network 192\.168\.0\.0\/16/);
    expect(overlap?.['zh-CN']).toMatch(/重叠/);
    expect(errorsOf({ ...SINGLE, Name: 'https://x' }).Name).toBeDefined();
    expect(errorsOf({ ...SINGLE, 'IkeConfig.IkeLifetime': '90000' })['IkeConfig.IkeLifetime']).toBeDefined();
    expect(errorsOf({ ...SINGLE, 'IkeConfig.IkeEncAlg': 'rot13' })['IkeConfig.IkeEncAlg']).toBeDefined();
    expect(validate({ ...SINGLE, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' }).ok).toBe(true);
  });

  it('says every problem at once: host bits on one side and the overlap they make with the other', () => {
    const errors = errorsOf({
      ...SINGLE,
      LocalSubnet: '10.0.0.1/16',
      RemoteSubnet: '10.0.5.0/24',
      Name: 'https://x',
    });
    expect(Object.keys(errors).sort()).toEqual(['LocalSubnet', 'Name', 'RemoteSubnet']);
    expect(errors.LocalSubnet?.en).toMatch(/Write the network address, 10\.0\.0\.0\/16/);
    expect(errors.RemoteSubnet?.en).toMatch(/10\.0\.5\.0\/24 overlaps the local network 10\.0\.0\.0\/16/);
    // A side that is no CIDR at all cannot be judged against the other: only its own error.
    expect(Object.keys(errorsOf({ ...SINGLE, LocalSubnet: 'office', RemoteSubnet: '10.0.5.0/24' }))).toEqual([
      'LocalSubnet',
    ]);
    // The valid fields are kept for the checks against the cloud; the refused ones are not.
    const r = validate({ ...SINGLE, LocalSubnet: '10.0.0.1/16', RemoteSubnet: '10.0.5.0/24' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.valid).toMatchObject({ VpnGatewayId: SINGLE.VpnGatewayId, RegionId: SINGLE.RegionId });
      expect(r.valid).not.toHaveProperty('LocalSubnet');
      expect(r.invalid).toEqual(expect.arrayContaining(['LocalSubnet', 'RemoteSubnet']));
      expect(() => readingValid(r.valid, r.invalid).LocalSubnet).toThrow(InvalidFieldRead);
      expect(readingValid(r.valid, r.invalid).Name).toBeUndefined();
    }
  });

  it('refuses a block given twice on a side, naming it on that field, in both languages', () => {
    const errors = errorsOf({ ...SINGLE, RemoteSubnet: '10.3.0.0/16,10.3.0.0/16' });
    expect(Object.keys(errors)).toEqual(['RemoteSubnet']);
    expect(errors.RemoteSubnet?.en).toBe(
      'Remote networks (your site): "10.3.0.0/16" is given twice. Keep it once.',
    );
    expect(errors.RemoteSubnet?.['zh-CN']).toBe(
      '对端网段（本地数据中心）：“10.3.0.0/16”填写了两次。请只保留一个。',
    );
    expect(Object.keys(errorsOf({ ...SINGLE, LocalSubnet: '192.168.0.0/16, 192.168.0.0/16' }))).toEqual([
      'LocalSubnet',
    ]);
  });

  it('refuses a block inside another of its side, naming both', () => {
    const errors = errorsOf({ ...SINGLE, RemoteSubnet: '10.8.0.0/16,10.8.1.0/24' });
    expect(Object.keys(errors)).toEqual(['RemoteSubnet']);
    expect(errors.RemoteSubnet?.en).toBe(
      'Remote networks (your site): "10.8.1.0/24" lies inside "10.8.0.0/16", which this side already has. Remove 10.8.1.0/24, or correct the block you mistyped.',
    );
    expect(errors.RemoteSubnet?.['zh-CN']).toBe(
      '对端网段（本地数据中心）：“10.8.1.0/24”位于本侧已有的“10.8.0.0/16”之内。请删除 10.8.1.0/24，或改正填错的网段。',
    );
    // 0.0.0.0/0 covers every address: it stands alone on its side.
    expect(errorsOf({ ...SINGLE, LocalSubnet: '0.0.0.0/0,192.168.0.0/16' }).LocalSubnet?.en).toMatch(
      /"192\.168\.0\.0\/16" lies inside "0\.0\.0\.0\/0"/,
    );
  });

  it('takes 0.0.0.0/0 on one side with specific blocks on the other, as Alibaba’s multi-site guides set it', () => {
    const hub = validate({
      ...SINGLE,
      LocalSubnet: '0.0.0.0/0',
      RemoteSubnet: '10.10.10.0/24,10.10.20.0/24',
    });
    expect(hub.ok && [hub.params.LocalSubnet, hub.params.RemoteSubnet]).toEqual([
      '0.0.0.0/0',
      '10.10.10.0/24,10.10.20.0/24',
    ]);
    expect(validate({ ...SINGLE, RemoteSubnet: '0.0.0.0/0' }).ok).toBe(true);
  });

  it('takes up to 10 distinct blocks a side, and refuses an 11th', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => `10.${i}.0.0/16`).join(',');
    expect(validate({ ...SINGLE, RemoteSubnet: blocks(10) }).ok).toBe(true);
    expect(errorsOf({ ...SINGLE, RemoteSubnet: blocks(11) }).RemoteSubnet?.en).toMatch(
      /11 CIDR blocks, more than 10/,
    );
  });

  it('sends JSON settings to a single-tunnel gateway, and no key', () => {
    const r = validate({ ...SINGLE, 'IpsecConfig.IpsecPfs': 'group14' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const wire = toApiParams(connection, r.params);
    expect(JSON.parse(String(wire.IkeConfig))).toEqual({
      IkeVersion: 'ikev1',
      IkeMode: 'main',
      IkeEncAlg: 'aes',
      IkeAuthAlg: 'md5',
      IkePfs: 'group2',
      IkeLifetime: 86_400,
    });
    expect(JSON.parse(String(wire.IpsecConfig))).toMatchObject({
      IpsecPfs: 'group14',
      IpsecLifetime: 86_400,
    });
    expect(Object.keys(wire).some((k) => k.startsWith('IkeConfig.') || /psk/i.test(k))).toBe(false);
    expect(JSON.stringify(wire)).not.toMatch(/psk/i);
  });

  it('sends a master and a slave tunnel, flat, to a dual-tunnel gateway', () => {
    const r = validate({ ...DUAL, 'IkeConfig.IkeVersion': 'ikev2' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const wire = toApiParams(connection, r.params);
    expect(wire).toMatchObject({
      'TunnelOptionsSpecification.1.CustomerGatewayId': 'cgw-0000000000000001',
      'TunnelOptionsSpecification.1.Role': 'master',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion': 'ikev2',
      'TunnelOptionsSpecification.1.TunnelIpsecConfig.IpsecLifetime': 86_400,
      'TunnelOptionsSpecification.2.CustomerGatewayId': 'cgw-0000000000000002',
      'TunnelOptionsSpecification.2.Role': 'slave',
      'TunnelOptionsSpecification.2.TunnelIkeConfig.IkeVersion': 'ikev2',
    });
    expect(wire.IkeConfig).toBeUndefined();
    expect(wire.CustomerGatewayId).toBeUndefined();
  });

  it('shows the approver what differs from the defaults, and the defaults in one line', () => {
    const r = validate({ ...SINGLE, 'IkeConfig.IkeVersion': 'ikev2' });
    if (!r.ok) throw new Error('invalid');
    const rows = summarizeParams(connection, r.params, 'en');
    expect(rows.find((row) => row.name === 'IkeConfig.IkeVersion')?.value).toBe('ikev2');
    const defaults = rows.find((row) => row.label === 'Left at their defaults');
    expect(defaults?.value).toContain('IKE encryption aes');
    expect(defaults?.value).not.toContain('IKE version');
    expect(rows.filter((row) => row.name.startsWith('IkeConfig.'))).toHaveLength(1);
  });
});

describe('reading connections as the API lists them', () => {
  const dual = {
    VpnConnectionId: 'vco-1',
    VpnGatewayId: 'vpn-1',
    Status: 'ike_sa_not_established',
    TunnelOptionsSpecification: {
      TunnelOptions: [
        {
          TunnelId: 'tun-2',
          Role: 'slave',
          CustomerGatewayId: 'cgw-2',
          Status: 'ike_sa_not_established',
          TunnelIkeConfig: { Psk: 'second-key' },
        },
        {
          TunnelId: 'tun-1',
          Role: 'master',
          CustomerGatewayId: 'cgw-1',
          Status: 'ipsec_sa_established',
          TunnelIkeConfig: { Psk: 'first-key' },
        },
      ],
    },
  };

  it('puts the master tunnel first, and keeps keys out of what becomes facts', () => {
    const tunnels = tunnelsOf(dual);
    expect(tunnels.map((t) => [t.index, t.tunnelId, t.status])).toEqual([
      [1, 'tun-1', 'ipsec_sa_established'],
      [2, 'tun-2', 'ike_sa_not_established'],
    ]);
    expect(JSON.stringify(tunnels)).not.toContain('key');
    expect(presharedKeys(dual).map((k) => k.key)).toEqual(['first-key', 'second-key']);
    const observed = connection.watch?.observe(dual);
    expect(JSON.stringify(observed)).not.toContain('key');
    expect(connection.settle?.observe(dual).settled).toBe(false);
  });

  it('reads a single-tunnel connection', () => {
    const single = {
      VpnConnectionId: 'vco-2',
      CustomerGatewayId: 'cgw-9',
      Status: 'ipsec_sa_established',
      IkeConfig: { Psk: 'only-key' },
    };
    expect(tunnelsOf(single)).toEqual([
      { index: 1, customerGatewayId: 'cgw-9', status: 'ipsec_sa_established' },
    ]);
    expect(connection.settle?.observe(single).settled).toBe(true);
    expect(connection.reveal?.read(single, 'en')).toEqual([{ label: 'Pre-shared key', value: 'only-key' }]);
  });
});
