/**
 * The swanctl.conf format, held to what strongSwan documents:
 * - docs.strongswan.org/docs/latest/swanctl/swanctlConf.html (connections.<conn>: version,
 *   local_addrs, remote_addrs, proposals, aggressive, rekey_time, over_time, dpd_delay, local/remote
 *   auth and id; children.<child>: local_ts, remote_ts, esp_proposals, life_time, rekey_time,
 *   dpd_action, start_action, if_id_in/if_id_out; secrets.ike<suffix>: id<suffix>, secret, with
 *   `0x` read as hex and `0s` as Base64);
 * - docs.strongswan.org/docs/5.9/config/IKEv2CipherSuites.html (keywords: aes128/aes192/aes256,
 *   3des, des; md5, sha1, sha256, sha384, sha512; modp768 group 1, modp1024 group 2, modp1536
 *   group 5, modp2048 group 14, modp2048s256 group 24; an ESP proposal with a DH group means PFS);
 * - docs.strongswan.org/docs/5.9/features/routeBasedVpn.html (XFRM interfaces: `if_id_in`/
 *   `if_id_out` on the child, traffic selectors 0.0.0.0/0, `ip link add … type xfrm … if_id N`).
 * The file is read back with a reader written from strongSwan's settings lexer (swanctl-reader.ts).
 * strongswan-load.test.ts has strongSwan itself load these files.
 */
