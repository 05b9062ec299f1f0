/**
 * IPsec-VPN connections in the simulator, through the unmodified pop-core client: single- and
 * dual-tunnel creates with Alibaba's defaults and generated keys, every refusal, ClientToken
 * idempotency, the describe shapes, listing, tunnels that come up once the peer is configured, and
 * faults and rate limits on the new actions. Every request is checked against the official
 * metadata (afterEach).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ManualClock,
  parseFaults,
  type SimulatorSnapshot,
  UnknownPeerError,
} from '../../../src/sandbox/simulator/index.js';
import { type PopParams, startTestSimulator, type TestSimulator } from '../../support/simulator.js';
import { account, DUAL_REGION, type Gateway, SINGLE_REGION, tunnels } from './account.js';
import { popFailure, rejection } from './helpers.js';

const KEY = { accessKeyId: 'vco-key', accessKeySecret: 'vco-secret' };
const clock = new ManualClock(Date.UTC(2025, 2, 1, 9, 0, 0));
let sim: TestSimulator;
let acct: ReturnType<typeof account>;

beforeAll(async () => {
  sim = await startTestSimulator({
    ...KEY,
    clock,
    provisionTimeMs: 10_000,
    quotas: { vpnConnectionsPerGateway: 3 },
  });
  acct = account(sim, KEY, clock);
});
afterEach(() => {
  const violations = sim.conformanceViolations(true);
  sim.reset();
  sim.setFaults('');
  sim.setRateLimits({});
  expect(violations).toEqual([]);
});
afterAll(() => sim.close());

interface Tunnel {
  TunnelId: string;
  TunnelIndex: number;
  CustomerGatewayId: string;
  Role: string;
  State: string;
  Status: string;
  InternetIp: string;
  ZoneNo: string;
  EnableDpd: string;
  EnableNatTraversal: string;
  TunnelIkeConfig: Record<string, string>;
  TunnelIpsecConfig: Record<string, string>;
}
interface Connection {
  VpnConnectionId: string;
  Status: string;
  CustomerGatewayId?: string;
  IkeConfig?: Record<string, string | number>;
  TunnelOptionsSpecification?: { TunnelOptions: Tunnel[] };
  [field: string]: unknown;
}
interface Created {
  VpnConnectionId: string;
  Name: string;
  CreateTime: number;
}

const create = (params: PopParams) => acct.call<Created>('CreateVpnConnection', params);
const describeConnection = (id: string, regionId: string) =>
  acct.call<Connection>('DescribeVpnConnection', { RegionId: regionId, VpnConnectionId: id });
const connectionsHeld = () => sim.state().vpnConnections.length;
const PSK = /^[A-Za-z0-9]{16}$/;

/** A single-tunnel create's usual parameters. */
const single = (gw: Gateway, cgw: string, params: PopParams = {}): PopParams => ({
  RegionId: SINGLE_REGION,
  VpnGatewayId: gw.VpnGatewayId,
  CustomerGatewayId: cgw,
  LocalSubnet: '172.17.0.0/16',
  RemoteSubnet: '10.10.0.0/16',
  ...params,
});
/** A dual-tunnel create's usual parameters. */
const dual = (gw: Gateway, master: string, slave: string, params: PopParams = {}): PopParams => ({
  RegionId: DUAL_REGION,
  VpnGatewayId: gw.VpnGatewayId,
  LocalSubnet: '172.17.0.0/16',
  RemoteSubnet: '10.10.0.0/16',
  TunnelOptionsSpecification: tunnels(master, slave),
  ...params,
});

