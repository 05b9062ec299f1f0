/**
 * Field errors as people get them: every built-in declaration validated against a battery of bad
 * input for each of its parameters (missing, of the wrong kind, hidden characters, out of its
 * value set, too short or too long, breaking each rule, secrets with nowhere safe to keep them,
 * conditional requirements, rules across fields). Tests read these to hold the errors' phrasing
 * and typography, in both languages.
 */
import type { Text } from '../../src/i18n/index.js';
import {
  type ParamSpec,
  type Resource,
  type ResourceOptions,
  resources,
  validateParams,
} from '../../src/resources/index.js';
import { TUNNEL_CGW } from '../../src/resources/vpn-connection.js';

export interface FieldError {
  resource: string;
  param: string;
  label: Text;
  error: Text;
}

/** Valid forms per built-in type (a single-tunnel and a dual-tunnel region where that matters). */
const BASES: Record<string, Record<string, unknown>[]> = {
  vpn_gateway: [
    { RegionId: 'me-east-1', VpcId: 'vpc-bp1v2c3d4', Bandwidth: '10' },
    {
      RegionId: 'cn-hangzhou',
      VpcId: 'vpc-bp1v2c3d4',
      Bandwidth: '10',
      VSwitchId: 'vsw-bp1aaaa1',
      DisasterRecoveryVSwitchId: 'vsw-bp1bbbb2',
    },
  ],
  customer_gateway: [{ RegionId: 'cn-hangzhou', IpAddress: '47.96.1.10' }],
  vpn_connection: [
    {
      RegionId: 'me-east-1',
      VpnGatewayId: 'vpn-bp1x2y3z4',
      CustomerGatewayId: 'cgw-bp1abc234',
      LocalSubnet: '192.168.0.0/16',
      RemoteSubnet: '172.16.0.0/16',
    },
    {
      RegionId: 'cn-hangzhou',
      VpnGatewayId: 'vpn-bp1x2y3z4',
      [TUNNEL_CGW[0]]: 'cgw-bp1abc234',
      [TUNNEL_CGW[1]]: 'cgw-bp1abc235',
      LocalSubnet: '192.168.0.0/16',
      RemoteSubnet: '172.16.0.0/16',
    },
  ],
};

/** Strings that break one rule or another of the declared text parameters. */
const BAD_TEXT = [
  'http://example.com',
  '1abc',
  'ab@c',
  '网关!',
  '0.0.0.0',
  '127.0.0.1',
  '300.1.1.1',
  '45104',
  '99999999999',
  'a b?',
  'RG-NOPE',
  'vpc_nope',
  '192.168.1.5/24',
  '10.0.0.0',
  Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`).join(','),
  '10.3.0.0/16,10.3.0.0/16',
  '10.8.0.0/16,10.8.1.0/24',
  '86401',
  'noequals',
  Array.from({ length: 21 }, (_, i) => `k${i}=v`).join('\n'),
  'aliyun:env=prod',
  'team=http://x',
  'a=1\na=2',
  `${'k'.repeat(129)}=v`,
];

function badValues(param: ParamSpec): unknown[] {
  const values: unknown[] = [{ nested: true }, ''];
  if (param.type === 'boolean') values.push('maybe');
  if (param.type === 'integer') values.push('abc', '12.5', 7);
  if (param.values) values.push('not-a-choice');
  if (param.type === 'string' || param.type === 'tags') {
    values.push('a\u202Eb', ...BAD_TEXT);
    if (param.minLength !== undefined && param.minLength > 1) values.push('x');
    if (param.maxLength !== undefined) values.push('x'.repeat(param.maxLength + 1));
  }
  return values;
}

/** Every distinct field error the battery draws from the built-in declarations. */
export function fieldErrorsOfBadInput(): FieldError[] {
  const seen = new Map<string, FieldError>();
  const collect = (resource: Resource, form: Record<string, unknown>, options: ResourceOptions = {}) => {
    const result = validateParams(resource, form, options);
    if (result.ok) return;
    for (const [param, error] of Object.entries(result.errors)) {
      const label = resource.params.find((p) => p.name === param)?.label;
      if (!label) throw new Error(`${resource.type}: an error on ${param}, which is not declared`);
      seen.set(`${resource.type} ${param} ${error.en}`, { resource: resource.type, param, label, error });
    }
  };
  for (const resource of resources()) {
    for (const base of BASES[resource.type] ?? []) {
      for (const param of resource.params) {
        for (const bad of badValues(param)) collect(resource, { ...base, [param.name]: bad });
        const { [param.name]: _left, ...without } = base;
        collect(resource, without);
        if (param.secret) collect(resource, { ...base, [param.name]: 'k3y' }, { secretsAvailable: false });
      }
    }
  }
  const vpn = resources().find((r) => r.type === 'vpn_gateway');
  const connection = resources().find((r) => r.type === 'vpn_connection');
  const [single, dual] = BASES.vpn_gateway ?? [];
  if (vpn && single && dual) {
    collect(vpn, { ...single, InstanceChargeType: 'PREPAY' });
    collect(vpn, { ...single, NetworkType: 'private', Bandwidth: '10' });
    collect(vpn, { ...dual, VSwitchId: undefined, DisasterRecoveryVSwitchId: undefined });
  }
  const [oneTunnel] = BASES.vpn_connection ?? [];
  if (connection && oneTunnel)
    collect(connection, { ...oneTunnel, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '192.168.10.0/24' });
  return [...seen.values()];
}
