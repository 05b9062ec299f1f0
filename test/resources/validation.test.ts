import { describe, expect, it } from 'vitest';
import {
  paramsHash,
  type ResourceOptions,
  resourceOf,
  resources,
  summarizeParams,
  toApiParams,
  validateParams,
} from '../../src/resources/index.js';

/** A single-tunnel region, so one vSwitch (or none) is enough. */
const VPN_BASE = { RegionId: 'me-east-1', VpcId: 'vpc-bp1ub1yt9cvakoelj0001', Bandwidth: '10' };
const DUAL = {
  RegionId: 'cn-hangzhou',
  VpcId: 'vpc-bp1ub1yt9cvakoelj0001',
  Bandwidth: '10',
  VSwitchId: 'vsw-bp1aaaaaaaaaaaaaaaaa01',
  DisasterRecoveryVSwitchId: 'vsw-bp1aaaaaaaaaaaaaaaaa02',
};
const CGW_BASE = { RegionId: 'cn-shanghai', IpAddress: '116.62.222.10' };

type Kind = 'vpn' | 'customer';
const TYPES: Record<Kind, string> = { vpn: 'vpn_gateway', customer: 'customer_gateway' };

function validateGatewayRequest(kind: Kind, raw: Record<string, unknown>, options: ResourceOptions = {}) {
  return validateParams(resourceOf(TYPES[kind]), raw, { secretsAvailable: true, ...options });
}

function errorsOf(kind: Kind, raw: Record<string, unknown>, options: ResourceOptions = {}) {
  const r = validateGatewayRequest(kind, raw, options);
  return r.ok ? {} : r.errors;
}

