/**
 * Junos, held to examples written from Juniper's own pages:
 * - "Route-Based IPsec VPNs", Example: Configuring a Route-Based VPN (`set security ike proposal …
 *   authentication-method pre-shared-keys / dh-group / authentication-algorithm sha-256 /
 *   encryption-algorithm aes-…-cbc / lifetime-seconds`, `ike policy … proposals / pre-shared-key
 *   ascii-text`, `ike gateway … ike-policy / address / external-interface`, `ipsec proposal …
 *   protocol esp`, `ipsec policy … perfect-forward-secrecy keys`, `ipsec vpn … bind-interface st0.N /
 *   ike gateway / ike ipsec-policy / establish-tunnels immediately`, `interfaces st0 unit N family
 *   inet address`):
 *   https://www.juniper.net/documentation/en_US/junos/topics/topic-map/security-route-based-ipsec-vpns.html
 * - `[edit security ike]` hierarchy (mode main|aggressive, pre-shared-key ascii-text):
 *   https://juniper.net/documentation/en_US/junos12.3/topics/reference/statement-hierarchy/security-hierarchy-ike-l2.html
 */
import { describe, expect, it } from 'vitest';
import { PeerConfigError, renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { expectBlock, linesOf } from './blocks.js';
import { AWKWARD_KEY, dualTunnel, singleTunnel, withTunnels } from './configs.js';

const render = (config: Parameters<typeof renderPeerConfig>[1]) => renderPeerConfig('junos', config, 'en');

describe('Junos, static routing (traffic selectors)', () => {
  it('IKEv1, one tunnel: IKE and IPsec, the VPN bound to st0.1 with a selector per pair', () => {
    const text = render(singleTunnel());
    expectBlock(text, [
      'set security ike proposal alibaba-000002-1 authentication-method pre-shared-keys',
      'set security ike proposal alibaba-000002-1 dh-group group14',
      'set security ike proposal alibaba-000002-1 authentication-algorithm sha-256',
      'set security ike proposal alibaba-000002-1 encryption-algorithm aes-256-cbc',
      'set security ike proposal alibaba-000002-1 lifetime-seconds 86400',
      'set security ike policy alibaba-000002-1 mode main',
      'set security ike policy alibaba-000002-1 proposals alibaba-000002-1',
      'set security ike policy alibaba-000002-1 pre-shared-key ascii-text "Key1of2_abcdefgh"',
      'set security ike gateway alibaba-000002-1 ike-policy alibaba-000002-1',
      'set security ike gateway alibaba-000002-1 address 203.0.113.1',
      'set security ike gateway alibaba-000002-1 local-identity inet 198.51.100.10',
      'set security ike gateway alibaba-000002-1 remote-identity inet 203.0.113.1',
    ]);
    expect(text).toContain('set security ike gateway alibaba-000002-1 version v1-only');
    expectBlock(text, [
      'set security ipsec proposal alibaba-000002-1 protocol esp',
      'set security ipsec proposal alibaba-000002-1 authentication-algorithm hmac-sha1-96',
      'set security ipsec proposal alibaba-000002-1 encryption-algorithm aes-128-cbc',
      'set security ipsec proposal alibaba-000002-1 lifetime-seconds 3600',
      'set security ipsec policy alibaba-000002-1 perfect-forward-secrecy keys group2',
      'set security ipsec policy alibaba-000002-1 proposals alibaba-000002-1',
      'set security ipsec vpn alibaba-000002-1 bind-interface st0.1',
      'set security ipsec vpn alibaba-000002-1 ike gateway alibaba-000002-1',
      'set security ipsec vpn alibaba-000002-1 ike ipsec-policy alibaba-000002-1',
      'set security ipsec vpn alibaba-000002-1 traffic-selector ts1 local-ip 192.168.30.0/24 remote-ip 10.20.0.0/16',
      'set security ipsec vpn alibaba-000002-1 traffic-selector ts2 local-ip 192.168.30.0/24 remote-ip 10.30.0.0/16',
      'set security ipsec vpn alibaba-000002-1 establish-tunnels immediately',
    ]);
    expect(text).toContain('set interfaces st0 unit 1 family inet');
    expect(text).not.toContain('protocols bgp');
  });

  it('IKEv2, both tunnels: v2-only gateways, st0.1 and st0.2, no PFS line where it is disabled', () => {
    const config = withTunnels(dualTunnel({ bgp: false }), (t) => ({
      ...t,
      ipsec: { ...t.ipsec, pfs: 'disabled' },
    }));
    const text = render(config);
    expect(text).toContain('set security ike gateway alibaba-000001-2 version v2-only');
    expect(text).toContain('set security ipsec vpn alibaba-000001-2 bind-interface st0.2');
    expect(text).not.toContain('perfect-forward-secrecy');
    expect(text).not.toMatch(/ike policy \S+ mode/);
  });
});

describe('Junos with BGP', () => {
  it('both tunnels: inside addresses on st0 units, BGP neighbours and an export of the office networks', () => {
    const text = render(dualTunnel({ bgp: true }));
    expectBlock(text, [
      'set interfaces st0 unit 1 description "Alibaba Cloud vco-0000000000000001 tunnel 1: Shanghai office"',
      'set interfaces st0 unit 1 family inet address 169.254.11.2/30',
      'set interfaces st0 unit 2 description "Alibaba Cloud vco-0000000000000001 tunnel 2: Shanghai office"',
      'set interfaces st0 unit 2 family inet address 169.254.12.2/30',
      'set protocols bgp group alibaba type external',
      'set protocols bgp group alibaba local-as 65010',
      'set protocols bgp group alibaba neighbor 169.254.11.1 peer-as 45104',
      'set protocols bgp group alibaba neighbor 169.254.12.1 peer-as 45104',
    ]);
    expect(text).toContain(
      'set policy-options policy-statement alibaba-out term office from route-filter 192.168.10.0/24 exact',
    );
    expect(text).not.toContain('traffic-selector');
  });
});

describe('Junos strings and limits', () => {
  it('quotes the key and named identities, and keeps a name inside its description', () => {
    const config = withTunnels(
      { ...singleTunnel({ psk: AWKWARD_KEY }), name: 'x"\nset system root-authentication' },
      (t) => ({
        ...t,
        ike: { ...t.ike, remoteId: 'vpn@example.com' },
      }),
    );
    const text = render(config);
    expect(text).toContain(`pre-shared-key ascii-text "~!\`@#$%^&*()_-+={}[]|;:',.<>/?\\"\\\\k"`);
    expect(text).toContain('remote-identity user-at-hostname "vpn@example.com"');
    expect(linesOf(text).some((l) => l.startsWith('set system'))).toBe(false);
  });

  it('refuses SHA-512 for IKE, which the guide does not list', () => {
    const config = withTunnels(singleTunnel(), (t) => ({ ...t, ike: { ...t.ike, authAlg: 'sha512' } }));
    expect(() => render(config)).toThrow(PeerConfigError);
  });
});
