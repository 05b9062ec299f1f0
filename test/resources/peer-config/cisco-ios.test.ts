/**
 * Cisco IOS, held to examples written from Cisco's own pages:
 * - Cisco IOS Security Command Reference, `crypto isakmp policy` (encryption aes 256, hash sha256,
 *   authentication pre-share, group, lifetime), `crypto isakmp key … address`, `crypto isakmp peer`
 *   with `set aggressive-mode password` / `client-endpoint`, and `crypto map … ipsec-isakmp` (set
 *   peer, set transform-set, set pfs, set security-association lifetime seconds, match address):
 *   https://www.cisco.com/en/US/docs/ios/security/command/reference/sec_c4.html
 * - "Appendix: IKEv2 and Legacy VPNs", crypto-map IKEv2 peers with a pre-shared key (`crypto ikev2
 *   proposal` with encryption aes-cbc-128 / integrity sha1 / group 14, `crypto ikev2 policy`,
 *   `crypto ikev2 keyring` peer/address/pre-shared-key, `crypto ikev2 profile` with match identity
 *   remote, identity local, authentication local/remote pre-share, keyring; `set ikev2-profile`):
 *   https://www.cisco.com/en/US/docs/ios-xml/ios/sec_conn_ike2vpn/configuration/15-2mt/sec-apx-ikev2-legacy.html
 * - "Configure IKEv2 VRF aware SVTI" (a static VTI: `tunnel mode ipsec ipv4`, `tunnel protection
 *   ipsec profile`, a `crypto ipsec profile` with `set transform-set` and `set ikev2-profile`):
 *   https://www.cisco.com/c/en/us/support/docs/security-vpn/ipsec-architecture-implementation/214938-configuring-ikev2-vrf-aware-svti.html
 */
