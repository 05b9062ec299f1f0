/**
 * readPeerConfig: the device's configuration from DownloadVpnConnectionConfig (written from the
 * device's side) and DescribeVpnConnection (names, roles, BGP from Alibaba's side, turned round).
 */
import { describe, expect, it } from 'vitest';
import { readPeerConfig } from '../../../src/resources/peer-config/read.js';

const ike = (psk: string, local: string, remote: string) => ({
  IkeVersion: 'ikev2',
  IkeMode: 'main',
  IkeEncAlg: 'aes256',
  IkeAuthAlg: 'sha256',
  IkePfs: 'group14',
  IkeLifetime: 28_800,
  LocalId: local,
  RemoteId: remote,
  Psk: psk,
});
const ipsec = { IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'disabled', IpsecLifetime: 3600 };

describe('readPeerConfig', () => {
  it('reads a dual-tunnel connection master first, with each tunnel’s BGP from the device’s side', () => {
    const config = readPeerConfig(
      {
        DownloadVpnConnectionConfig: {
          VpnConnectionConfig: {
            LocalSubnet: '10.1.0.0/16,10.2.0.0/16',
            RemoteSubnet: '192.168.0.0/16',
            TunnelsConfig: {
              TunnelConfig: [
                {
                  TunnelId: 'tun-b',
                  Local: '47.0.0.2',
                  Remote: '8.0.0.2',
                  IkeConfig: ike('k2', '47.0.0.2', '8.0.0.2'),
                  IpsecConfig: ipsec,
                },
                {
                  TunnelId: 'tun-a',
                  Local: '47.0.0.1',
                  Remote: '8.0.0.1',
                  IkeConfig: ike('k1', '47.0.0.1', '8.0.0.1'),
                  IpsecConfig: ipsec,
                },
              ],
            },
          },
        },
        DescribeVpnConnection: {
          Name: 'office',
          EnableTunnelsBgp: true,
          TunnelOptionsSpecification: {
            TunnelOptions: [
              {
                TunnelId: 'tun-a',
                Role: 'master',
                TunnelBgpConfig: {
                  TunnelCidr: '169.254.10.0/30',
                  LocalBgpIp: '169.254.10.1',
                  LocalAsn: '45104',
                  PeerAsn: '65001',
                  PeerBgpIp: '169.254.10.2',
                },
              },
              {
                TunnelId: 'tun-b',
                Role: 'slave',
                TunnelBgpConfig: {
                  TunnelCidr: '169.254.11.0/30',
                  LocalBgpIp: '169.254.11.2',
                  LocalAsn: '45104',
                },
              },
            ],
          },
        },
      },
      'vco-1',
    );
    expect(config).toMatchObject({
      connectionId: 'vco-1',
      name: 'office',
      localSubnets: ['10.1.0.0/16', '10.2.0.0/16'],
      remoteSubnets: ['192.168.0.0/16'],
    });
    expect(config.tunnels.map((t) => [t.index, t.tunnelId, t.role, t.local, t.remote, t.ike.psk])).toEqual([
      [1, 'tun-a', 'master', '47.0.0.1', '8.0.0.1', 'k1'],
      [2, 'tun-b', 'slave', '47.0.0.2', '8.0.0.2', 'k2'],
    ]);
    expect(config.tunnels[0]?.ike).toEqual({
      version: 'ikev2',
      mode: 'main',
      encAlg: 'aes256',
      authAlg: 'sha256',
      dhGroup: 'group14',
      lifetimeSeconds: 28_800,
      localId: '47.0.0.1',
      remoteId: '8.0.0.1',
      psk: 'k1',
    });
    expect(config.tunnels[0]?.ipsec).toEqual({
      encAlg: 'aes',
      authAlg: 'sha1',
      pfs: 'disabled',
      lifetimeSeconds: 3600,
    });
    expect(config.tunnels.map((t) => t.bgp)).toEqual([
      {
        localAsn: '65001',
        peerAsn: '45104',
        tunnelCidr: '169.254.10.0/30',
        localIp: '169.254.10.2',
        peerIp: '169.254.10.1',
      },
      // No PeerBgpIp given: the /30's other usable address.
      {
        localAsn: '',
        peerAsn: '45104',
        tunnelCidr: '169.254.11.0/30',
        localIp: '169.254.11.1',
        peerIp: '169.254.11.2',
      },
    ]);
  });

  it('reads a single-tunnel connection from the top of the answer, without BGP unless it is on', () => {
    const download = {
      VpnConnectionConfig: {
        LocalSubnet: '10.1.0.0/16',
        RemoteSubnet: '192.168.0.0/16',
        Local: '47.0.0.1',
        Remote: '8.0.0.1',
        IkeConfig: ike('k1', '47.0.0.1', '8.0.0.1'),
        IpsecConfig: ipsec,
      },
    };
    const off = readPeerConfig(
      {
        DownloadVpnConnectionConfig: download,
        DescribeVpnConnection: { VpnBgpConfig: { EnableBgp: 'false' } },
      },
      'vco-2',
    );
    expect(off.tunnels).toHaveLength(1);
    expect(off.tunnels[0]).toMatchObject({
      index: 1,
      local: '47.0.0.1',
      remote: '8.0.0.1',
      ike: { psk: 'k1' },
    });
    expect(off.tunnels[0]?.bgp).toBeUndefined();
    expect(off.tunnels[0]?.tunnelId).toBeUndefined();
    const on = readPeerConfig(
      {
        DownloadVpnConnectionConfig: download,
        DescribeVpnConnection: {
          VpnBgpConfig: {
            EnableBgp: 'true',
            TunnelCidr: '169.254.20.0/30',
            LocalBgpIp: '169.254.20.1',
            LocalAsn: '45104',
            PeerAsn: '65010',
          },
        },
      },
      'vco-2',
    );
    expect(on.tunnels[0]?.bgp).toEqual({
      localAsn: '65010',
      peerAsn: '45104',
      tunnelCidr: '169.254.20.0/30',
      localIp: '169.254.20.2',
      peerIp: '169.254.20.1',
    });
  });
});
