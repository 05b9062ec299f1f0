import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conformanceProblems,
  type PopParams,
  popClient,
  SPECS_DIR,
  specsPresent,
  startTestSimulator,
  type TestSimulator,
} from '../../support/simulator.js';

const KEY = { accessKeyId: 'conf-key', accessKeySecret: 'conf-secret' };
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator(KEY);
});
afterAll(() => sim.close());

describe(`the conformance check against Alibaba's metadata (${SPECS_DIR})`, () => {
  it.skipIf(!specsPresent)(
    'accepts what the metadata lists, RepeatList entries included (skipped: ../shared/specs/aliyun-vpc is absent)',
    () => {
      expect(
        conformanceProblems({
          action: 'CreateCustomerGateway',
          params: {
            RegionId: 'cn-hangzhou',
            IpAddress: '47.1.2.3',
            Name: 'office',
            'Tags.1.Key': 'team',
            'Tags.1.Value': 'net',
            Signature: 'x',
            Timestamp: '2025-01-01T00:00:00Z',
          },
        }),
      ).toEqual([]);
    },
  );

  it.skipIf(!specsPresent)(
    'reports unknown and missing parameters, wrong types and "undefined" values (skipped: ../shared/specs/aliyun-vpc is absent)',
    () => {
      expect(
        conformanceProblems({
          action: 'CreateVpnGateway',
          params: {
            RegionId: 'cn-hangzhou',
            Bandwidth: '5M',
            Colour: 'blue',
            Name: 'undefined',
            'Name.1': 'x',
          },
        }),
      ).toEqual([
        'CreateVpnGateway: Bandwidth="5M" is not Integer',
        'CreateVpnGateway: unknown parameter Colour',
        'CreateVpnGateway: Name sent as "undefined"',
        'CreateVpnGateway: unknown parameter Name.1',
        'CreateVpnGateway: missing required VpcId',
      ]);
      expect(conformanceProblems({ action: 'CreateRocket', params: {} })).toEqual([
        'CreateRocket: no official metadata for this action',
      ]);
    },
  );

  it.skipIf(!specsPresent)(
    'sees every request the simulator receives (skipped: ../shared/specs/aliyun-vpc is absent)',
    async () => {
      await popClient(sim, KEY).call('DescribeRegions', { AcceptLanguage: 'en-US' });
      expect(sim.conformanceViolations()).toEqual([]);
      // The simulator, like Alibaba, ignores a parameter it does not know; the check does not.
      await popClient(sim, KEY).call('DescribeRegions', { AcceptLanguage: 'en-US', Verbose: true });
      expect(sim.conformanceViolations(true)).toEqual(['DescribeRegions: unknown parameter Verbose']);
      expect(sim.conformanceViolations()).toEqual([]);
    },
  );

  it.skipIf(!specsPresent)(
    'accepts an Array sent element by element with nested fields flat, and reports anything else (skipped: ../shared/specs/aliyun-vpc is absent)',
    () => {
      const tunnel = (n: number, role: string) => ({
        [`TunnelOptionsSpecification.${n}.CustomerGatewayId`]: 'cgw-1',
        [`TunnelOptionsSpecification.${n}.Role`]: role,
        [`TunnelOptionsSpecification.${n}.EnableDpd`]: 'true',
        [`TunnelOptionsSpecification.${n}.TunnelIkeConfig.IkeVersion`]: 'ikev2',
        [`TunnelOptionsSpecification.${n}.TunnelIkeConfig.IkeLifetime`]: '3600',
        [`TunnelOptionsSpecification.${n}.TunnelIpsecConfig.IpsecEncAlg`]: 'aes',
        [`TunnelOptionsSpecification.${n}.TunnelBgpConfig.LocalAsn`]: '65530',
      });
      const base = {
        RegionId: 'cn-hangzhou',
        VpnGatewayId: 'vpn-1',
        LocalSubnet: '10.0.0.0/8',
        RemoteSubnet: '192.168.0.0/16',
      };
      expect(
        conformanceProblems({
          action: 'CreateVpnConnection',
          params: { ...base, ...tunnel(1, 'master'), ...tunnel(2, 'slave'), 'Tags.1.Key': 'team' },
        }),
      ).toEqual([]);
      expect(
        conformanceProblems({
          action: 'CreateVpnConnection',
          params: {
            ...base,
            TunnelOptionsSpecification: '[object Object]',
            'TunnelOptionsSpecification.1.TunnelIkeConfig': '[object Object]',
            'TunnelOptionsSpecification.1.Colour': 'blue',
            'TunnelOptionsSpecification.1.TunnelIkeConfig.Colour': 'blue',
            'TunnelOptionsSpecification.0.Role': 'master',
            'TunnelOptionsSpecification.x.Role': 'master',
            'TunnelOptionsSpecification.2.EnableDpd': 'yes',
            'TunnelOptionsSpecification.2.TunnelIkeConfig.IkeLifetime': 'a day',
          },
        }),
      ).toEqual([
        'CreateVpnConnection: TunnelOptionsSpecification is an Array, to be sent as TunnelOptionsSpecification.N.<Field>',
        'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.1.TunnelIkeConfig',
        'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.1.Colour',
        'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.1.TunnelIkeConfig.Colour',
        'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.0.Role',
        'CreateVpnConnection: unknown parameter TunnelOptionsSpecification.x.Role',
        'CreateVpnConnection: TunnelOptionsSpecification.2.EnableDpd="yes" is not Boolean',
        'CreateVpnConnection: TunnelOptionsSpecification.2.TunnelIkeConfig.IkeLifetime="a day" is not Long',
      ]);
      // The element fields belong to that action's Array only.
      expect(
        conformanceProblems({
          action: 'DescribeVpnConnections',
          params: { RegionId: 'cn-hangzhou', 'TunnelOptionsSpecification.1.Role': 'master' },
        }),
      ).toEqual(['DescribeVpnConnections: unknown parameter TunnelOptionsSpecification.1.Role']);
    },
  );

  it.skipIf(!specsPresent)(
    'passes every request of the connection and delete actions as pop-core sends them (skipped: ../shared/specs/aliyun-vpc is absent)',
    async () => {
      const own = await startTestSimulator({ ...KEY, provisionTimeMs: 0, deleteTimeMs: 0 });
      try {
        const call = <T = Record<string, string>>(action: string, params: PopParams) =>
          popClient(own, KEY).call<T>(action, { RegionId: 'cn-hangzhou', ...params });
        const { VSwitches } = await call<{ VSwitches: { VSwitch: { VSwitchId: string; VpcId: string }[] } }>(
          'DescribeVSwitches',
          {},
        );
        const [first, second] = VSwitches.VSwitch.filter((v) => v.VpcId === VSwitches.VSwitch[0]?.VpcId);
        const gw = await call('CreateVpnGateway', {
          VpcId: first?.VpcId as string,
          VSwitchId: first?.VSwitchId as string,
          DisasterRecoveryVSwitchId: second?.VSwitchId as string,
          Bandwidth: 10,
        });
        const cgw = await call('CreateCustomerGateway', { IpAddress: '47.80.0.1' });
        const { VpnConnectionId } = await call('CreateVpnConnection', {
          VpnGatewayId: gw.VpnGatewayId as string,
          LocalSubnet: '172.16.0.0/12',
          RemoteSubnet: '10.0.0.0/8',
          Name: 'conformance',
          EffectImmediately: true,
          AutoConfigRoute: true,
          EnableTunnelsBgp: false,
          ClientToken: 'conf-vco',
          Tags: [{ Key: 'team', Value: 'net' }],
          TunnelOptionsSpecification: ['master', 'slave'].map((Role) => ({
            CustomerGatewayId: cgw.CustomerGatewayId as string,
            Role,
            EnableDpd: 'true',
            EnableNatTraversal: 'false',
            'TunnelIkeConfig.IkeVersion': 'ikev2',
            'TunnelIkeConfig.IkeMode': 'main',
            'TunnelIkeConfig.IkeEncAlg': 'aes256',
            'TunnelIkeConfig.IkeAuthAlg': 'sha256',
            'TunnelIkeConfig.IkePfs': 'group14',
            'TunnelIkeConfig.IkeLifetime': '28800',
            'TunnelIpsecConfig.IpsecEncAlg': 'aes256',
            'TunnelIpsecConfig.IpsecAuthAlg': 'sha256',
            'TunnelIpsecConfig.IpsecPfs': 'group14',
            'TunnelIpsecConfig.IpsecLifetime': '3600',
          })),
        });
        await call('DescribeVpnConnection', { VpnConnectionId: VpnConnectionId as string });
        await call('DownloadVpnConnectionConfig', { VpnConnectionId: VpnConnectionId as string });
        await call('DescribeVpnConnections', {
          VpnGatewayId: gw.VpnGatewayId as string,
          CustomerGatewayId: cgw.CustomerGatewayId as string,
          VpnConnectionId: VpnConnectionId as string,
          Tag: [{ Key: 'team', Value: 'net' }],
          PageNumber: 1,
          PageSize: 50,
        });
        await call('DeleteVpnConnection', {
          VpnConnectionId: VpnConnectionId as string,
          ClientToken: 'conf-del-1',
        });
        await call('DeleteCustomerGateway', {
          CustomerGatewayId: cgw.CustomerGatewayId as string,
          ClientToken: 'conf-del-2',
        });
        await call('DeleteVpnGateway', {
          VpnGatewayId: gw.VpnGatewayId as string,
          ClientToken: 'conf-del-3',
        });
        expect(Object.keys(own.state().calls).sort()).toEqual([
          'CreateCustomerGateway',
          'CreateVpnConnection',
          'CreateVpnGateway',
          'DeleteCustomerGateway',
          'DeleteVpnConnection',
          'DeleteVpnGateway',
          'DescribeVSwitches',
          'DescribeVpnConnection',
          'DescribeVpnConnections',
          'DownloadVpnConnectionConfig',
        ]);
        expect(own.conformanceViolations()).toEqual([]);
      } finally {
        await own.close();
      }
    },
  );
});
