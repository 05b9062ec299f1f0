/**
 * What every format holds to: it writes both tunnels' keys and nothing else a reader typed outside
 * a comment or description line, it logs nothing, it refuses rather than guesses, and its errors
 * never carry a key.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PEER_FORMATS,
  type PeerConfig,
  PeerConfigError,
  renderPeerConfig,
} from '../../../src/resources/peer-config/index.js';
import { dualTunnel, singleTunnel, withTunnels } from './configs.js';

const CONFIGS: [string, PeerConfig][] = [
  ['dual tunnel, BGP, IKEv2', dualTunnel({ bgp: true })],
  ['dual tunnel, BGP, IKEv1', dualTunnel({ bgp: true, version: 'ikev1' })],
  ['dual tunnel, static, IKEv2', dualTunnel({ bgp: false })],
  ['single tunnel, static, IKEv1', singleTunnel()],
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(PEER_FORMATS)('%s', (format) => {
  it.each(CONFIGS)('%s: both keys, both Alibaba addresses, and not a word logged', (_what, config) => {
    const spies = [
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'info'),
      vi.spyOn(console, 'warn'),
      vi.spyOn(console, 'error'),
      vi.spyOn(console, 'debug'),
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
    ];
    const text = renderPeerConfig(format, config, 'zh-CN');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    for (const t of config.tunnels) {
      expect(text).toContain(t.ike.psk);
      expect(text).toContain(t.remote);
    }
    expect(text).not.toMatch(/undefined|NaN|\[object/);
  });

  it('keeps a typed name from starting a line of its own', () => {
    const name = 'Office\nINJECTED line\r\nINJECTED too\u2028INJECTED third';
    const text = renderPeerConfig(format, { ...dualTunnel({ bgp: true }), name }, 'en');
    expect(text.split('\n').some((l) => l.trimStart().startsWith('INJECTED'))).toBe(false);
    expect(text).not.toMatch(/[\r\u2028]/);
  });

  it('refuses a configuration with a key that is not one, without repeating it', () => {
    const config = singleTunnel({ psk: 'secret with spaces' });
    let error: unknown;
    try {
      renderPeerConfig(format, config, 'en');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PeerConfigError);
    expect(String((error as Error).message)).not.toContain('secret with spaces');
    expect((error as PeerConfigError).words['zh-CN']).toContain('tunnels[1].ike.psk');
  });
});

describe.each(PEER_FORMATS.filter((f) => f !== 'generic'))(
  '%s names algorithms in its own words',
  (format) => {
    it('and refuses one it has no word for', () => {
      const config = withTunnels(singleTunnel(), (t) => ({ ...t, ike: { ...t.ike, encAlg: 'sm4' } }));
      expect(() => renderPeerConfig(format, config, 'en')).toThrow(/tunnels\[1\]\.ike\.encAlg/);
    });
  },
);

it('the generic format shows an algorithm as Alibaba names it, whatever it is', () => {
  const config = withTunnels(singleTunnel(), (t) => ({ ...t, ike: { ...t.ike, encAlg: 'sm4' } }));
  expect(renderPeerConfig('generic', config, 'en')).toContain('  IKE encryption: sm4');
});
