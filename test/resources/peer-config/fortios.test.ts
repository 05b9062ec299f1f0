/**
 * FortiOS, held to examples written from Fortinet's own pages:
 * - FortiOS CLI reference, `vpn ipsec {phase1-interface | phase1}` (interface-mode phase 1:
 *   interface, ike-version, mode, peertype, proposal as encryption-integrity pairs, dhgrp, keylife,
 *   remote-gw, localid, dpd, psksecret, comments):
 *   https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/791036
 * - The CLI reference of `config phase2-interface` (phase1name, proposal, pfs, dhgrp, keylifeseconds,
 *   src-subnet, dst-subnet):
 *   https://docs.fortinet.com/document/fortiextender/7.4.0/cli-reference/898250
 * - Cookbook, "IPsec VPN authenticating a remote FortiGate peer with a pre-shared key" (a site to
 *   site tunnel with local and remote subnets and the routes through the tunnel interface):
 *   https://docs.fortinet.com/document/fortigate/6.2.0/cookbook/913287
 * - CLI syntax: quotes come in pairs, a backslash escapes:
 *   https://docs.fortinet.com/document/fortimanager/7.2.7/cli-reference/807765
 */
import { describe, expect, it } from 'vitest';
import { PeerConfigError, renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { expectBlock, linesOf } from './blocks.js';
import { AWKWARD_KEY, dualTunnel, singleTunnel, withTunnels } from './configs.js';

const render = (config: Parameters<typeof renderPeerConfig>[1]) => renderPeerConfig('fortios', config, 'en');

describe('FortiOS, static routing', () => {
  it('IKEv1, one tunnel: phase 1, a phase 2 per pair of networks, a route per VPC network', () => {
    const text = render(singleTunnel());
    expectBlock(text, [
      'config vpn ipsec phase1-interface',
      '    edit "ali-000002-1"',
      '        set interface "wan1"',
      '        set ike-version 1',
      '        set mode main',
      '        set peertype any',
      '        set net-device disable',
      '        set proposal aes256-sha256',
      '        set dhgrp 14',
      '        set keylife 86400',
      '        set remote-gw 203.0.113.1',
      '        set dpd on-idle',
      '        set comments "Alibaba Cloud vco-0000000000000002 tunnel 1"',
      '        set psksecret "Key1of2_abcdefgh"',
      '    next',
      'end',
    ]);
    expectBlock(text, [
      '    edit "ali-000002-1-2"',
      '        set phase1name "ali-000002-1"',
      '        set proposal aes128-sha1',
      '        set pfs enable',
      '        set dhgrp 2',
      '        set keylifeseconds 3600',
      '        set src-subnet 192.168.30.0 255.255.255.0',
      '        set dst-subnet 10.30.0.0 255.255.0.0',
      '        set auto-negotiate enable',
      '    next',
    ]);
    expectBlock(text, [
      'config router static',
      '    edit 0',
      '        set dst 10.20.0.0 255.255.0.0',
      '        set device "ali-000002-1"',
      '        set distance 10',
      '    next',
    ]);
    expect(text).not.toContain('config router bgp');
  });

  it('IKEv2, both tunnels: the master route preferred, no PFS where Alibaba has none', () => {
    const config = withTunnels(dualTunnel({ bgp: false }), (t) => ({
      ...t,
      ipsec: { ...t.ipsec, pfs: 'disabled' },
    }));
    const text = render(config);
    expect(text).toContain('        set ike-version 2');
    expect(text).not.toContain('        set mode main');
    expect(text).toContain('        set pfs disable');
    expectBlock(text, [
      '        set dst 10.10.0.0 255.255.0.0',
      '        set device "ali-000001-2"',
      '        set distance 20',
    ]);
  });
});

describe('FortiOS with BGP', () => {
  it('both tunnels: all-traffic selectors, the inside addresses and the neighbours', () => {
    const text = render(dualTunnel({ bgp: true }));
    expectBlock(text, ['        set src-subnet 0.0.0.0 0.0.0.0', '        set dst-subnet 0.0.0.0 0.0.0.0']);
    expectBlock(text, [
      'config system interface',
      '    edit "ali-000001-1"',
      '        set ip 169.254.11.2 255.255.255.255',
      '        set remote-ip 169.254.11.1 255.255.255.252',
    ]);
    expectBlock(text, [
      'config router bgp',
      '    set as 65010',
      '    config neighbor',
      '        edit "169.254.11.1"',
      '            set remote-as 45104',
      '        next',
      '        edit "169.254.12.1"',
      '            set remote-as 45104',
      '        next',
      '    end',
      '    config network',
      '        edit 1',
      '            set prefix 192.168.10.0 255.255.255.0',
    ]);
    expect(text).not.toContain('config router static');
  });
});

describe('FortiOS strings and limits', () => {
  it('quotes the key with its quotes and backslashes escaped', () => {
    const text = render(singleTunnel({ psk: AWKWARD_KEY }));
    expect(text).toContain(`        set psksecret "~!\`@#$%^&*()_-+={}[]|;:',.<>/?\\"\\\\k"`);
    expect(text).toMatch(/^# A key holds "\?"/m);
  });

  it('keeps a name inside its quoted comment', () => {
    const text = render({ ...singleTunnel(), name: 'a" \nset psksecret "x' });
    expect(linesOf(text).filter((l) => l.trimStart().startsWith('set psksecret'))).toEqual([
      '        set psksecret "Key1of2_abcdefgh"',
    ]);
    expect(text).toContain(
      '        set comments "Alibaba Cloud vco-0000000000000002 tunnel 1: a\\" [U+000A]set psksecret \\"x"',
    );
  });

  it('refuses DH group 24, which FortiOS does not offer', () => {
    const config = withTunnels(singleTunnel(), (t) => ({ ...t, ipsec: { ...t.ipsec, pfs: 'group24' } }));
    expect(() => render(config)).toThrow(PeerConfigError);
  });
});