import { describe, expect, it } from 'vitest';
import { PeerConfigError, renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { AWKWARD_KEY, dualTunnel, singleTunnel, withTunnels } from './configs.js';
import { readSwanctl, type Section, sectionAt } from './swanctl-reader.js';

const render = (config: Parameters<typeof renderPeerConfig>[1]) =>
  readSwanctl(renderPeerConfig('strongswan', config, 'en'));

describe('strongSwan: a dual-tunnel connection with BGP (IKEv2)', () => {
  const text = renderPeerConfig('strongswan', dualTunnel({ bgp: true }), 'en');
  const conf = readSwanctl(text);
  const conn = (n: number) => sectionAt(conf, `connections.alibaba-vco-0000000000000001-tunnel${n}`);

  it('has one connection per tunnel, each to its own Alibaba address', () => {
    expect(Object.keys(sectionAt(conf, 'connections'))).toEqual([
      'alibaba-vco-0000000000000001-tunnel1',
      'alibaba-vco-0000000000000001-tunnel2',
    ]);
    expect(conn(1)).toMatchObject({
      version: '2',
      local_addrs: '198.51.100.10',
      remote_addrs: '203.0.113.1',
    });
    expect(conn(2)).toMatchObject({ remote_addrs: '203.0.113.2' });
  });

  it("translates Alibaba's algorithm names into strongSwan's proposals, with PFS", () => {
    expect(conn(1).proposals).toBe('aes256-sha256-modp2048');
    const child = sectionAt(conn(1), 'children.alibaba-vco-0000000000000001-tunnel1');
    expect(child.esp_proposals).toBe('aes128-sha1-modp1024');
  });

  it('is route-based: all traffic, through the XFRM interface of each tunnel', () => {
    for (const n of [1, 2]) {
      const child = sectionAt(conn(n), `children.alibaba-vco-0000000000000001-tunnel${n}`);
      expect(child).toMatchObject({
        local_ts: '0.0.0.0/0',
        remote_ts: '0.0.0.0/0',
        if_id_in: String(n),
        if_id_out: String(n),
      });
    }
  });

  it('names the interface and the BGP neighbour of each tunnel for the host and its routing daemon', () => {
    expect(text).toContain('#   ip link add ipsec1 type xfrm dev eth0 if_id 1');
    expect(text).toContain('#   ip address add 169.254.11.2/30 dev ipsec1');
    expect(text).toContain('#   ip address add 169.254.12.2/30 dev ipsec2');
    expect(text).toContain(
      "#   neighbour 169.254.11.1, its AS 45104; this device's AS 65010, source 169.254.11.2",
    );
    expect(text).toContain(
      "#   neighbour 169.254.12.1, its AS 45104; this device's AS 65010, source 169.254.12.2",
    );
  });

  it('keeps every SA within the lifetimes Alibaba uses, and restarts a dead tunnel', () => {
    expect(conn(1)).toMatchObject({ rekey_time: '77760s', over_time: '8640s', dpd_delay: '30s' });
    const child = sectionAt(conn(1), 'children.alibaba-vco-0000000000000001-tunnel1');
    expect(child).toMatchObject({
      life_time: '3600s',
      rekey_time: '3240s',
      dpd_action: 'restart',
      start_action: 'start',
    });
  });

  it('authenticates both ends with a pre-shared key, one secret per tunnel', () => {
    expect(sectionAt(conn(2), 'local')).toEqual({ auth: 'psk', id: '198.51.100.10' });
    expect(sectionAt(conn(2), 'remote')).toEqual({ auth: 'psk', id: '203.0.113.2' });
    expect(sectionAt(conf, 'secrets')).toEqual({
      'ike-tunnel1': { 'id-local': '198.51.100.10', 'id-remote': '203.0.113.1', secret: 'Key1of2_abcdefgh' },
      'ike-tunnel2': { 'id-local': '198.51.100.10', 'id-remote': '203.0.113.2', secret: 'Key2of2_ijklmnop' },
    });
  });
});

describe('strongSwan: static routing (policy-based)', () => {
  it('with IKEv2, one child per tunnel protects all the networks', () => {
    const conf = render(dualTunnel({ bgp: false }));
    const conn = sectionAt(conf, 'connections.alibaba-vco-0000000000000001-tunnel2');
    expect(conn).toMatchObject({ version: '2', mobike: 'no' });
    const child = sectionAt(conn, 'children.alibaba-vco-0000000000000001-tunnel2');
    expect(child.local_ts).toBe('192.168.10.0/24,192.168.20.0/24');
    expect(child.remote_ts).toBe('10.10.0.0/16');
    expect(child).not.toHaveProperty('if_id_in');
  });

  it('with IKEv1, one child per pair of networks, since IKEv1 negotiates one pair per SA', () => {
    const conf = render(singleTunnel());
    const conn = sectionAt(conf, 'connections.alibaba-vco-0000000000000002-tunnel1');
    expect(conn.version).toBe('1');
    expect(conn).not.toHaveProperty('aggressive');
    const children = sectionAt(conn, 'children') as Record<string, Section>;
    expect(Object.values(children).map((c) => [c.local_ts, c.remote_ts])).toEqual([
      ['192.168.30.0/24', '10.20.0.0/16'],
      ['192.168.30.0/24', '10.30.0.0/16'],
    ]);
  });

  it('asks for aggressive mode where Alibaba uses it (IKEv1 only)', () => {
    const aggressive = withTunnels(singleTunnel(), (t) => ({ ...t, ike: { ...t.ike, mode: 'aggressive' } }));
    expect(sectionAt(render(aggressive), 'connections.alibaba-vco-0000000000000002-tunnel1').aggressive).toBe(
      'yes',
    );
  });

  it('leaves the DH group out of the ESP proposal when PFS is disabled', () => {
    const noPfs = withTunnels(singleTunnel(), (t) => ({ ...t, ipsec: { ...t.ipsec, pfs: 'disabled' } }));
    const children = sectionAt(render(noPfs), 'connections.alibaba-vco-0000000000000002-tunnel1.children');
    for (const child of Object.values(children) as Section[]) expect(child.esp_proposals).toBe('aes128-sha1');
  });
});

describe('strongSwan: proposals from every algorithm Alibaba offers', () => {
  const cases: [string, string, string, string][] = [
    ['aes', 'md5', 'group1', 'aes128-md5-modp768'],
    ['aes192', 'sha1', 'group2', 'aes192-sha1-modp1024'],
    ['aes256', 'sha256', 'group5', 'aes256-sha256-modp1536'],
    ['des', 'sha384', 'group14', 'des-sha384-modp2048'],
    ['3des', 'sha512', 'group24', '3des-sha512-modp2048s256'],
  ];
  it.each(cases)('%s, %s, %s → %s', (encAlg, authAlg, dhGroup, expected) => {
    const config = withTunnels(singleTunnel(), (t) => ({
      ...t,
      ike: { ...t.ike, encAlg, authAlg, dhGroup },
    }));
    expect(sectionAt(render(config), 'connections.alibaba-vco-0000000000000002-tunnel1').proposals).toBe(
      expected,
    );
  });

  it('refuses an algorithm it has no keyword for, naming the field', () => {
    const config = withTunnels(singleTunnel(), (t) => ({ ...t, ipsec: { ...t.ipsec, encAlg: 'sm4' } }));
    expect(() => renderPeerConfig('strongswan', config, 'en')).toThrow(PeerConfigError);
    expect(() => renderPeerConfig('strongswan', config, 'en')).toThrow(/tunnels\[1\]\.ipsec\.encAlg/);
  });
});

describe('strongSwan: the pre-shared key reads back as it is', () => {
  it.each([
    ['every punctuation character Alibaba allows', AWKWARD_KEY],
    ['a quote and a backslash at the end', 'abc"\\'],
    ['a comment sign and braces', '#}{x=#'],
    ['a key that starts like hex', '0xZZ-not-hex'],
    ['a key that starts like Base64', '0sQUJD'],
  ])('%s', (_what, psk) => {
    const text = renderPeerConfig('strongswan', singleTunnel({ psk }), 'en');
    const secret = sectionAt(readSwanctl(text), 'secrets.ike-tunnel1').secret as string;
    // swanctl reads a secret starting with 0x as hex (load_creds.c): decode it as it would.
    const read = /^0x/i.test(secret) ? Buffer.from(secret.slice(2), 'hex').toString('utf8') : secret;
    expect(read).toBe(psk);
  });

  it('refuses a key with a space or a line break, without naming the key', () => {
    for (const psk of ['two words', 'line\nbreak', '']) {
      let message = '';
      try {
        renderPeerConfig('strongswan', singleTunnel({ psk }), 'en');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/tunnels\[1\]\.ike\.psk/);
      if (psk) expect(message).not.toContain(psk);
    }
  });
});

describe('strongSwan: typed text stays data', () => {
  it("writes the connection's name in one comment line, whatever it holds", () => {
    const name = 'Office\n}\nconnections { evil { remote_addrs = 0.0.0.0 } }\u2028#';
    const text = renderPeerConfig('strongswan', { ...dualTunnel({ bgp: false }), name }, 'en');
    const nameLines = text.split('\n').filter((l) => l.includes('Office'));
    expect(nameLines).toEqual([
      '# Name: Office[U+000A]}[U+000A]connections { evil { remote_addrs = 0.0.0.0 } }[U+2028]#',
    ]);
    expect(Object.keys(sectionAt(readSwanctl(text), 'connections'))).toHaveLength(2);
  });

  it('quotes identities, and refuses an address that is not one', () => {
    const config = withTunnels(singleTunnel(), (t) => ({
      ...t,
      ike: { ...t.ike, localId: 'office"1"@example.com' },
    }));
    expect(sectionAt(render(config), 'connections.alibaba-vco-0000000000000002-tunnel1.local').id).toBe(
      'office"1"@example.com',
    );
    const bad = withTunnels(singleTunnel(), (t) => ({ ...t, remote: '203.0.113.1\n}' }));
    expect(() => renderPeerConfig('strongswan', bad, 'en')).toThrow(/tunnels\[1\]\.remote/);
  });
});