describe('customer gateway (seed 000)', () => {
  it('accepts the minimal request and normalises it', () => {
    const r = validateGatewayRequest('customer', { ...CGW_BASE, Name: '  ', Description: '' });
    expect(r).toEqual({ ok: true, params: { RegionId: 'cn-shanghai', IpAddress: '116.62.222.10' } });
  });

  it.each([
    ['Ab', true],
    ['A', false],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['网关', true],
    ['上海办公室.gw_1-a', true],
    ['1gateway', false],
    ['_gateway', false],
    ['http://gw', false],
    ['https://gw', false],
    ['gw name', false],
    ['gw/name', false],
  ])('Name %j accepted: %s', (name, ok) => {
    expect(errorsOf('customer', { ...CGW_BASE, Name: name }).Name === undefined).toBe(ok);
  });

  it.each([
    ['用户网关', true],
    ['Office gateway, floor 3!', true],
    ['a'.repeat(256), true],
    ['a'.repeat(257), false],
    ['x', false],
    ['3rd floor', false],
    ['https://example.com', false],
  ])('Description %j accepted: %s', (description, ok) => {
    expect(errorsOf('customer', { ...CGW_BASE, Description: description }).Description === undefined).toBe(
      ok,
    );
  });

  it.each([
    ['1.2.3.4', true],
    ['100.63.255.255', true],
    ['100.64.0.0', false],
    ['100.127.255.255', false],
    ['100.128.0.0', true],
    ['126.255.255.255', true],
    ['127.0.0.1', false],
    ['169.253.255.255', true],
    ['169.254.1.1', false],
    ['0.1.2.3', false],
    ['10.0.0.1', true],
    ['223.255.255.255', true],
    ['224.0.0.0', false],
    ['240.0.0.1', false],
    ['255.255.255.255', false],
    ['01.2.3.4', false],
    ['256.1.1.1', false],
    ['1.2.3', false],
    ['1.2.3.4.5', false],
    ['1.2.3.4 ', true],
    ['1. 2.3.4', false],
    ['::1', false],
  ])('IpAddress %j accepted: %s', (ip, ok) => {
    expect(errorsOf('customer', { ...CGW_BASE, IpAddress: ip }).IpAddress === undefined).toBe(ok);
  });

  it('reports every problem at once, in both languages', () => {
    const errors = errorsOf('customer', { Name: 'x', Description: 'http://a' });
    expect(Object.keys(errors).sort()).toEqual(['Description', 'IpAddress', 'Name', 'RegionId']);
    for (const message of Object.values(errors)) {
      expect(message.en).toMatch(/\w/);
      expect(message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('VPN gateway (seed 004 and today)', () => {
  it('applies the seed defaults (AutoPay only applies to a subscription)', () => {
    const r = validateGatewayRequest('vpn', VPN_BASE);
    expect(r).toEqual({
      ok: true,
      params: {
        RegionId: 'me-east-1',
        VpcId: 'vpc-bp1ub1yt9cvakoelj0001',
        Bandwidth: 10,
        InstanceChargeType: 'POSTPAY',
        EnableIpsec: true,
        EnableSsl: false,
        VpnType: 'Normal',
        NetworkType: 'public',
      },
    });
  });

  it.each([
    ['MYVPN', true],
    ['my_vpn-01', true],
    ['v', false],
    ['v'.repeat(100), true],
    ['v'.repeat(101), false],
    ['1vpn', false],
    ['vpn.1', false],
    ['网关', false],
  ])('Name %j accepted: %s', (name, ok) => {
    expect(errorsOf('vpn', { ...VPN_BASE, Name: name }).Name === undefined).toBe(ok);
  });

  it.each([10, 100, 200, 500, 1000])("accepts today's public Bandwidth %i", (bw) => {
    expect(errorsOf('vpn', { ...VPN_BASE, Bandwidth: String(bw) }).Bandwidth).toBeUndefined();
  });

  it.each(['5', '20', '50', '7', '0', '-5', '5.5', 'ten'])('refuses Bandwidth %j by default', (bw) => {
    expect(errorsOf('vpn', { ...VPN_BASE, Bandwidth: bw }).Bandwidth).toBeDefined();
  });

  it('offers a private gateway only its own bandwidths', () => {
    for (const bw of ['200', '1000'])
      expect(
        errorsOf('vpn', { ...VPN_BASE, NetworkType: 'private', Bandwidth: bw }).Bandwidth,
        bw,
      ).toBeUndefined();
    for (const bw of ['10', '100', '500'])
      expect(
        errorsOf('vpn', { ...VPN_BASE, NetworkType: 'private', Bandwidth: bw }).Bandwidth?.en,
        bw,
      ).toMatch(/one of: 200, 1000/);
  });

  it('takes the bandwidth and SSL connection lists from configuration (the seed list is one such setting)', () => {
    const options = {
      settings: { VPN_BANDWIDTH_VALUES: [5, 10, 20, 50, 100, 200], VPN_SSL_CONNECTION_VALUES: [5, 1000] },
    };
    expect(validateGatewayRequest('vpn', { ...VPN_BASE, Bandwidth: '5' }, options).ok).toBe(true);
    expect(validateGatewayRequest('vpn', { ...VPN_BASE, Bandwidth: '1000' }, options).ok).toBe(false);
    const ssl = validateGatewayRequest(
      'vpn',
      { ...VPN_BASE, Bandwidth: '10', EnableSsl: true, SslConnections: '1000' },
      options,
    );
    expect(ssl.ok && ssl.params.SslConnections).toBe(1000);
  });

  it('needs a period with PREPAY and drops it otherwise', () => {
    expect(errorsOf('vpn', { ...VPN_BASE, InstanceChargeType: 'PREPAY' }).Period?.en).toMatch(/PREPAY needs/);
    const prepay = validateGatewayRequest('vpn', { ...VPN_BASE, InstanceChargeType: 'PREPAY', Period: '12' });
    expect(prepay.ok && prepay.params.Period).toBe(12);
    const postpay = validateGatewayRequest('vpn', {
      ...VPN_BASE,
      InstanceChargeType: 'POSTPAY',
      Period: '12',
    });
    expect(postpay.ok && 'Period' in postpay.params).toBe(false);
    for (const period of ['10', '11', '13', '0', '48']) {
      expect(
        errorsOf('vpn', { ...VPN_BASE, InstanceChargeType: 'PREPAY', Period: period }).Period,
        period,
      ).toBeDefined();
    }
    for (const period of ['1', '9', '24', '36']) {
      expect(
        errorsOf('vpn', { ...VPN_BASE, InstanceChargeType: 'PREPAY', Period: period }).Period,
        period,
      ).toBeUndefined();
    }
  });

  it('sends SSL connections only with SSL-VPN', () => {
    const withSsl = validateGatewayRequest('vpn', { ...VPN_BASE, EnableSsl: true, SslConnections: '10' });
    expect(withSsl.ok && withSsl.params.SslConnections).toBe(10);
    const without = validateGatewayRequest('vpn', { ...VPN_BASE, EnableSsl: false, SslConnections: '10' });
    expect(without.ok && 'SslConnections' in without.params).toBe(false);
    expect(
      errorsOf('vpn', { ...VPN_BASE, EnableSsl: 'true', SslConnections: '15' }).SslConnections,
    ).toBeDefined();
  });

  it('refuses values outside the fixed sets and hint options from the pick-lists', () => {
    const errors = errorsOf('vpn', {
      RegionId: '__choose_region__',
      VpcId: '__unavailable__',
      Bandwidth: '10',
      VpnType: 'Fancy',
      NetworkType: 'internet',
      InstanceChargeType: 'FREE',
      EnableIpsec: 'yes',
    });
    expect(Object.keys(errors).sort()).toEqual([
      'EnableIpsec',
      'InstanceChargeType',
      'NetworkType',
      'RegionId',
      'VpcId',
      'VpnType',
    ]);
    expect(errors.RegionId?.en).toMatch(/Choose a region/);
  });
});

describe('derived forms', () => {
  it('hashes the normalised parameters, whatever the key order', () => {
    const a = validateGatewayRequest('vpn', VPN_BASE);
    const b = validateGatewayRequest('vpn', {
      Bandwidth: '10',
      VpcId: VPN_BASE.VpcId,
      RegionId: 'me-east-1',
      EnableIpsec: 'true',
    });
    if (!a.ok || !b.ok) throw new Error('expected valid');
    const hash = (type: string, params: typeof a.params, digests = {}) =>
      paramsHash('create', type, params, digests);
    expect(hash('vpn_gateway', a.params)).toBe(hash('vpn_gateway', b.params));
    expect(hash('vpn_gateway', { ...a.params, Bandwidth: 100 })).not.toBe(hash('vpn_gateway', a.params));
    expect(hash('customer_gateway', a.params)).not.toBe(hash('vpn_gateway', a.params));
    expect(paramsHash('delete', 'vpn_gateway', a.params)).not.toBe(hash('vpn_gateway', a.params));
    expect(hash('vpn_gateway', a.params, { AuthKey: 'digest-1' })).not.toBe(
      hash('vpn_gateway', a.params, { AuthKey: 'digest-2' }),
    );
    expect(hash('vpn_gateway', a.params)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('summarises what will be sent for an approver, in both languages', () => {
    const vpn = resourceOf('vpn_gateway');
    const r = validateGatewayRequest('vpn', { ...VPN_BASE, Name: 'office', EnableSsl: false });
    if (!r.ok) throw new Error('expected valid');
    const en = summarizeParams(vpn, r.params, 'en');
    expect(en.map((row) => row.name)).toEqual(Object.keys(toApiParams(vpn, r.params)));
    expect(en.find((row) => row.name === 'InstanceChargeType')?.value).toBe(
      'POSTPAY — Pay-as-you-go (POSTPAY)',
    );
    expect(en.find((row) => row.name === 'EnableSsl')?.value).toBe('No');
    expect(en.find((row) => row.name === 'Name')).toMatchObject({ value: 'office', typed: true });
    const zh = summarizeParams(vpn, r.params, 'zh-CN');
    expect(zh.find((row) => row.name === 'EnableIpsec')).toEqual({
      name: 'EnableIpsec',
      label: 'IPsec-VPN',
      value: '是',
      typed: false,
    });
    expect(zh.find((row) => row.name === 'Bandwidth')?.label).toBe('带宽（Mbit/s）');
  });

  it('declares every label, help text and value label in both languages', () => {
    for (const spec of resources()) {
      const texts = [
        spec.title,
        spec.summary,
        ...spec.params.flatMap((p) => [p.label, p.help, p.warning, p.placeholder, p.requiredWhen?.message]),
      ];
      for (const p of spec.params) if (Array.isArray(p.values)) texts.push(...p.values.map((v) => v.label));
      for (const rule of spec.params.flatMap((p) => p.rules ?? []))
        texts.push(typeof rule.message === 'function' ? rule.message('x') : rule.message);
      for (const t of texts.filter((x) => x !== undefined)) {
        expect(t?.en.trim(), JSON.stringify(t)).not.toBe('');
        expect(t?.['zh-CN'].trim(), JSON.stringify(t)).not.toBe('');
      }
    }
  });
});

describe('booleans from checkboxes', () => {
  it('accepts an unticked box as false and a ticked one as true', () => {
    const r = validateGatewayRequest('vpn', {
      ...VPN_BASE,
      InstanceChargeType: 'PREPAY',
      Period: '1',
      AutoPay: false,
      EnableSsl: true,
      EnableIpsec: false,
    });
    expect(r.ok && [r.params.AutoPay, r.params.EnableSsl, r.params.EnableIpsec]).toEqual([
      false,
      true,
      false,
    ]);
  });
});

describe('dual-tunnel VPN gateways', () => {
  it('needs two vSwitches in a dual-tunnel region, and says so on each field', () => {
    const errors = errorsOf('vpn', { RegionId: 'cn-hangzhou', VpcId: DUAL.VpcId, Bandwidth: '10' });
    expect(errors.VSwitchId?.en).toMatch(/dual-tunnel/);
    expect(errors.DisasterRecoveryVSwitchId?.en).toMatch(/second vSwitch, in another zone/);
    expect(errors.DisasterRecoveryVSwitchId?.['zh-CN']).toMatch(/双隧道/);
    expect(validateGatewayRequest('vpn', DUAL).ok).toBe(true);
  });

  it('ignores a second vSwitch in a single-tunnel region, where it does not apply', () => {
    const r = validateGatewayRequest('vpn', { ...VPN_BASE, DisasterRecoveryVSwitchId: DUAL.VSwitchId });
    expect(r.ok && 'DisasterRecoveryVSwitchId' in r.params).toBe(false);
  });

  it('follows VPN_DUAL_TUNNEL_REGIONS', () => {
    const none = { settings: { VPN_DUAL_TUNNEL_REGIONS: [] } };
    expect(
      validateGatewayRequest('vpn', { RegionId: 'cn-hangzhou', VpcId: DUAL.VpcId, Bandwidth: '10' }, none).ok,
    ).toBe(true);
    const dubai = { settings: { VPN_DUAL_TUNNEL_REGIONS: ['me-east-1'] } };
    expect(errorsOf('vpn', VPN_BASE, dubai).DisasterRecoveryVSwitchId).toBeDefined();
  });
});

describe('customer gateway BGP and governance', () => {
  it.each([
    ['65001', '65001'],
    ['1', '1'],
    ['4294967295', '4294967295'],
    ['123.456', '8061384'],
    ['0.1', '1'],
    ['65535.65535', '4294967295'],
  ])('accepts Asn %j, sent as %j', (asn, sent) => {
    const r = validateGatewayRequest('customer', { ...CGW_BASE, Asn: asn });
    expect(r.ok && r.params.Asn).toBe(sent);
  });

  it.each([
    '0',
    '45104',
    '0.45104'.replace('0.', '0.'),
    '4294967296',
    '65536.1',
    '1.65536',
    '-1',
    'AS65001',
    '1.2.3',
  ])('refuses Asn %j', (asn) => {
    expect(errorsOf('customer', { ...CGW_BASE, Asn: asn }).Asn).toBeDefined();
  });

  it('says why 45104 is refused', () => {
    expect(errorsOf('customer', { ...CGW_BASE, Asn: '45104' }).Asn?.en).toMatch(/Alibaba Cloud’s own/);
  });

  it.each([
    ['s3cret!', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['has space', false],
    ['what?', false],
    ['密钥', false],
  ])('AuthKey %j accepted: %s', (key, ok) => {
    expect(errorsOf('customer', { ...CGW_BASE, AuthKey: key }).AuthKey === undefined).toBe(ok);
  });

  it('refuses a BGP key when no secrets key is configured, saying what to do', () => {
    const errors = errorsOf('customer', { ...CGW_BASE, AuthKey: 'k' }, { secretsAvailable: false });
    expect(errors.AuthKey?.en).toMatch(/REQUEST_SECRETS_KEY/);
    expect(validateGatewayRequest('customer', CGW_BASE, { secretsAvailable: false }).ok).toBe(true);
  });

  it('shows a secret only as "set"', () => {
    const cgw = resourceOf('customer_gateway');
    const rows = summarizeParams(cgw, { RegionId: 'cn-shanghai', IpAddress: '1.2.3.4' }, 'en', ['AuthKey']);
    expect(rows.find((r) => r.name === 'AuthKey')?.value).toBe('set (not shown)');
    expect(
      toApiParams(cgw, { RegionId: 'cn-shanghai', IpAddress: '1.2.3.4' }, { AuthKey: 'k1' }).AuthKey,
    ).toBe('k1');
  });

  it.each(['rg-acfmzw2jz2z7abc', 'rg-abcd'])('accepts ResourceGroupId %j', (rg) => {
    expect(errorsOf('customer', { ...CGW_BASE, ResourceGroupId: rg }).ResourceGroupId).toBeUndefined();
    expect(errorsOf('vpn', { ...VPN_BASE, ResourceGroupId: rg }).ResourceGroupId).toBeUndefined();
  });

  it.each(['rg-', 'RG-ABCDEF', 'acfmzw2jz2z7abc', 'rg-abc def'])('refuses ResourceGroupId %j', (rg) => {
    expect(errorsOf('customer', { ...CGW_BASE, ResourceGroupId: rg }).ResourceGroupId).toBeDefined();
  });

  it('takes tags one per line and sends them as Tags.N.Key / Tags.N.Value', () => {
    const r = validateGatewayRequest('customer', {
      ...CGW_BASE,
      Tags: ' team = netops \n\ncost-center=1234\nempty=',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.params.Tags).toBe('team=netops\ncost-center=1234\nempty=');
    expect(toApiParams(resourceOf('customer_gateway'), r.params)).toMatchObject({
      'Tags.1.Key': 'team',
      'Tags.1.Value': 'netops',
      'Tags.2.Key': 'cost-center',
      'Tags.3.Key': 'empty',
      'Tags.3.Value': '',
    });
  });

  it.each([
    ['no equals sign', 'team'],
    ['21 tags', Array.from({ length: 21 }, (_, i) => `k${i}=v`).join('\n')],
    ['a key starting with aliyun', 'aliyun-x=1'],
    ['a value starting with acs:', 'k=acs:1'],
    ['a URL', 'k=see https://x'],
    ['a key twice', 'a=1\na=2'],
    ['an empty key', '=v'],
    ['a 129-character key', `${'k'.repeat(129)}=v`],
  ])('refuses tags with %s', (_what, tags) => {
    expect(errorsOf('customer', { ...CGW_BASE, Tags: tags }).Tags).toBeDefined();
  });
});

describe('hidden characters', () => {
  it.each([
    ['a right-to-left override', 'Office\u202Egw'],
    ['a zero-width space', 'Office\u200Bgw'],
    ['a zero-width joiner', 'Office\u200Dgw'],
    ['a byte-order mark', 'Off\uFEFFice'],
    ['a control character', 'Office\u0007gw'],
    ['a line separator', 'Office\u2028gw'],
    ['an Arabic letter mark', 'Office\u061Cgw'],
    ['a soft hyphen', 'Office\u00ADgw'],
    ['an invisible tag character', 'Office\u{E0041}gw'],
  ])('refuses %s in a name, naming the character', (_what, name) => {
    const error = errorsOf('customer', { ...CGW_BASE, Name: name }).Name;
    expect(error?.en).toMatch(/invisible or control character \(U\+[0-9A-F]{4,5}\)/);
    expect(error?.['zh-CN']).toMatch(/不可见字符/);
  });

  it('takes line breaks only where the field is multi-line', () => {
    expect(errorsOf('customer', { ...CGW_BASE, Name: 'Office\ngw' }).Name).toBeDefined();
    expect(
      errorsOf('customer', { ...CGW_BASE, Description: 'Office uplink\nfloor 3' }).Description,
    ).toBeUndefined();
  });
});
