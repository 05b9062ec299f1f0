/**
 * The swanctl.conf the bot writes, loaded by strongSwan itself: Debian's charon and swanctl
 * (strongswan-charon, strongswan-swanctl; .ci/run installs them), each charon in namespaces of its
 * own (test/support/strongswan.ts). swanctl must report every connection and every secret loaded,
 * and `--list-conns` must show them; a broken file must be reported not loaded. Then the device's
 * file meets a second charon standing in for Alibaba's side, configured by the test with each key
 * in hex: the IKE SA comes up only if strongSwan read the device's key exactly as Alibaba gave it.
 * Skipped, saying why, where charon or swanctl is missing or the test is not root.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PeerConfig, renderPeerConfig } from '../../../src/resources/peer-config/index.js';
import { type Charon, startCharon, strongswanMissing } from '../../support/strongswan.js';
import { AWKWARD_KEY, dualTunnel, singleTunnel, withTunnels } from './configs.js';

const missing = strongswanMissing();
if (missing) console.warn(`strongSwan load test skipped: ${missing}`);

let dir: string;
let written = 0;

/** `text` in a file of its own, as a device would hold it. */
function fileWith(text: string): string {
  written += 1;
  const file = path.join(dir, `swanctl-${written}.conf`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

const render = (config: PeerConfig) => renderPeerConfig('strongswan', config, 'en');

describe.skipIf(missing !== undefined)(
  `strongSwan loads the swanctl.conf${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let charon: Charon;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'peer-swanctl-'));
      charon = await startCharon({ dir: path.join(dir, 'device') });
    });
    afterAll(async () => {
      await charon?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const load = (text: string) => charon.swanctl(['--load-all', '--file', fileWith(text)]);

    it('a dual-tunnel connection with BGP (IKEv2): both connections and both keys', async () => {
      const { code, output } = await load(render(dualTunnel({ bgp: true })));
      expect(code, output).toBe(0);
      expect(output).toContain("loaded ike secret 'ike-tunnel1'");
      expect(output).toContain("loaded ike secret 'ike-tunnel2'");
      expect(output).toContain("loaded connection 'alibaba-vco-0000000000000001-tunnel1'");
      expect(output).toContain("loaded connection 'alibaba-vco-0000000000000001-tunnel2'");
      expect(output).toContain('successfully loaded 2 connections');
      const listed = (await charon.swanctl(['--list-conns'])).output;
      expect(listed).toMatch(/alibaba-vco-0000000000000001-tunnel1: IKEv2/);
      expect(listed).toMatch(/alibaba-vco-0000000000000001-tunnel2: IKEv2/);
      expect(listed).toMatch(/local: +0\.0\.0\.0\/0/);
    });

    it('a single-tunnel static connection (IKEv1): one child per pair of networks', async () => {
      const { code, output } = await load(render(singleTunnel()));
      expect(code, output).toBe(0);
      expect(output).toContain("loaded ike secret 'ike-tunnel1'");
      expect(output).toContain('successfully loaded 1 connections');
      const listed = (await charon.swanctl(['--list-conns'])).output;
      expect(listed).toMatch(/alibaba-vco-0000000000000002-tunnel1: IKEv1/);
      expect(listed).toMatch(/remote: +10\.20\.0\.0\/16/);
      expect(listed).toMatch(/remote: +10\.30\.0\.0\/16/);
    });

    it('a dual-tunnel static connection (IKEv1, aggressive mode, no PFS, every algorithm name)', async () => {
      const config = withTunnels(dualTunnel({ bgp: false, version: 'ikev1' }), (t) => ({
        ...t,
        ike: {
          ...t.ike,
          mode: 'aggressive',
          encAlg: t.index === 1 ? '3des' : 'des',
          authAlg: 'md5',
          dhGroup: 'group24',
        },
        ipsec: {
          ...t.ipsec,
          encAlg: 'aes192',
          authAlg: t.index === 1 ? 'sha384' : 'sha512',
          pfs: 'disabled',
        },
      }));
      const { code, output } = await load(render(config));
      expect(code, output).toBe(0);
      expect(output).toContain('successfully loaded 2 connections');
      expect(output).toContain("loaded ike secret 'ike-tunnel2'");
    });

    it.each([
      ['every punctuation character Alibaba allows', AWKWARD_KEY],
      ['a key starting like hex', '0xZZ"\\#'],
    ])('a key with %s', async (_what, psk) => {
      const { code, output } = await load(render(singleTunnel({ version: 'ikev2', psk })));
      expect(code, output).toBe(0);
      expect(output).toContain("loaded ike secret 'ike-tunnel1'");
      expect(output).toContain('successfully loaded 1 connections');
    });

    it('reports a broken file not loaded (the checks above can fail)', async () => {
      const text = render(singleTunnel({ psk: AWKWARD_KEY }));
      // A proposal strongSwan has no keyword for.
      const badProposal = await load(
        text.replace('proposals = aes256-sha256-modp2048', 'proposals = aes256-sha256-modp9999'),
      );
      expect(badProposal.output).toContain('invalid value for: proposals');
      expect(badProposal.output).toContain('loaded 0 of 1 connections, 1 failed to load');
      // The key written without its escapes: the quote ends the string early.
      const unescaped = await load(text.replace(/\\(["\\])/g, '$1'));
      expect(unescaped.output).not.toContain("loaded ike secret 'ike-tunnel1'");
      expect(unescaped.output).not.toContain('successfully loaded');
    });
  },
);

/**
 * Alibaba's side of `config` as a swanctl.conf for the peer charon: the same settings seen from the
 * other end, all traffic accepted (a responder narrows to what the device proposes), and each key
 * in hex, which no quoting can change.
 */
function alibabaSide(config: PeerConfig, keyOf: (psk: string) => string = (psk) => psk): string {
  const lines = ['connections {'];
  for (const t of config.tunnels) {
    lines.push(
      `  alibaba-${t.index} {`,
      `    version = ${t.ike.version === 'ikev1' ? 1 : 2}`,
      `    local_addrs = ${t.remote}`,
      `    remote_addrs = ${t.local}`,
      '    proposals = aes256-sha256-modp2048',
      ...(t.ike.mode === 'aggressive' ? ['    aggressive = yes'] : []),
      `    local { auth = psk`,
      `      id = ${t.ike.remoteId} }`,
      `    remote { auth = psk`,
      `      id = ${t.ike.localId} }`,
      '    children { all { local_ts = 0.0.0.0/0',
      '      remote_ts = 0.0.0.0/0',
      '      esp_proposals = aes128-sha1-modp1024,aes128-sha1 } }',
      '  }',
    );
  }
  lines.push('}', 'secrets {');
  for (const t of config.tunnels) {
    const hex = Buffer.from(keyOf(t.ike.psk), 'utf8').toString('hex');
    lines.push(
      `  ike-${t.index} { id-1 = ${t.ike.remoteId}`,
      `    id-2 = ${t.ike.localId}`,
      `    secret = 0x${hex} }`,
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}

describe.skipIf(missing !== undefined)(
  `strongSwan negotiates with the key as written${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let device: Charon;
    let alibaba: Charon;
    let handshakeDir: string;

    beforeAll(async () => {
      handshakeDir = mkdtempSync(path.join(tmpdir(), 'peer-ike-'));
      // The device's and Alibaba's addresses on the namespace's loopback; Alibaba on the IKE ports.
      device = await startCharon({
        dir: path.join(handshakeDir, 'device'),
        addresses: ['198.51.100.10', '203.0.113.1', '203.0.113.2'],
      });
      alibaba = await startCharon({
        dir: path.join(handshakeDir, 'alibaba'),
        peerOf: device,
        port: 500,
        portNatT: 4500,
      });
    });
    afterAll(async () => {
      await device?.stop();
      await alibaba?.stop();
      if (handshakeDir) rmSync(handshakeDir, { recursive: true, force: true });
    });

    /** The device's IKE SAs established within `ms` (at least one look), by connection name. */
    async function established(names: string[], ms = 5000): Promise<string[]> {
      const deadline = Date.now() + ms;
      for (;;) {
        const { output } = await device.swanctl(['--list-sas', '--raw']);
        const up = names.filter((n) => new RegExp(`${n} \\{[^{]*state=ESTABLISHED`).test(output));
        if (up.length === names.length || Date.now() >= deadline) return up;
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    /** Waits (5 s at most) for `line` in the device's log after `from`. */
    async function logged(line: string, from: number): Promise<boolean> {
      const deadline = Date.now() + 5000;
      while (!device.log().slice(from).includes(line) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      return device.log().slice(from).includes(line);
    }

    async function connect(config: PeerConfig, keyOf?: (psk: string) => string) {
      const peerFile = path.join(handshakeDir, `alibaba-${config.connectionId}-${Date.now()}.conf`);
      writeFileSync(peerFile, alibabaSide(config, keyOf), { mode: 0o600 });
      const peer = await alibaba.swanctl(['--load-all', '--file', peerFile]);
      expect(peer.code, peer.output).toBe(0);
      const file = path.join(handshakeDir, `device-${config.connectionId}-${Date.now()}.conf`);
      writeFileSync(file, render(config), { mode: 0o600 });
      // Loading starts the tunnels (start_action = start).
      const own = await device.swanctl(['--load-all', '--file', file]);
      expect(own.code, own.output).toBe(0);
    }

    const awkward = (config: PeerConfig) =>
      withTunnels(config, (t) => ({ ...t, ike: { ...t.ike, psk: `${AWKWARD_KEY}${t.index}` } }));

    it('both tunnels of a BGP connection come up over IKEv2 with an awkward key', async () => {
      const config = awkward(dualTunnel({ bgp: true }));
      await connect(config);
      const names = ['alibaba-vco-0000000000000001-tunnel1', 'alibaba-vco-0000000000000001-tunnel2'];
      expect(await established(names), device.log()).toEqual(names);
    });

    it('a static tunnel comes up over IKEv1 main mode with a key that starts like hex', async () => {
      const config = singleTunnel({ psk: '0x"\\#{}' });
      await connect(config);
      const names = ['alibaba-vco-0000000000000002-tunnel1'];
      expect(await established(names), device.log()).toEqual(names);
    });

    it('a key that differs by one character does not (the check can fail)', async () => {
      const config = withTunnels(
        awkward({ ...dualTunnel({ bgp: false }), connectionId: 'vco-0000000000000003' }),
        (t) => ({
          ...t,
          ike: { ...t.ike, localId: 'office.example', remoteId: `alibaba-${t.index}.example` },
        }),
      );
      const from = device.log().length;
      await connect(config, (psk) => (psk.endsWith('2') ? `${psk.slice(0, -1)}X` : psk));
      const names = ['alibaba-vco-0000000000000003-tunnel1', 'alibaba-vco-0000000000000003-tunnel2'];
      expect(await established([names[0] as string]), device.log()).toEqual([names[0]]);
      expect(await logged('received AUTHENTICATION_FAILED notify error', from), device.log()).toBe(true);
      expect(await established(names, 0)).toEqual([names[0]]);
    });
  },
);
