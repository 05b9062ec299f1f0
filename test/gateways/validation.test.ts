import { describe, expect, it } from 'vitest';
import {
  getGatewaySpec,
  paramsHash,
  summarizeParams,
  toApiParams,
  validateGatewayRequest,
} from '../../src/gateways/index.js';

const VPN_BASE = { RegionId: 'cn-hangzhou', VpcId: 'vpc-bp1ub1yt9cvakoelj0001', Bandwidth: '5' };
const CGW_BASE = { RegionId: 'cn-shanghai', IpAddress: '116.62.222.10' };

function errorsOf(kind: 'vpn' | 'customer', raw: Record<string, unknown>) {
  const r = validateGatewayRequest(kind, raw);
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

describe('VPN gateway (seed 004)', () => {
  it('applies the seed defaults', () => {
    const r = validateGatewayRequest('vpn', VPN_BASE);
    expect(r).toEqual({
      ok: true,
      params: {
        RegionId: 'cn-hangzhou',
        VpcId: 'vpc-bp1ub1yt9cvakoelj0001',
        Bandwidth: 5,
        InstanceChargeType: 'POSTPAY',
        AutoPay: false,
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

  it.each([5, 10, 20, 50, 100, 200])('accepts Bandwidth %i', (bw) => {
    expect(errorsOf('vpn', { ...VPN_BASE, Bandwidth: String(bw) }).Bandwidth).toBeUndefined();
  });

  it.each(['7', '500', '1000', '0', '-5', '5.5', 'ten'])('refuses Bandwidth %j by default', (bw) => {
    expect(errorsOf('vpn', { ...VPN_BASE, Bandwidth: bw }).Bandwidth).toBeDefined();
  });

  it('takes the bandwidth and SSL connection lists from configuration', () => {
    const options = { bandwidthValues: [10, 100, 500, 1000], sslConnectionValues: [5, 1000] };
    expect(validateGatewayRequest('vpn', { ...VPN_BASE, Bandwidth: '1000' }, options).ok).toBe(true);
    expect(validateGatewayRequest('vpn', { ...VPN_BASE, Bandwidth: '5' }, options).ok).toBe(false);
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
      Bandwidth: '5',
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
      Bandwidth: '5',
      VpcId: VPN_BASE.VpcId,
      RegionId: 'cn-hangzhou',
      EnableIpsec: 'true',
    });
    if (!a.ok || !b.ok) throw new Error('expected valid');
    expect(paramsHash('vpn', a.params)).toBe(paramsHash('vpn', b.params));
    expect(paramsHash('vpn', { ...a.params, Bandwidth: 10 })).not.toBe(paramsHash('vpn', a.params));
    expect(paramsHash('customer', a.params)).not.toBe(paramsHash('vpn', a.params));
    expect(paramsHash('vpn', a.params)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('summarises what will be sent for an approver, in both languages', () => {
    const r = validateGatewayRequest('vpn', { ...VPN_BASE, Name: 'office' });
    if (!r.ok) throw new Error('expected valid');
    const en = summarizeParams('vpn', r.params, 'en');
    expect(en.map((row) => row.name)).toEqual(Object.keys(toApiParams('vpn', r.params)));
    expect(en.find((row) => row.name === 'InstanceChargeType')?.value).toBe(
      'POSTPAY — Pay-as-you-go (POSTPAY)',
    );
    expect(en.find((row) => row.name === 'AutoPay')?.value).toBe('No');
    const zh = summarizeParams('vpn', r.params, 'zh-CN');
    expect(zh.find((row) => row.name === 'EnableIpsec')).toEqual({
      name: 'EnableIpsec',
      label: 'IPsec-VPN',
      value: '是',
    });
    expect(zh.find((row) => row.name === 'Bandwidth')?.label).toBe('带宽（Mbit/s）');
  });

  it('declares every label, help text and value label in both languages', () => {
    for (const kind of ['vpn', 'customer'] as const) {
      const spec = getGatewaySpec(kind);
      const texts = [spec.title, ...spec.params.flatMap((p) => [p.label, p.help, p.warning, p.placeholder])];
      for (const p of spec.params) if (Array.isArray(p.values)) texts.push(...p.values.map((v) => v.label));
      for (const rule of spec.params.flatMap((p) => p.rules ?? [])) texts.push(rule.message);
      for (const t of texts.filter((x) => x !== undefined)) {
        expect(t?.en.trim(), JSON.stringify(t)).not.toBe('');
        expect(t?.['zh-CN'].trim(), JSON.stringify(t)).not.toBe('');
      }
    }
  });
});

describe('booleans from checkboxes', () => {
  it('accepts an unticked box as false and a ticked one as true', () => {
    const base = { RegionId: 'cn-hangzhou', VpcId: 'vpc-bp1ub1yt9cvakoelj0001', Bandwidth: '5' };
    const r = validateGatewayRequest('vpn', { ...base, AutoPay: false, EnableSsl: true, EnableIpsec: false });
    expect(r.ok && [r.params.AutoPay, r.params.EnableSsl, r.params.EnableIpsec]).toEqual([
      false,
      true,
      false,
    ]);
  });
});
