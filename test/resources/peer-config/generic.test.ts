/**
 * The generic format: every field one a line, labelled in the reader's language, the values as
 * Alibaba names them.
 */
import { describe, expect, it } from 'vitest';
import { peerFormatLabel, renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { PEER_FORMATS } from '../../../src/resources/peer-config/model.js';
import { AWKWARD_KEY, dualTunnel, singleTunnel } from './configs.js';

describe('generic format', () => {
  it('lists both tunnels with their keys, settings and BGP, in English', () => {
    const lines = renderPeerConfig('generic', dualTunnel({ bgp: true }), 'en').split('\n');
    expect(lines).toContain('Alibaba Cloud IPsec connection vco-0000000000000001');
    expect(lines).toContain('Office networks (this device): 192.168.10.0/24, 192.168.20.0/24');
    expect(lines).toContain('Tunnel 2 (slave)');
    expect(lines).toContain('  Pre-shared key: Key2of2_ijklmnop');
    expect(lines).toContain('  IKE version: ikev2');
    expect(lines).toContain('  IPsec PFS (DH group): group2');
    expect(lines).toContain("  BGP: Alibaba Cloud's ASN: 45104");
    expect(lines).toContain("  BGP: this device's IP in the tunnel: 169.254.12.2");
    expect(lines.filter((l) => l.startsWith('  Pre-shared key: '))).toHaveLength(2);
  });

  it('speaks Chinese to a Chinese reader', () => {
    const text = renderPeerConfig('generic', singleTunnel(), 'zh-CN');
    expect(text).toContain('预共享密钥: Key1of2_abcdefgh');
    expect(text).toContain('对端网段（VPC）: 10.20.0.0/16, 10.30.0.0/16');
    expect(text).not.toContain('BGP');
  });

  it('gives the key exactly, and keeps a typed name on its line', () => {
    const config = { ...singleTunnel({ psk: AWKWARD_KEY }), name: 'A\nPre-shared key: fake' };
    const lines = renderPeerConfig('generic', config, 'en').split('\n');
    expect(lines).toContain(`  Pre-shared key: ${AWKWARD_KEY}`);
    expect(lines).toContain('Name: A[U+000A]Pre-shared key: fake');
    expect(lines.filter((l) => l.includes('Pre-shared key: '))).toHaveLength(2);
  });

  it('has words in both languages for every format', () => {
    for (const format of PEER_FORMATS) {
      expect(peerFormatLabel(format).en).not.toBe('');
      expect(peerFormatLabel(format)['zh-CN']).not.toBe('');
    }
  });
});