import { describe, expect, it } from 'vitest';
import { renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { expectBlock, linesOf } from './blocks.js';
import { dualTunnel, singleTunnel, withTunnels } from './configs.js';

const render = (config: Parameters<typeof renderPeerConfig>[1]) =>
  renderPeerConfig('cisco_ios', config, 'en');

describe('Cisco IOS, static routing (crypto map)', () => {
  it('IKEv1, one tunnel: an ISAKMP policy, the key for the peer, an ACL pair per pair of networks', () => {
    const text = render(singleTunnel());
    expectBlock(text, [
      'crypto isakmp policy 10',
      ' encryption aes 256',
      ' hash sha256',
      ' authentication pre-share',
      ' group 14',
      ' lifetime 86400',
      'crypto isakmp key 0 Key1of2_abcdefgh address 203.0.113.1',
    ]);
    expectBlock(text, ['crypto ipsec transform-set ALI-000002-T1 esp-aes esp-sha-hmac', ' mode tunnel']);
    expectBlock(text, [
      'ip access-list extended ALI-000002',
      ' permit ip 192.168.30.0 0.0.0.255 10.20.0.0 0.0.255.255',
      ' permit ip 192.168.30.0 0.0.0.255 10.30.0.0 0.0.255.255',
      'crypto map ALI-000002 10 ipsec-isakmp',
      ' set peer 203.0.113.1',
      ' set transform-set ALI-000002-T1',
      ' set pfs group2',
      ' set security-association lifetime seconds 3600',
      ' match address ALI-000002',
    ]);
    expect(text).not.toContain('crypto ikev2');
    expect(text).not.toMatch(/^interface Tunnel/m);
  });

  it('IKEv1, both tunnels: both peers in the map, master first, a key for each', () => {
    const text = render(dualTunnel({ bgp: false, version: 'ikev1' }));
    expect(text).toContain('crypto isakmp key 0 Key1of2_abcdefgh address 203.0.113.1');
    expect(text).toContain('crypto isakmp key 0 Key2of2_ijklmnop address 203.0.113.2');
    expectBlock(text, [
      ' set peer 203.0.113.1',
      ' set peer 203.0.113.2',
      ' set transform-set ALI-000001-T1 ALI-000001-T2',
    ]);
    expect(text).toContain(' description Shanghai office');
  });

  it('IKEv1 aggressive mode: the key is given to the peer with its identity', () => {
    const text = render(
      withTunnels(singleTunnel(), (t) => ({ ...t, ike: { ...t.ike, mode: 'aggressive' } })),
    );
    expectBlock(text, [
      'crypto isakmp peer address 203.0.113.1',
      ' set aggressive-mode password Key1of2_abcdefgh',
      ' set aggressive-mode client-endpoint ipv4-address 198.51.100.10',
    ]);
    expect(text).not.toContain('crypto isakmp key');
  });

  it('IKEv2, one tunnel: proposal, policy, keyring and profile, the profile on the map', () => {
    const text = render(singleTunnel({ version: 'ikev2' }));
    expectBlock(text, [
      'crypto ikev2 proposal ALI-000002-T1',
      ' encryption aes-cbc-256',
      ' integrity sha256',
      ' group 14',
      'crypto ikev2 policy ALI-000002',
      ' match address local 198.51.100.10',
      ' proposal ALI-000002-T1',
      'crypto ikev2 keyring ALI-000002',
      ' peer tunnel1',
      '  address 203.0.113.1',
      '  pre-shared-key 0 Key1of2_abcdefgh',
      'crypto ikev2 profile ALI-000002',
      ' match identity remote address 203.0.113.1 255.255.255.255',
      ' identity local address 198.51.100.10',
      ' authentication remote pre-share',
      ' authentication local pre-share',
      ' keyring local ALI-000002',
      ' lifetime 86400',
    ]);
    expect(text).toContain(' set ikev2-profile ALI-000002');
    expect(text).not.toContain('crypto isakmp');
  });
});

describe('Cisco IOS with BGP (a VTI per tunnel)', () => {
  it('IKEv2, both tunnels: an IPsec profile and a tunnel interface each, and the neighbours', () => {
    const text = render(dualTunnel({ bgp: true }));
    for (const n of [1, 2]) {
      expectBlock(text, [
        `crypto ipsec profile ALI-000001-T${n}`,
        ` set transform-set ALI-000001-T${n}`,
        ' set pfs group2',
        ' set security-association lifetime seconds 3600',
        ' set ikev2-profile ALI-000001',
        `interface Tunnel${n}`,
        ` description Alibaba Cloud vco-0000000000000001 tunnel ${n}: Shanghai office`,
        ` ip address 169.254.1${n}.2 255.255.255.252`,
        ' tunnel source 198.51.100.10',
        ' tunnel mode ipsec ipv4',
        ` tunnel destination 203.0.113.${n}`,
        ` tunnel protection ipsec profile ALI-000001-T${n}`,
      ]);
    }
    expectBlock(text, [
      'router bgp 65010',
      ' neighbor 169.254.11.1 remote-as 45104',
      ' neighbor 169.254.12.1 remote-as 45104',
      ' address-family ipv4',
      '  network 192.168.10.0 mask 255.255.255.0',
      '  network 192.168.20.0 mask 255.255.255.0',
      '  neighbor 169.254.11.1 activate',
      '  neighbor 169.254.12.1 activate',
      ' exit-address-family',
    ]);
    expect(text).not.toContain('crypto map');
  });

  it('IKEv1 over VTIs: ISAKMP policies and keys, no IKEv2 profile', () => {
    const text = render(dualTunnel({ bgp: true, version: 'ikev1' }));
    expect(text).toContain('crypto isakmp policy 20');
    expect(text).toContain('crypto isakmp key 0 Key2of2_ijklmnop address 203.0.113.2');
    expect(text).toContain(' tunnel protection ipsec profile ALI-000001-T2');
    expect(text).not.toContain('ikev2');
  });

  it('does not advertise a default route the office side does not own', () => {
    const config = {
      ...dualTunnel({ bgp: true }),
      localSubnets: ['0.0.0.0/0'],
      remoteSubnets: ['0.0.0.0/0'],
    };
    expect(render(config)).not.toMatch(/network 0\.0\.0\.0/);
  });
});

describe('Cisco IOS typed text and keys', () => {
  it('keeps a name on its description line, with "?" named', () => {
    const text = render({ ...dualTunnel({ bgp: true }), name: 'HQ?\ninterface Tunnel9\n shutdown' });
    const lines = linesOf(text);
    expect(lines).not.toContain('interface Tunnel9');
    expect(lines).not.toContain(' shutdown');
    expect(text).toContain(
      ' description Alibaba Cloud vco-0000000000000001 tunnel 1: HQ[U+003F][U+000A]interface Tunnel9[U+000A] shutdown',
    );
  });

  it('warns where a key holds "?", which the command line takes for help', () => {
    expect(render(singleTunnel({ psk: 'abc?def' }))).toMatch(/^! A key holds "\?"/m);
    expect(render(singleTunnel())).not.toMatch(/^! A key holds/m);
  });
});
