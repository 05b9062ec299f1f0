/**
 * Key rotation over signed HTTP (docs/requests.md, "Key rotation"): `/gateway rotate-key vco-…`
 * posts a request that names the connection and its tunnels; once approved the worker sends
 * ModifyVpnConnectionAttribute with the request id as ClientToken and a new key per tunnel in each
 * tunnel's whole entry (its other settings and the connection's subnets as they are),
 * derived from REQUEST_SECRETS_KEY, so a call whose answer was lost is sent again with the very
 * same keys; the result carries Show pre-shared key and Device configuration; the keys reach no
 * Slack call but the requester's private answer, no log line, audit event or Redis value. Asked
 * from another channel it is refused in the words of an id that does not exist, and it is refused
 * while another operation of the bot is open on the connection.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { SecretBox } from '../../src/workflow/secrets.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import {
  CHANNEL,
  clicksAnsweredPrivately,
  consoleGateways,
  expectSecretOnlyWhereAllowed,
  OTHER_CHANNEL,
  PEOPLE,
  privateAnswerTo,
  until,
  useE2E,
} from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';
import { testRedis } from '../support/redis.js';

const SECRETS_KEY = 'ab'.repeat(32);
const REGION = 'cn-hangzhou';
const t = testRedis('key-rotation');
const { logger, lines } = capturedLogger();
let modifies = 0;
const e = useE2E(t, {
  env: { LOG_LEVEL: 'trace', REQUEST_SECRETS_KEY: SECRETS_KEY },
  overrides: {
    logger,
    simulator: {
      updateTimeMs: 300,
      // The first change call is applied but its answer lost; the next one is answered.
      onRequest: (r) => {
        if (r.action === 'ModifyVpnConnectionAttribute' && ++modifies === 2)
          e.sim.setFaults({ rules: [], latencyMs: 0 });
      },
    },
  },
  conformance: true,
});
let connection: ResourceRequest & { messageTs: string };
let vco: string;
let rotation: ResourceRequest & { messageTs: string };
const option = (value: string) => ({ option: value });

const answerTo = (command: string, channel = CHANNEL) => privateAnswerTo(e, command, channel);
const tunnels = () => e.sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)?.tunnels ?? [];

beforeAll(async () => {
  // The gateways are the account's own; the connection is the bot's, asked for in CHANNEL.
  const { gatewayId, customerGatewayIds: cgws } = await consoleGateways(e, REGION, [
    '47.101.1.1',
    '47.101.1.2',
  ]);
  const opened = await e.openModal(PEOPLE.requester, 'connection');
  const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', { RegionId: option(REGION) });
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: option(REGION),
    VpnGatewayId: option(gatewayId),
    'TunnelOptionsSpecification.1.CustomerGatewayId': option(cgws[0]),
    'TunnelOptionsSpecification.2.CustomerGatewayId': option(cgws[1]),
    LocalSubnet: '192.168.0.0/16',
    RemoteSubnet: '172.16.0.0/16',
    Name: 'branch link',
  });
  expect(answer.body, JSON.stringify(answer.body)).toBe('');
  const [made] = await e.bot.store.recentInChannel(CHANNEL, 1);
  connection = await e.requestMessage(made?.id ?? '');
  await e.click(PEOPLE.lead1, ACTION_IDS.approve, connection);
  const done = await e.waitForState(connection.id, ['succeeded', 'failed'], 20_000);
  expect(done.state).toBe('succeeded');
  vco = done.cloud.resourceId ?? '';
  e.sim.configurePeer({ vpnConnectionId: vco });
});

describe('/gateway rotate-key', () => {
  it('is refused from another channel in the words of an id that does not exist, with nothing posted', async () => {
    const stored = (await e.bot.store.recentInChannel(OTHER_CHANNEL, 10)).length;
    const refused = await answerTo(`rotate-key ${vco}`, OTHER_CHANNEL);
    const absent = await answerTo('rotate-key vco-doesnotexist0000', OTHER_CHANNEL);
    expect(refused).toContain('whose keys this channel may change');
    expect(refused).toBe(absent.replaceAll('vco-doesnotexist0000', vco));
    const posted = e.slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.params));
    expect(posted.filter((p) => p.includes(OTHER_CHANNEL) || p.includes('new pre-shared keys'))).toEqual([]);
    expect((await e.bot.store.recentInChannel(OTHER_CHANNEL, 10)).length).toBe(stored);
  });

  it('posts a request naming the connection and its tunnels, and refuses another operation while it is open', async () => {
    const said = await answerTo(`rotate-key ${vco}`);
    expect(said).toContain('key rotation request');
    rotation = await until(async () => {
      const [r] = await e.bot.store.recentInChannel(CHANNEL, 1);
      return r?.operation === 'rotate_key' && r.messageTs
        ? (r as ResourceRequest & { messageTs: string })
        : undefined;
    });
    expect(rotation.resource).toBe('vpn_connection');
    expect(rotation.params).toEqual({ RegionId: REGION, VpnConnectionId: vco });
    const root = e.slack.workspace.findMessage(CHANNEL, rotation.messageTs);
    const shown = JSON.stringify(root?.blocks);
    expect(shown).toContain('asks for *new pre-shared keys*');
    expect(shown).toContain('branch link');
    for (const tunnel of tunnels()) expect(shown).toContain(tunnel.TunnelId);
    for (const action of [ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.cancel])
      expect(shown).toContain(`"action_id":"${action}"`);
    // One operation at a time on a resource: neither a second rotation nor a deletion now.
    expect(await answerTo(`rotate-key ${vco}`)).toContain(`Request ${rotation.id} on ${vco} is still open`);
    expect(await answerTo(`delete ${vco}`)).toContain(rotation.id);
    expect(e.sim.requests().filter((r) => r.action === 'ModifyVpnConnectionAttribute')).toHaveLength(0);
  });

  it('sends the new keys once approved, the same keys again when the answer was lost, and offers both buttons', async () => {
    const before = tunnels().map((tunnel) => tunnel.ike.Psk);
    e.sim.setFaults('ModifyVpnConnectionAttribute:lost=1');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, rotation);
    const done = await e.waitForState(rotation.id, ['succeeded', 'failed'], 20_000);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    const calls = e.sim.requests().filter((r) => r.action === 'ModifyVpnConnectionAttribute');
    expect(calls).toHaveLength(2);
    // The same call again but for what signs it anew (a fresh nonce and timestamp).
    const business = (params: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries(params).filter(([k]) => !['SignatureNonce', 'Timestamp'].includes(k)),
      );
    expect(business(calls[1]?.params)).toEqual(business(calls[0]?.params));
    expect(Object.keys(business(calls[0]?.params)).filter((k) => k.endsWith('.Psk'))).toHaveLength(2);
    expect(calls[0]?.params).toMatchObject({
      ClientToken: rotation.id,
      RegionId: REGION,
      VpnConnectionId: vco,
      LocalSubnet: '192.168.0.0/16',
      RemoteSubnet: '172.16.0.0/16',
    });
    // Each tunnel's entry whole, as the tunnel has it, master first; its customer gateway is not a change.
    const sent = business(calls[0]?.params);
    for (const [i, tunnel] of tunnels().entries()) {
      const at = `TunnelOptionsSpecification.${i + 1}`;
      expect(sent).toMatchObject({
        [`${at}.TunnelId`]: tunnel.TunnelId,
        [`${at}.Role`]: tunnel.Role,
        [`${at}.EnableDpd`]: String(tunnel.EnableDpd),
        [`${at}.EnableNatTraversal`]: String(tunnel.EnableNatTraversal),
        [`${at}.TunnelIkeConfig.IkeVersion`]: tunnel.ike.IkeVersion,
        [`${at}.TunnelIkeConfig.RemoteId`]: tunnel.ike.RemoteId,
        [`${at}.TunnelIpsecConfig.IpsecEncAlg`]: tunnel.ipsec.IpsecEncAlg,
        [`${at}.TunnelIpsecConfig.IpsecLifetime`]: String(tunnel.ipsec.IpsecLifetime),
      });
      expect(sent).not.toHaveProperty(`${at}.CustomerGatewayId`);
    }
    const box = new SecretBox(Buffer.from(SECRETS_KEY, 'hex'));
    const now = tunnels();
    expect(now.map((tunnel) => tunnel.ike.Psk)).toEqual(
      now.map((tunnel) => box.rotatedKey(rotation.id, tunnel.TunnelId)),
    );
    for (const [i, tunnel] of now.entries()) {
      expect(tunnel.ike.Psk).not.toBe(before[i]);
      expect(tunnel.ike.Psk).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(tunnel.Status).toBe('ike_sa_not_established');
    }
    const result = await e.slack.waitFor(() =>
      e.slack
        .thread(CHANNEL, rotation.messageTs)
        .find((m) => m.reply_broadcast && m.text?.includes(rotation.id)),
    );
    const thread = e.slack.thread(CHANNEL, rotation.messageTs).map((m) => m.text ?? '');
    expect(
      thread.some((x) => x.includes(`Sending new pre-shared keys for the IPsec connection \`${vco}\``)),
    ).toBe(true);
    expect(thread.some((x) => x.includes(`accepted the new keys of \`${vco}\``))).toBe(true);
    const blocks = JSON.stringify(result?.blocks);
    expect(blocks).toContain('stay down until your on-premises device has the new keys');
    expect(blocks).toContain(`"action_id":"${ACTION_IDS.revealPsk}","value":"${rotation.id}"`);
    expect(blocks).toContain(`"action_id":"${ACTION_IDS.peerConfig}","value":"${rotation.id}"`);
  });

  it('shows the new keys to the requester only, read at the click', async () => {
    const result = e.slack.thread(CHANNEL, rotation.messageTs).find((m) => m.reply_broadcast);
    const to = await clicksAnsweredPrivately(e, ACTION_IDS.revealPsk, rotation, result?.ts ?? '', [
      PEOPLE.requester,
      PEOPLE.outsider,
    ]);
    for (const tunnel of tunnels()) {
      expect(to(PEOPLE.requester)).toContain(tunnel.ike.Psk);
      expect(to(PEOPLE.outsider)).not.toContain(tunnel.ike.Psk);
    }
  });

  it('never lets a new key out: no other Slack call, log line, audit event or Redis value', async () => {
    const keys = tunnels().map((tunnel) => tunnel.ike.Psk);
    const shown = e.slack
      .callsTo('chat.postEphemeral')
      .filter((c) => keys.some((k) => JSON.stringify(c.params).includes(k)));
    expect(shown.map((c) => c.params.user)).toEqual([PEOPLE.requester]);
    await expectSecretOnlyWhereAllowed(e, {
      redis: t,
      lines,
      allowed: shown,
      holdsSecret: (x) => keys.some((k) => x.includes(k)),
    });
    expect(lines.some((l) => l.includes(rotation.id))).toBe(true);
  });
});
