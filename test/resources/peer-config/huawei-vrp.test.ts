/**
 * Huawei VRP, held to examples written from Huawei's own pages (AR routers, V200R010):
 * - CLI-based Configuration Guide - VPN, "Configuring an IPSec Proposal" (`ipsec proposal`, `esp
 *   authentication-algorithm sha2-256`, `esp encryption-algorithm aes-128`…):
 *   https://support.huawei.com/enterprise/en/doc/EDOC1100033725/317bfba8/configuring-an-ipsec-proposal
 * - Command Reference, `ike proposal` (encryption-algorithm, authentication-algorithm, IKEv2
 *   integrity-algorithm and prf, authentication-method pre-share, dh, sa duration):
 *   https://support.huawei.com/enterprise/en/doc/EDOC1000097293/473b26bc/ike-proposal
 * - Command Reference, IPSec Configuration Commands (`ike peer`: version / undo version,
 *   exchange-mode, pre-shared-key cipher, ike-proposal, local-id-type, remote-address; `ipsec
 *   policy … isakmp`: security acl, ike-peer, proposal, pfs dh-group, sa duration time-based;
 *   `ipsec profile`; tunnel interface `tunnel-protocol ipsec` with `ipsec profile`):
 *   https://support.huawei.com/enterprise/en/doc/EDOC1100207804/bbfcca36/ipsec-configuration-commands
 */
import { describe, expect, it } from 'vitest';
import { PeerConfigError, renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { expectBlock, linesOf } from './blocks.js';
import { dualTunnel, singleTunnel, withTunnels } from './configs.js';

const render = (config: Parameters<typeof renderPeerConfig>[1]) =>
  renderPeerConfig('huawei_vrp', config, 'en');

describe('Huawei VRP, static routing (IPsec policies)', () => {
  it('IKEv1, one tunnel: proposal, peer in main mode, ACL, and a policy for the WAN interface', () => {
    const text = render(singleTunnel());
    expectBlock(text, [
      'ike proposal 11',
      ' encryption-algorithm aes-256',
      ' authentication-algorithm sha2-256',
      ' authentication-method pre-share',
      ' dh group14',
      ' sa duration 86400',
    ]);
    expectBlock(text, [
      'ike peer ali000002-t1',
      ' undo version 2',
      ' exchange-mode main',
      ' pre-shared-key cipher Key1of2_abcdefgh',
      ' ike-proposal 11',
      ' local-id-type ip',
      ' remote-id-type ip',
      ' remote-address 203.0.113.1',
    ]);
    expectBlock(text, [
      'ipsec proposal ali000002-t1',
      ' esp authentication-algorithm sha1',
      ' esp encryption-algorithm aes-128',
    ]);
    expectBlock(text, [
      'acl number 3100',
      ' rule 5 permit ip source 192.168.30.0 0.0.0.255 destination 10.20.0.0 0.0.255.255',
      ' rule 10 permit ip source 192.168.30.0 0.0.0.255 destination 10.30.0.0 0.0.255.255',
      '#',
      'ipsec policy ali000002 10 isakmp',
      ' security acl 3100',
      ' ike-peer ali000002-t1',
      ' proposal ali000002-t1',
      ' pfs dh-group2',
      ' sa duration time-based 3600',
    ]);
  });

  it('IKEv2, both tunnels: integrity and PRF in the proposals, a policy per tunnel, master first', () => {
    const text = render(dualTunnel({ bgp: false }));
    expectBlock(text, [
      'ike proposal 12',
      ' encryption-algorithm aes-256',
      ' integrity-algorithm hmac-sha2-256',
      ' prf hmac-sha2-256',
    ]);
    expectBlock(text, [
      'ike peer ali000001-t2',
      ' undo version 1',
      ' pre-shared-key cipher Key2of2_ijklmnop',
    ]);
    const policies = linesOf(text).filter((l) => l.startsWith('ipsec policy '));
    expect(policies).toEqual(['ipsec policy ali000001 10 isakmp', 'ipsec policy ali000001 20 isakmp']);
    expect(text).not.toContain('exchange-mode');
  });

  it('aggressive mode and named identities where Alibaba uses them', () => {
    const config = withTunnels(singleTunnel(), (t) => ({
      ...t,
      ike: { ...t.ike, mode: 'aggressive', localId: 'office.example.com', remoteId: 'vpn@example.com' },
    }));
    expectBlock(render(config), [
      ' exchange-mode aggressive',
      ' pre-shared-key cipher Key1of2_abcdefgh',
      ' ike-proposal 11',
      ' local-id-type fqdn',
      ' local-id office.example.com',
      ' remote-id-type user-fqdn',
      ' remote-id vpn@example.com',
    ]);
  });
});

describe('Huawei VRP with BGP (tunnel interfaces)', () => {
  it('both tunnels: an IPsec profile on each tunnel interface, and the BGP peers', () => {
    const text = render(dualTunnel({ bgp: true, version: 'ikev1' }));
    for (const n of [1, 2])
      expectBlock(text, [
        `ipsec profile ali000001-t${n}`,
        ` ike-peer ali000001-t${n}`,
        ` proposal ali000001-t${n}`,
        ' pfs dh-group2',
        ' sa duration time-based 3600',
        '#',
        `interface Tunnel0/0/${n}`,
        ` description Alibaba Cloud vco-0000000000000001 tunnel ${n}: Shanghai office`,
        ` ip address 169.254.1${n}.2 255.255.255.252`,
        ' tunnel-protocol ipsec',
        ' source 198.51.100.10',
        ` destination 203.0.113.${n}`,
        ` ipsec profile ali000001-t${n}`,
      ]);
    expectBlock(text, [
      'bgp 65010',
      ' peer 169.254.11.1 as-number 45104',
      ' peer 169.254.12.1 as-number 45104',
      ' ipv4-family unicast',
      '  network 192.168.10.0 255.255.255.0',
      '  network 192.168.20.0 255.255.255.0',
      '  peer 169.254.11.1 enable',
      '  peer 169.254.12.1 enable',
    ]);
    expect(text).not.toContain('acl number');
  });
});

describe('Huawei VRP limits', () => {
  it('refuses DH group 24, which its guide does not list', () => {
    const config = withTunnels(singleTunnel(), (t) => ({ ...t, ike: { ...t.ike, dhGroup: 'group24' } }));
    expect(() => render(config)).toThrow(PeerConfigError);
    expect(() => render(config)).toThrow(/tunnels\[1\]\.ike\.dhGroup/);
  });

  it('warns where a key holds "?" and keeps a name on its description line', () => {
    expect(render(singleTunnel({ psk: 'a?b' }))).toMatch(/^# A key holds "\?"/m);
    const text = render({ ...dualTunnel({ bgp: true }), name: 'x\nbgp 1\n peer 10.0.0.1 as-number 1' });
    expect(linesOf(text)).not.toContain('bgp 1');
    expect(linesOf(text)).not.toContain(' peer 10.0.0.1 as-number 1');
  });
});

describe('Huawei VRP typed text', () => {
  it('keeps a name on its description line, with "?" (help on the VRP command line) named', () => {
    const text = render({ ...dualTunnel({ bgp: true }), name: 'HQ?\ninterface Tunnel0/0/9' });
    expect(linesOf(text)).not.toContain('interface Tunnel0/0/9');
    expect(text).toContain(
      ' description Alibaba Cloud vco-0000000000000001 tunnel 1: HQ[U+003F][U+000A]interface Tunnel0/0/9',
    );
  });
});