describe('single-tunnel connections', () => {
  it('creates one with Alibaba’s defaults and a generated 16-character key, answered as documented', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const cgw = await acct.customerGateway('47.60.0.1', SINGLE_REGION);
    const created = await create(single(gw, cgw, { Tags: [{ Key: 'team', Value: 'net' }] }));
    expect(Object.keys(created).sort()).toEqual(['CreateTime', 'Name', 'RequestId', 'VpnConnectionId']);
    expect(created.VpnConnectionId).toMatch(/^vco-[a-z0-9]{21}$/);
    expect(created).toMatchObject({ Name: created.VpnConnectionId, CreateTime: clock.now() });

    const seen = await describeConnection(created.VpnConnectionId, SINGLE_REGION);
    expect(seen).toEqual({
      VpnConnectionId: created.VpnConnectionId,
      VpnGatewayId: gw.VpnGatewayId,
      CustomerGatewayId: cgw,
      Name: created.VpnConnectionId,
      LocalSubnet: '172.17.0.0/16',
      RemoteSubnet: '10.10.0.0/16',
      CreateTime: created.CreateTime,
      EffectImmediately: false,
      Status: 'ike_sa_not_established',
      State: 'active',
      AttachType: 'VPNGW',
      NetworkType: 'public',
      Spec: '10M',
      InternetIp: gw.InternetIp,
      ResourceGroupId: '',
      CrossAccountAuthorized: false,
      EnableTunnelsBgp: false,
      EnableDpd: true,
      EnableNatTraversal: true,
      IkeConfig: {
        IkeVersion: 'ikev1',
        IkeMode: 'main',
        IkeEncAlg: 'aes',
        IkeAuthAlg: 'md5',
        IkePfs: 'group2',
        IkeLifetime: 86_400,
        LocalId: gw.InternetIp,
        RemoteId: '47.60.0.1',
        Psk: expect.stringMatching(PSK),
      },
      IpsecConfig: { IpsecEncAlg: 'aes', IpsecAuthAlg: 'md5', IpsecPfs: 'group2', IpsecLifetime: 86_400 },
      VpnBgpConfig: { EnableBgp: 'false' },
      VcoHealthCheck: { Enable: 'false' },
      Tags: { Tag: [{ Key: 'team', Value: 'net' }] },
      RequestId: expect.any(String),
    });
    expect(gw.InternetIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('takes the IKE and IPsec settings as JSON strings, a name, a key of its own and negotiate-now', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const cgw = await acct.customerGateway('47.60.0.2', SINGLE_REGION);
    const created = await create(
      single(gw, cgw, {
        Name: 'office-ipsec',
        EffectImmediately: true,
        AutoConfigRoute: false,
        EnableDpd: false,
        IkeConfig: JSON.stringify({
          IkeVersion: 'ikev2',
          IkeEncAlg: 'aes256',
          IkeLifetime: 3600,
          Psk: 'own-key.1',
        }),
        IpsecConfig: JSON.stringify({ IpsecPfs: 'disabled', IpsecLifetime: '7200' }),
        LocalSubnet: '172.17.0.0/16,172.18.0.0/16',
        RemoteSubnet: '0.0.0.0/0',
      }),
    );
    expect(created.Name).toBe('office-ipsec');
    const seen = await describeConnection(created.VpnConnectionId, SINGLE_REGION);
    expect(seen).toMatchObject({
      Name: 'office-ipsec',
      EffectImmediately: true,
      EnableDpd: false,
      LocalSubnet: '172.17.0.0/16,172.18.0.0/16',
      RemoteSubnet: '0.0.0.0/0',
      IkeConfig: {
        IkeVersion: 'ikev2',
        IkeEncAlg: 'aes256',
        IkeAuthAlg: 'md5',
        IkeLifetime: 3600,
        Psk: 'own-key.1',
      },
      IpsecConfig: { IpsecPfs: 'disabled', IpsecLifetime: 7200, IpsecEncAlg: 'aes' },
    });
    expect(seen).not.toHaveProperty('TunnelOptionsSpecification');
  });

  it('generates a different key for every connection', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const keys = new Set<string>();
    for (const ip of ['47.60.1.1', '47.60.1.2', '47.60.1.3']) {
      const made = await create(single(gw, await acct.customerGateway(ip, SINGLE_REGION)));
      const psk = (await describeConnection(made.VpnConnectionId, SINGLE_REGION)).IkeConfig?.Psk;
      expect(psk).toMatch(PSK);
      keys.add(psk as string);
    }
    expect(keys.size).toBe(3);
  });

  it('refuses, with a clear code, every request it cannot honour, and creates nothing', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const cgw = await acct.customerGateway('47.60.2.1', SINGLE_REGION);
    const elsewhere = await acct.customerGateway('47.60.2.2', DUAL_REGION);
    const young = await acct.vpnGateway(SINGLE_REGION, {}, false);
    const refused = async (params: PopParams) => {
      const failure = await popFailure(create(params));
      return { code: failure.code, status: failure.status, message: failure.data.Message };
    };

    expect(await refused(single(gw, cgw, { CustomerGatewayId: '' }))).toMatchObject({
      code: 'MissingCustomerGatewayId',
      message: expect.stringContaining('single-tunnel'),
    });
    expect(await refused(single(gw, cgw, { TunnelOptionsSpecification: tunnels(cgw, cgw) }))).toMatchObject({
      code: 'InvalidTunnelOptionsSpecification.NotSupported',
      status: 400,
    });
    expect(await refused(single(gw, cgw, { LocalSubnet: '172.17.0.0/16,office' }))).toEqual({
      code: 'IllegalParam.LocalSubnet',
      status: 400,
      message: 'The specified "LocalSubnet" (office) is invalid.',
    });
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.256/24', '10.0.0.0/24,', ' '])
      expect((await refused(single(gw, cgw, { RemoteSubnet: bad }))).code).toBe('IllegalParam.RemoteSubnet');
    expect((await refused(single(gw, cgw, { Name: 'x'.repeat(101) }))).code).toBe('InvalidName');
    expect((await refused(single(gw, cgw, { Name: 'https://office' }))).code).toBe('InvalidName');
    expect((await refused(single(gw, cgw, { IkeConfig: 'ikev2' }))).code).toBe('InvalidIkeConfig');
    expect(await refused(single(gw, cgw, { IkeConfig: '{"IkeVersion":"ikev3"}' }))).toMatchObject({
      code: 'InvalidIkeConfig',
      message: 'IkeConfig.IkeVersion must be one of ikev1, ikev2.',
    });
    expect(await refused(single(gw, cgw, { IkeConfig: '{"ikeVersion":"ikev2"}' }))).toMatchObject({
      code: 'InvalidIkeConfig',
      message: expect.stringContaining('IkeConfig.ikeVersion is not a setting'),
    });
    const badKey = await refused(single(gw, cgw, { IkeConfig: JSON.stringify({ Psk: 'has a space' }) }));
    expect(badKey.code).toBe('InvalidIkeConfig');
    expect(badKey.message).not.toContain('has a space');
    expect((await refused(single(gw, cgw, { IpsecConfig: '{"IpsecLifetime":90000}' }))).code).toBe(
      'InvalidIpsecConfig',
    );
    expect(await refused(single(gw, elsewhere))).toMatchObject({
      code: 'InvalidCustomerGatewayInstanceId.NotFound',
      status: 404,
    });
    expect(await refused(single(gw, cgw, { VpnGatewayId: 'vpn-nothere' }))).toMatchObject({
      code: 'InvalidVpnGatewayInstanceId.NotFound',
      status: 404,
    });
    expect(await refused(single(gw, cgw, { RegionId: DUAL_REGION }))).toMatchObject({
      code: 'InvalidVpnGatewayInstanceId.NotFound',
      status: 404,
    });
    expect(await refused(single(young, cgw))).toMatchObject({
      code: 'VpnGateway.Configuring',
      message: expect.stringContaining('not yet active'),
    });
    expect((await refused(single(gw, cgw, { DryRun: true }))).code).toBe('DryRunOperation');
    expect(connectionsHeld()).toBe(0);

    await create(single(gw, cgw));
    expect(await refused(single(gw, cgw, { Name: 'again' }))).toMatchObject({
      code: 'InvalidVpnConnection.AlreadyExists',
      message: expect.stringContaining(cgw),
    });
    // The quota (3 here) counts connections per VPN gateway.
    for (const ip of ['47.60.2.3', '47.60.2.4'])
      await create(single(gw, await acct.customerGateway(ip, SINGLE_REGION)));
    const fourth = await acct.customerGateway('47.60.2.5', SINGLE_REGION);
    expect(await refused(single(gw, fourth))).toMatchObject({
      code: 'Resource.QuotaFull',
      message: expect.stringContaining('3 IPsec-VPN connections per VPN gateway'),
    });
    expect(connectionsHeld()).toBe(3);
  });

  it('refuses networks Alibaba refuses with IllegalParam, naming the block, and takes 0.0.0.0/0 on one side', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const refused = async (params: PopParams) => {
      const failure = await popFailure(create(params));
      return [failure.code, failure.status, failure.data.Message];
    };
    const cgw = await acct.customerGateway('47.60.4.1', SINGLE_REGION);
    expect(await refused(single(gw, cgw, { RemoteSubnet: '10.3.0.0/16,10.3.0.0/16' }))).toEqual([
      'IllegalParam.RemoteSubnet',
      400,
      'The specified "RemoteSubnet" (10.3.0.0/16) is invalid.',
    ]);
    expect(await refused(single(gw, cgw, { RemoteSubnet: '10.8.0.0/16,10.8.1.0/24' }))).toEqual([
      'IllegalParam.RemoteSubnet',
      400,
      'The specified "RemoteSubnet" (10.8.1.0/24) is invalid.',
    ]);
    // Host bits do not hide a repeat: 10.8.1.9/16 stands for 10.8.0.0/16.
    expect((await refused(single(gw, cgw, { LocalSubnet: '10.8.1.0/24,10.8.1.9/16' })))[0]).toBe(
      'IllegalParam.LocalSubnet',
    );
    expect(await refused(single(gw, cgw, { LocalSubnet: '0.0.0.0/0,172.17.0.0/16' }))).toEqual([
      'IllegalParam.LocalSubnet',
      400,
      'The specified "LocalSubnet" (172.17.0.0/16) is invalid.',
    ]);
    expect(await refused(single(gw, cgw, { RemoteSubnet: '10.0.0.0/8,172.17.4.0/24' }))).toEqual([
      'IllegalParam.RemoteSubnet',
      400,
      'The specified "RemoteSubnet" (172.17.4.0/24) is invalid.',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`).join(',');
    expect(await refused(single(gw, cgw, { RemoteSubnet: eleven }))).toEqual([
      'IllegalParam.RemoteSubnet',
      400,
      `The specified "RemoteSubnet" (${eleven}) is invalid.`,
    ]);
    expect(connectionsHeld()).toBe(0);

    const ten = Array.from({ length: 10 }, (_, i) => `10.${i}.0.0/16`).join(',');
    const hub = await create(single(gw, cgw, { LocalSubnet: '0.0.0.0/0', RemoteSubnet: ten }));
    const other = await acct.customerGateway('47.60.4.2', SINGLE_REGION);
    const spoke = await create(
      single(gw, other, { LocalSubnet: '172.17.0.0/16', RemoteSubnet: '0.0.0.0/0' }),
    );
    const hostBits = await create(
      single(gw, await acct.customerGateway('47.60.4.3', SINGLE_REGION), { LocalSubnet: '172.17.1.9/16' }),
    );
    expect(await describeConnection(hub.VpnConnectionId, SINGLE_REGION)).toMatchObject({
      LocalSubnet: '0.0.0.0/0',
      RemoteSubnet: ten,
    });
    expect(await describeConnection(spoke.VpnConnectionId, SINGLE_REGION)).toMatchObject({
      LocalSubnet: '172.17.0.0/16',
      RemoteSubnet: '0.0.0.0/0',
    });
    // Taken as written: nothing documents Alibaba refusing host bits.
    expect((await describeConnection(hostBits.VpnConnectionId, SINGLE_REGION)).LocalSubnet).toBe(
      '172.17.1.9/16',
    );
  });

  it('refuses a gateway created without IPsec-VPN, and an unpaid one', async () => {
    const cgw = await acct.customerGateway('47.60.3.1', SINGLE_REGION);
    const noIpsec = await acct.vpnGateway(SINGLE_REGION, { EnableIpsec: false });
    expect((await popFailure(create(single(noIpsec, cgw)))).code).toBe('OperationFailed.IpsecNotEnabled');
    const unpaid = await acct.vpnGateway(SINGLE_REGION, { InstanceChargeType: 'PREPAY', Period: 1 });
    expect((await popFailure(create(single(unpaid, cgw)))).code).toBe('VpnGateway.FinancialLocked');
    expect(connectionsHeld()).toBe(0);
  });
});

describe('dual-tunnel connections', () => {
  it('creates one with a master and a slave tunnel, each with its own generated key', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.61.0.1', DUAL_REGION);
    const b = await acct.customerGateway('47.61.0.2', DUAL_REGION);
    const created = await create(
      dual(gw, a, b, {
        TunnelOptionsSpecification: tunnels(a, b, [
          {},
          {
            'TunnelIkeConfig.IkeVersion': 'ikev2',
            'TunnelIkeConfig.IkeLifetime': '3600',
            'TunnelIpsecConfig.IpsecEncAlg': 'aes256',
            EnableDpd: 'false',
          },
        ]),
        EnableTunnelsBgp: false,
        Name: 'dc-link',
      }),
    );
    const seen = await describeConnection(created.VpnConnectionId, DUAL_REGION);
    expect(seen).toMatchObject({
      VpnConnectionId: created.VpnConnectionId,
      VpnGatewayId: gw.VpnGatewayId,
      Name: 'dc-link',
      Status: 'ike_sa_not_established',
      State: 'active',
      EnableTunnelsBgp: false,
    });
    for (const single of ['CustomerGatewayId', 'IkeConfig', 'IpsecConfig'])
      expect(seen).not.toHaveProperty(single);
    const [master, slave] = seen.TunnelOptionsSpecification?.TunnelOptions ?? [];
    const zones = sim.state().vpnGateways[0];
    expect(master).toEqual({
      TunnelId: expect.stringMatching(/^tun-[a-z0-9]{21}$/),
      TunnelIndex: 1,
      CustomerGatewayId: a,
      Role: 'master',
      State: 'active',
      Status: 'ike_sa_not_established',
      InternetIp: gw.InternetIp,
      ZoneNo: expect.stringMatching(/^cn-hangzhou-[a-z]$/),
      EnableDpd: 'true',
      EnableNatTraversal: 'true',
      TunnelIkeConfig: {
        IkeVersion: 'ikev1',
        IkeMode: 'main',
        IkeEncAlg: 'aes',
        IkeAuthAlg: 'md5',
        IkePfs: 'group2',
        IkeLifetime: '86400',
        LocalId: gw.InternetIp,
        RemoteId: '47.61.0.1',
        Psk: expect.stringMatching(PSK),
      },
      TunnelIpsecConfig: {
        IpsecEncAlg: 'aes',
        IpsecAuthAlg: 'md5',
        IpsecPfs: 'group2',
        IpsecLifetime: '86400',
      },
      TunnelBgpConfig: { BgpStatus: '' },
    });
    expect(slave).toMatchObject({
      TunnelIndex: 2,
      CustomerGatewayId: b,
      Role: 'slave',
      InternetIp: gw.DisasterRecoveryInternetIp,
      EnableDpd: 'false',
      TunnelIkeConfig: { IkeVersion: 'ikev2', IkeLifetime: '3600', LocalId: gw.DisasterRecoveryInternetIp },
      TunnelIpsecConfig: { IpsecEncAlg: 'aes256' },
    });
    expect(master?.ZoneNo).not.toBe(slave?.ZoneNo);
    expect(zones?.DisasterRecoveryInternetIp).toBe(gw.DisasterRecoveryInternetIp);
    expect(slave?.TunnelIkeConfig.Psk).toMatch(PSK);
    expect(slave?.TunnelIkeConfig.Psk).not.toBe(master?.TunnelIkeConfig.Psk);
  });

  it('lets both tunnels use one customer gateway, in either order of roles', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.61.1.1', DUAL_REGION);
    const made = await create(
      dual(gw, a, a, {
        TunnelOptionsSpecification: [
          { CustomerGatewayId: a, Role: 'slave' },
          { CustomerGatewayId: a, Role: 'master' },
        ],
      }),
    );
    const seen = await describeConnection(made.VpnConnectionId, DUAL_REGION);
    expect(seen.TunnelOptionsSpecification?.TunnelOptions.map((t) => [t.TunnelIndex, t.Role])).toEqual([
      [1, 'slave'],
      [2, 'master'],
    ]);
  });

  it('refuses single-tunnel parameters and anything but one master and one slave, and creates nothing', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.61.2.1', DUAL_REGION);
    const b = await acct.customerGateway('47.61.2.2', DUAL_REGION);
    const far = await acct.customerGateway('47.61.2.3', SINGLE_REGION);
    const refused = async (params: PopParams) => {
      const failure = await popFailure(create(params));
      return { code: failure.code, message: failure.data.Message };
    };
    expect(await refused(dual(gw, a, b, { CustomerGatewayId: a }))).toMatchObject({
      code: 'InvalidCustomerGatewayId.NotSupported',
      message: expect.stringContaining('dual-tunnel'),
    });
    expect((await refused(dual(gw, a, b, { IkeConfig: '{}' }))).code).toBe('InvalidIkeConfig.NotSupported');
    const { TunnelOptionsSpecification: _t, ...bare } = dual(gw, a, b);
    expect((await refused(bare)).code).toBe('MissingTunnelOptionsSpecification');
    const cases: [Record<string, string>[], RegExp][] = [
      [[{ CustomerGatewayId: a, Role: 'master' }], /exactly two tunnels/],
      [[...tunnels(a, b), { CustomerGatewayId: a, Role: 'slave' }], /exactly two tunnels/],
      [
        [
          { CustomerGatewayId: a, Role: 'master' },
          { CustomerGatewayId: b, Role: 'master' },
        ],
        /must be master and the other slave/,
      ],
      [
        [{ CustomerGatewayId: a, Role: 'master' }, { CustomerGatewayId: b }],
        /\.2\.Role must be master or slave/,
      ],
      [[{ CustomerGatewayId: a, Role: 'master' }, { Role: 'slave' }], /\.2\.CustomerGatewayId is mandatory/],
      [
        tunnels(a, b, [{ 'TunnelIkeConfig.IkePfs': 'group3' }, {}]),
        /\.1\.TunnelIkeConfig\.IkePfs must be one of/,
      ],
      [
        tunnels(a, b, [{}, { 'TunnelIpsecConfig.Colour': 'blue' }]),
        /TunnelIpsecConfig\.Colour is not a setting/,
      ],
      [tunnels(a, b, [{ Colour: 'blue' }, {}]), /\.1\.Colour is not a tunnel field/],
    ];
    for (const [entries, message] of cases) {
      const failure = await refused(dual(gw, a, b, { TunnelOptionsSpecification: entries }));
      expect(failure).toEqual({
        code: 'InvalidTunnelOptionsSpecification',
        message: expect.stringMatching(message),
      });
    }
    expect((await refused(dual(gw, a, far))).code).toBe('InvalidCustomerGatewayInstanceId.NotFound');
    expect(connectionsHeld()).toBe(0);
    // The conformance check saw the unknown fields too.
    expect(sim.conformanceViolations(true)).toEqual([
      'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.2.TunnelIpsecConfig.Colour',
      'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.1.Colour',
    ]);
  });

  it('says to send a nested object field by field, as pop-core cannot flatten it', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.61.3.1', DUAL_REGION);
    const nested = [
      { CustomerGatewayId: a, Role: 'master', TunnelIkeConfig: { IkeVersion: 'ikev2' } },
      { CustomerGatewayId: a, Role: 'slave' },
    ] as unknown as Record<string, string>[];
    const failure = await popFailure(create(dual(gw, a, a, { TunnelOptionsSpecification: nested })));
    expect(failure.code).toBe('InvalidTunnelOptionsSpecification');
    expect(failure.data.Message).toContain('TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion');
    expect(sim.conformanceViolations(true)).toEqual([
      'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.1.TunnelIkeConfig',
    ]);
  });
});

describe('ClientToken', () => {
  it('answers a repeated token with the same connection and the same answer; other parameters are a mismatch', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.62.0.1', DUAL_REGION);
    const params = dual(gw, a, a, { ClientToken: 'req-0001', Name: 'once' });
    const first = await create(params);
    clock.advance(5_000);
    const again = await create(params);
    expect({ ...again, RequestId: '' }).toEqual({ ...first, RequestId: '' });
    expect(again.RequestId).not.toBe(first.RequestId);
    expect(connectionsHeld()).toBe(1);
    expect((await popFailure(create({ ...params, Name: 'twice' }))).code).toBe('IdempotentParameterMismatch');
    // A key Alibaba generated stays what it was.
    const keys = (c: Connection) =>
      c.TunnelOptionsSpecification?.TunnelOptions.map((t) => t.TunnelIkeConfig.Psk);
    const before = keys(await describeConnection(first.VpnConnectionId, DUAL_REGION));
    await create(params);
    expect(keys(await describeConnection(first.VpnConnectionId, DUAL_REGION))).toEqual(before);
  });

  it('finds the connection of a create whose answer was lost', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const cgw = await acct.customerGateway('47.62.1.1', SINGLE_REGION);
    sim.setFaults(parseFaults('CreateVpnConnection:lost=1'));
    const params = single(gw, cgw, { ClientToken: 'req-lost' });
    expect((await rejection(create(params))).code).toBe('ECONNRESET');
    const [made] = sim.state().vpnConnections;
    sim.setFaults('');
    const retried = await create(params);
    expect(retried.VpnConnectionId).toBe(made?.VpnConnectionId);
    expect(connectionsHeld()).toBe(1);
    // Without the token, the retry would have met the one-connection-per-pair rule instead.
    expect((await popFailure(create(single(gw, cgw)))).code).toBe('InvalidVpnConnection.AlreadyExists');
  });
});

describe('faults and rate limits', () => {
  it('apply to the new actions: a refused call has no effect', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const cgw = await acct.customerGateway('47.63.0.1', SINGLE_REGION);
    sim.setFaults(parseFaults('CreateVpnConnection:ServiceUnavailable=1'));
    expect((await popFailure(create(single(gw, cgw)))).status).toBe(503);
    expect(connectionsHeld()).toBe(0);
    sim.setFaults('');
    sim.setRateLimits('CreateVpnConnection=1/min,DescribeVpnConnections=1/min');
    await create(single(gw, cgw));
    const other = await acct.customerGateway('47.63.0.2', SINGLE_REGION);
    expect((await popFailure(create(single(gw, other)))).code).toBe('Throttling.User');
    expect(connectionsHeld()).toBe(1);
    await acct.call('DescribeVpnConnections', { RegionId: SINGLE_REGION });
    expect((await popFailure(acct.call('DescribeVpnConnections', { RegionId: SINGLE_REGION }))).code).toBe(
      'Throttling.User',
    );
  });
});

describe('the on-premises peer', () => {
  const peer = (body: unknown) =>
    fetch(`${sim.url}/_simulator/peer`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { ok: boolean; vpnConnectionIds?: string[]; error?: string },
    }));
  const statuses = async (id: string, regionId: string) => {
    const seen = await describeConnection(id, regionId);
    return [seen.Status, ...(seen.TunnelOptionsSpecification?.TunnelOptions.map((t) => t.Status) ?? [])];
  };

  it('brings a single tunnel up once the customer gateway’s device is configured', async () => {
    const gw = await acct.vpnGateway(SINGLE_REGION);
    const cgw = await acct.customerGateway('47.64.0.1', SINGLE_REGION);
    const made = await create(single(gw, cgw));
    expect(await statuses(made.VpnConnectionId, SINGLE_REGION)).toEqual(['ike_sa_not_established']);
    expect(await peer({ customerGatewayId: cgw })).toEqual({
      status: 200,
      body: { ok: true, vpnConnectionIds: [made.VpnConnectionId] },
    });
    expect(await statuses(made.VpnConnectionId, SINGLE_REGION)).toEqual(['ipsec_sa_established']);
    expect(await peer({ customerGatewayId: cgw, configured: false })).toMatchObject({ status: 200 });
    expect(await statuses(made.VpnConnectionId, SINGLE_REGION)).toEqual(['ike_sa_not_established']);
  });

  it('brings up each dual tunnel with its own peer; the connection is up while either tunnel is', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.64.1.1', DUAL_REGION);
    const b = await acct.customerGateway('47.64.1.2', DUAL_REGION);
    const made = await create(dual(gw, a, b));
    await peer({ customerGatewayId: b });
    expect(await statuses(made.VpnConnectionId, DUAL_REGION)).toEqual([
      'ipsec_sa_established',
      'ike_sa_not_established',
      'ipsec_sa_established',
    ]);
    sim.configurePeer({ customerGatewayId: a });
    expect(await statuses(made.VpnConnectionId, DUAL_REGION)).toEqual([
      'ipsec_sa_established',
      'ipsec_sa_established',
      'ipsec_sa_established',
    ]);
  });

  it('remembers a peer configured before the connection exists, and configures one connection alone', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const other = await acct.vpnGateway(DUAL_REGION);
    const a = await acct.customerGateway('47.64.2.1', DUAL_REGION);
    const b = await acct.customerGateway('47.64.2.2', DUAL_REGION);
    expect(sim.configurePeer({ customerGatewayId: a })).toEqual([]);
    const early = await create(dual(gw, a, a));
    expect(await statuses(early.VpnConnectionId, DUAL_REGION)).toEqual(Array(3).fill('ipsec_sa_established'));
    const first = await create(dual(other, b, b));
    const second = await create(dual(gw, b, b, { LocalSubnet: '172.18.0.0/16' }));
    expect(await peer({ vpnConnectionId: first.VpnConnectionId })).toEqual({
      status: 200,
      body: { ok: true, vpnConnectionIds: [first.VpnConnectionId] },
    });
    expect(await statuses(first.VpnConnectionId, DUAL_REGION)).toEqual(Array(3).fill('ipsec_sa_established'));
    expect(await statuses(second.VpnConnectionId, DUAL_REGION)).toEqual(
      Array(3).fill('ike_sa_not_established'),
    );
    // The state lists the connections, tunnels and keys (it is the account), and who is configured.
    const state = (await (await fetch(`${sim.url}/_simulator/state`)).json()) as SimulatorSnapshot;
    expect(state.vpnConnections.map((c) => c.VpnConnectionId)).toEqual([
      early.VpnConnectionId,
      first.VpnConnectionId,
      second.VpnConnectionId,
    ]);
    expect(state.vpnConnections[0]?.tunnels.map((t) => t.Status)).toEqual(
      Array(2).fill('ipsec_sa_established'),
    );
    expect(state.vpnConnections[0]?.tunnels[0]?.ike.Psk).toMatch(PSK);
    expect(state.configuredPeers).toEqual([a]);
    expect(state.configuredConnections).toEqual([first.VpnConnectionId]);
  });

  it('answers an unknown id with 404 and a malformed body with 400, both in JSON', async () => {
    expect(await peer({ customerGatewayId: 'cgw-nothere' })).toEqual({
      status: 404,
      body: { ok: false, error: 'no customer gateway cgw-nothere' },
    });
    expect(await peer({ vpnConnectionId: 'vco-nothere' })).toMatchObject({ status: 404 });
    expect(() => sim.configurePeer({ vpnConnectionId: 'vco-nothere' })).toThrow(UnknownPeerError);
    for (const body of [
      {},
      { customerGatewayId: 'cgw-a', vpnConnectionId: 'vco-b' },
      { customerGatewayId: 7 },
      { cgw: 'x' },
    ])
      expect((await peer(body)).status).toBe(400);
    const notJson = await fetch(`${sim.url}/_simulator/peer`, { method: 'POST', body: 'cgw-1' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ ok: false, error: 'the body is not JSON' });
  });
});

describe('DescribeVpnConnections', () => {
  it('lists newest first in Alibaba’s wrappers, by gateway, customer gateway, id and tag, in pages of at most 50', async () => {
    const gw = await acct.vpnGateway(DUAL_REGION);
    const other = await acct.vpnGateway(DUAL_REGION);
    const [a, b, c] = [
      await acct.customerGateway('47.65.0.1', DUAL_REGION),
      await acct.customerGateway('47.65.0.2', DUAL_REGION),
      await acct.customerGateway('47.65.0.3', DUAL_REGION),
    ] as [string, string, string];
    const one = await create(dual(gw, a, b, { Tags: [{ Key: 'env', Value: 'prod' }] }));
    clock.advance(1_000);
    const two = await create(dual(gw, c, c));
    clock.advance(1_000);
    const three = await create(dual(other, a, a, { Tags: [{ Key: 'env', Value: 'test' }] }));
    const list = (params: PopParams = {}) =>
      acct.call<{
        VpnConnections: { VpnConnection: Connection[] };
        TotalCount: number;
        PageNumber: number;
        PageSize: number;
      }>('DescribeVpnConnections', { RegionId: DUAL_REGION, ...params });
    const ids = async (params: PopParams = {}) =>
      (await list(params)).VpnConnections.VpnConnection.map((v) => v.VpnConnectionId);

    const all = await list();
    expect(all).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 10 });
    expect(all.VpnConnections.VpnConnection.map((v) => v.VpnConnectionId)).toEqual([
      three.VpnConnectionId,
      two.VpnConnectionId,
      one.VpnConnectionId,
    ]);
    // A list item is the describe's attribute set, its tags under `Tag`.
    const item = all.VpnConnections.VpnConnection[2];
    const { RequestId: _r, Tags, ...described } = await describeConnection(one.VpnConnectionId, DUAL_REGION);
    expect(item).toEqual({ ...described, Tag: Tags });
    expect(await ids({ VpnGatewayId: gw.VpnGatewayId })).toEqual([two.VpnConnectionId, one.VpnConnectionId]);
    expect(await ids({ CustomerGatewayId: b })).toEqual([one.VpnConnectionId]);
    expect(await ids({ CustomerGatewayId: a })).toEqual([three.VpnConnectionId, one.VpnConnectionId]);
    expect(await ids({ VpnConnectionId: two.VpnConnectionId })).toEqual([two.VpnConnectionId]);
    expect(await ids({ Tag: [{ Key: 'env', Value: 'prod' }] })).toEqual([one.VpnConnectionId]);
    expect(await ids({ Tag: [{ Key: 'env' }] })).toEqual([three.VpnConnectionId, one.VpnConnectionId]);
    expect(await ids({ RegionId: SINGLE_REGION })).toEqual([]);
    const pages = [await list({ PageSize: 2 }), await list({ PageSize: 2, PageNumber: 2 })];
    expect(
      pages.map((p) => [p.TotalCount, p.PageNumber, p.PageSize, p.VpnConnections.VpnConnection.length]),
    ).toEqual([
      [3, 1, 2, 2],
      [3, 2, 2, 1],
    ]);
    expect((await popFailure(list({ PageSize: 51 }))).code).toBe('InvalidPageSize');
  });

  it('answers an unknown connection with the documented NotFound', async () => {
    const failure = await popFailure(describeConnection('vco-nothere', DUAL_REGION));
    expect(failure).toMatchObject({ code: 'InvalidVpnConnectionInstanceId.NotFound', status: 404 });
    expect(failure.data.Message).toBe('The specified vpn connection instance id does not exist.');
  });
});
