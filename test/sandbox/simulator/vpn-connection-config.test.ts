/**
 * DownloadVpnConnectionConfig in the simulator, through the unmodified pop-core client: the
 * on-premises device's configuration from the device's point of view (its own address is `Local`,
 * the VPN gateway's tunnel address `Remote`, the office networks `LocalSubnet`), one entry per
 * tunnel of a dual-tunnel connection with its own key, and Alibaba's error for an unknown
 * connection. Every request is checked against the official metadata.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/simulator/index.js';
import { DUAL_REGION, SINGLE_REGION, tunnels, useSimulatedAccount } from './account.js';
import { popFailure } from './helpers.js';

const KEY = { accessKeyId: 'peer-key', accessKeySecret: 'peer-secret' };
const clock = new ManualClock(Date.UTC(2025, 2, 1, 9, 0, 0));
const s = useSimulatedAccount(KEY, clock, { provisionTimeMs: 10_000 });

interface Side {
  Local: string;
  Remote: string;
  IkeConfig: Record<string, string | number>;
  IpsecConfig: Record<string, string | number>;
}
interface Config extends Partial<Side> {
  LocalSubnet: string;
  RemoteSubnet: string;
  TunnelsConfig?: { TunnelConfig: (Side & { TunnelId: string })[] };
}

const download = (regionId: string, id: string) =>
  s.acct.call<{ VpnConnectionConfig: Config; RequestId: string }>('DownloadVpnConnectionConfig', {
    RegionId: regionId,
    VpnConnectionId: id,
  });
const stored = (id: string) => s.sim.state().vpnConnections.find((c) => c.VpnConnectionId === id);

describe('DownloadVpnConnectionConfig', () => {
  it('answers a dual-tunnel connection per tunnel, from the device’s side, each with its own key', async () => {
    const gw = await s.acct.vpnGateway(DUAL_REGION);
    const one = await s.acct.customerGateway('47.61.0.1', DUAL_REGION);
    const two = await s.acct.customerGateway('47.61.0.2', DUAL_REGION);
    const { VpnConnectionId } = await s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: DUAL_REGION,
      VpnGatewayId: gw.VpnGatewayId,
      LocalSubnet: '172.17.0.0/16',
      RemoteSubnet: '10.10.0.0/16,10.11.0.0/16',
      TunnelOptionsSpecification: tunnels(one, two, [
        { 'TunnelIkeConfig.IkeVersion': 'ikev2', 'TunnelIpsecConfig.IpsecPfs': 'group14' },
        {},
      ]),
    });
    const answer = await download(DUAL_REGION, VpnConnectionId);
    expect(answer.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    const config = answer.VpnConnectionConfig;
    const kept = stored(VpnConnectionId)?.tunnels ?? [];
    expect(config).toEqual({
      LocalSubnet: '10.10.0.0/16,10.11.0.0/16',
      RemoteSubnet: '172.17.0.0/16',
      TunnelsConfig: {
        TunnelConfig: [
          {
            TunnelId: kept[0]?.TunnelId,
            Local: '47.61.0.1',
            Remote: gw.InternetIp,
            IkeConfig: {
              IkeVersion: 'ikev2',
              IkeMode: 'main',
              IkeEncAlg: 'aes',
              IkeAuthAlg: 'md5',
              IkePfs: 'group2',
              IkeLifetime: 86_400,
              LocalId: '47.61.0.1',
              RemoteId: gw.InternetIp,
              Psk: kept[0]?.ike.Psk,
            },
            IpsecConfig: {
              IpsecEncAlg: 'aes',
              IpsecAuthAlg: 'md5',
              IpsecPfs: 'group14',
              IpsecLifetime: 86_400,
            },
          },
          expect.objectContaining({
            TunnelId: kept[1]?.TunnelId,
            Local: '47.61.0.2',
            Remote: gw.DisasterRecoveryInternetIp,
            IkeConfig: expect.objectContaining({
              IkeVersion: 'ikev1',
              LocalId: '47.61.0.2',
              RemoteId: gw.DisasterRecoveryInternetIp,
              Psk: kept[1]?.ike.Psk,
            }),
          }),
        ],
      },
    });
    expect(kept[0]?.ike.Psk).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(kept[0]?.ike.Psk).not.toBe(kept[1]?.ike.Psk);
    expect(gw.InternetIp).not.toBe(gw.DisasterRecoveryInternetIp);
  });

  it('answers a single-tunnel connection at the top, and refuses an unknown connection as Alibaba does', async () => {
    const gw = await s.acct.vpnGateway(SINGLE_REGION);
    const cgw = await s.acct.customerGateway('47.61.1.1', SINGLE_REGION);
    const { VpnConnectionId } = await s.acct.call<{ VpnConnectionId: string }>('CreateVpnConnection', {
      RegionId: SINGLE_REGION,
      VpnGatewayId: gw.VpnGatewayId,
      CustomerGatewayId: cgw,
      LocalSubnet: '172.18.0.0/16',
      RemoteSubnet: '10.20.0.0/16',
    });
    const { VpnConnectionConfig: config } = await download(SINGLE_REGION, VpnConnectionId);
    expect(config).toMatchObject({
      LocalSubnet: '10.20.0.0/16',
      RemoteSubnet: '172.18.0.0/16',
      Local: '47.61.1.1',
      Remote: gw.InternetIp,
      IkeConfig: {
        LocalId: '47.61.1.1',
        RemoteId: gw.InternetIp,
        Psk: stored(VpnConnectionId)?.tunnels[0]?.ike.Psk,
      },
      IpsecConfig: { IpsecPfs: 'group2', IpsecLifetime: 86_400 },
    });
    expect(config.TunnelsConfig).toBeUndefined();

    // In another region, or not at all: the connection's NotFound, 404.
    for (const [regionId, id] of [
      [DUAL_REGION, VpnConnectionId],
      [SINGLE_REGION, 'vco-0doesnotexist000000'],
    ] as const) {
      const err = await popFailure(download(regionId, id));
      expect([err.code, err.status]).toEqual(['InvalidVpnConnectionInstanceId.NotFound', 404]);
    }
  });
});
