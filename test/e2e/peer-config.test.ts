/**
 * The on-premises device's configuration over signed HTTP (docs/requests.md, "The peer's
 * configuration"): the requester clicks `peer_config` on a dual-tunnel connection's result and gets
 * a strongSwan configuration with both tunnels' addresses and keys, read from the cloud at the
 * click, privately; picking another format in that answer writes it again in that format; an
 * outsider gets a refusal, audited, and nothing of it; with BGP on, each tunnel's session is there
 * from the device's side; and the keys are found in no channel message, log line, audit event or
 * Redis value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { VpcClient } from '../../src/cloud/index.js';
import { PEER_FORMATS } from '../../src/resources/peer-config/index.js';
import {
  interactionBody,
  postToApp,
  type RecordedCall,
  selectActionPayload,
} from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import {
  accountClient,
  CHANNEL,
  expectSecretOnlyWhereAllowed,
  PEOPLE,
  SIGNING_SECRET,
  until,
  useE2E,
} from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';
import { testRedis } from '../support/redis.js';
import { dualTunnelValues } from '../support/workflow.js';

const t = testRedis('peer-config');
const { logger, lines } = capturedLogger();
const e = useE2E(t, { env: { LOG_LEVEL: 'trace' }, overrides: { logger }, conformance: true });
const REGION = 'cn-hangzhou';
const option = (value: string) => ({ option: value });

let vpc: VpcClient;
let connection: ResourceRequest & { messageTs: string };
let resultTs: string;
let tunnelIps: string[];
let keys: string[];
let gatewayId: string;

/** A key as it may stand in a configuration: as it is, or in hex where swanctl would misread it. */
const forms = (key: string) => [key, Buffer.from(key).toString('hex')];
const holdsKey = (text: string) => keys.some((k) => forms(k).some((f) => text.includes(f)));

beforeAll(async () => {
  vpc = accountClient(e);
  // The gateways straight in the cloud: only the connection is this test's request.
  const { VpnGatewayId } = await vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
    ...(await dualTunnelValues(vpc, REGION)),
    Bandwidth: 10,
  });
  const gw = await until(async () => {
    const seen = await vpc.call<{ Status: string; InternetIp: string; DisasterRecoveryInternetIp: string }>(
      'DescribeVpnGateway',
      { RegionId: REGION, VpnGatewayId },
    );
    return seen.Status === 'active' ? seen : undefined;
  });
  tunnelIps = [gw.InternetIp, gw.DisasterRecoveryInternetIp];
  gatewayId = VpnGatewayId;
  const cgws: string[] = [];
  for (const ip of ['47.110.1.1', '47.110.1.2'])
    cgws.push(
      (
        await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
          RegionId: REGION,
          IpAddress: ip,
        })
      ).CustomerGatewayId,
    );

  const opened = await e.openModal(PEOPLE.requester, 'connection');
  const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', { RegionId: option(REGION) });
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: option(REGION),
    VpnGatewayId: option(VpnGatewayId),
    'TunnelOptionsSpecification.1.CustomerGatewayId': option(cgws[0] ?? ''),
    'TunnelOptionsSpecification.2.CustomerGatewayId': option(cgws[1] ?? ''),
    // Many networks a side: a long configuration.
    LocalSubnet: Array.from({ length: 10 }, (_, i) => `10.${i + 1}.0.0/16`).join(','),
    RemoteSubnet: Array.from({ length: 10 }, (_, i) => `172.16.${i + 1}.0/24`).join(','),
    Name: 'head office',
  });
  expect(answer.body, JSON.stringify(answer.body)).toBe('');
  const [newest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  connection = await e.requestMessage(newest?.id ?? '');
  await e.click(PEOPLE.lead1, ACTION_IDS.approve, connection);
  expect((await e.waitForState(connection.id, ['succeeded', 'failed'], 30_000)).state).toBe('succeeded');
  const result = await e.slack.waitFor(() =>
    e.slack
      .thread(CHANNEL, connection.messageTs)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${ACTION_IDS.peerConfig}"`)),
  );
  // Beside the pre-shared key's button.
  expect(JSON.stringify(result.blocks)).toContain(`"action_id":"${ACTION_IDS.revealPsk}"`);
  resultTs = result.ts;
  keys =
    e.sim
      .state()
      .vpnConnections.find((c) => c.ClientToken === connection.id)
      ?.tunnels.map((tunnel) => tunnel.ike.Psk) ?? [];
  expect(keys).toHaveLength(2);
});

/** What reached one person privately since call `from`: ephemeral answers to them and messages in their direct message. */
function privateTo(user: string, from: number): RecordedCall[] {
  return e.slack.calls
    .slice(from)
    .filter(
      (c) =>
        (c.method === 'chat.postEphemeral' && c.params.user === user) ||
        (c.method === 'chat.postMessage' && String(c.params.channel).startsWith('D')),
    );
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Record<string, unknown>[];
};
const blocksOf = (calls: RecordedCall[]) => calls.flatMap((c) => (c.params.blocks ?? []) as Block[]);
const textOf = (calls: RecordedCall[]) =>
  blocksOf(calls)
    .map((b) => b.text?.text ?? '')
    .join('\n');

const clickPeerConfig = (user: string) =>
  e.click(user, ACTION_IDS.peerConfig, { ...connection, messageTs: resultTs });

describe('the device configuration of a dual-tunnel connection', () => {
  it('goes to the requester privately, in strongSwan’s format, with both tunnels, read at the click', async () => {
    const from = e.slack.calls.length;
    const downloads = () => e.sim.requests().filter((r) => r.action === 'DownloadVpnConnectionConfig').length;
    const before = downloads();
    await clickPeerConfig(PEOPLE.requester);
    const answered = await e.slack.waitFor(() => {
      const got = privateTo(PEOPLE.requester, from);
      return blocksOf(got).some((b) => b.type === 'actions') ? got : undefined;
    });
    expect(downloads() - before).toBe(1);
    const text = textOf(answered);
    expect(text).toContain('connections {');
    for (const ip of [...tunnelIps, '47.110.1.1', '47.110.1.2']) expect(text).toContain(ip);
    for (const key of keys)
      expect(
        forms(key).some((f) => text.includes(f)),
        'a tunnel’s key',
      ).toBe(true);
    expect(text).toContain('172.16.10.0/24');
    // Ten networks a side make a long file (a child per pair of networks): several preformatted sections.
    expect(blocksOf(answered).filter((b) => b.text?.text.startsWith('```')).length).toBeGreaterThan(1);
    // Within Slack's limits: every section at most 3000 characters, every message at most 50 blocks.
    for (const call of answered) {
      const blocks = (call.params.blocks ?? []) as Block[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    }
    // Nothing to anyone else, nothing in the channel.
    expect(
      e.slack.calls
        .slice(from)
        .filter(
          (c) => c.method.startsWith('chat.') && !answered.includes(c) && holdsKey(JSON.stringify(c.params)),
        ),
    ).toEqual([]);
    const select = blocksOf(answered)
      .find((b) => b.type === 'actions')
      ?.elements?.find((x) => x.action_id === ACTION_IDS.peerConfigFormat) as
      | { options: { value: string }[]; initial_option: { value: string } }
      | undefined;
    expect(select?.options.map((o) => o.value)).toEqual([...PEER_FORMATS]);
    expect(select?.initial_option.value).toBe('strongswan');
  });

  it('is written again in the format picked in the answer', async () => {
    const previous = privateTo(PEOPLE.requester, 0);
    const actions = blocksOf(previous).find((b) => b.type === 'actions');
    const last = previous.at(-1);
    const from = e.slack.calls.length;
    const body = selectActionPayload({
      user: PEOPLE.requester,
      channel: String(last?.params.channel),
      messageTs: String((last?.response as { message_ts?: string } | undefined)?.message_ts ?? ''),
      actionId: ACTION_IDS.peerConfigFormat,
      blockId: actions?.block_id ?? '',
      selected: { value: 'generic', text: 'generic' },
      triggerId: e.slack.issueTriggerId(PEOPLE.requester),
      ephemeral: last?.method === 'chat.postEphemeral',
    });
    expect((await postToApp(e.eventsUrl, SIGNING_SECRET, interactionBody(body))).status).toBe(200);
    const answered = await e.slack.waitFor(() => {
      const got = privateTo(PEOPLE.requester, from);
      return blocksOf(got).some((b) => b.type === 'actions') ? got : undefined;
    });
    const text = textOf(answered);
    expect(text).not.toContain('connections {');
    for (const key of keys) expect(text).toContain(key);
    for (const ip of tunnelIps) expect(text).toContain(ip);
    const audit = await e.bot.store.auditTrail(connection.id);
    expect(
      audit.filter((a) => a.action === 'peer_config').map((a) => [a.actor, a.details?.format, a.refused]),
    ).toEqual([
      [PEOPLE.requester, 'strongswan', undefined],
      [PEOPLE.requester, 'generic', undefined],
    ]);
  });

  it('is refused to anyone else, who is told so and gets nothing of it; the refusal is audited', async () => {
    const from = e.slack.calls.length;
    await clickPeerConfig(PEOPLE.outsider);
    const told = await e.slack.waitFor(() =>
      e.slack.calls
        .slice(from)
        .find((c) => c.method === 'chat.postEphemeral' && c.params.user === PEOPLE.outsider),
    );
    expect(String(told.params.text)).toMatch(
      /Only the person who asked for this connection and the approvers/,
    );
    expect(holdsKey(JSON.stringify(e.slack.calls.slice(from)))).toBe(false);
    expect(e.slack.calls.slice(from).filter((c) => c.method === 'conversations.open')).toEqual([]);
    const audit = await e.bot.store.auditTrail(connection.id);
    expect(
      audit.filter((a) => a.action === 'peer_config' && a.refused).map((a) => [a.actor, a.refused]),
    ).toEqual([[PEOPLE.outsider, 'not_allowed']]);
  });

  it('holds each tunnel’s BGP session from the device’s side where BGP is on', async () => {
    const bgp = (n: 1 | 2, field: string) => `TunnelOptionsSpecification.${n}.TunnelBgpConfig.${field}`;
    const cgws: string[] = [];
    for (const [ip, asn] of [
      ['47.110.2.1', 65011],
      ['47.110.2.2', 65012],
    ] as const)
      cgws.push(
        (
          await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
            RegionId: REGION,
            IpAddress: ip,
            Asn: asn,
          })
        ).CustomerGatewayId,
      );
    const opened = await e.openModal(PEOPLE.requester, 'connection');
    const dual = await e.choose(PEOPLE.requester, opened, 'RegionId', { RegionId: option(REGION) });
    const modal = await e.choose(PEOPLE.requester, dual, 'EnableTunnelsBgp', {
      RegionId: option(REGION),
      EnableTunnelsBgp: option('true'),
    });
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: option(REGION),
      VpnGatewayId: option(gatewayId),
      'TunnelOptionsSpecification.1.CustomerGatewayId': option(cgws[0] ?? ''),
      'TunnelOptionsSpecification.2.CustomerGatewayId': option(cgws[1] ?? ''),
      LocalSubnet: '192.168.0.0/16',
      RemoteSubnet: '172.20.0.0/16',
      EnableTunnelsBgp: option('true'),
      [bgp(1, 'TunnelCidr')]: option('169.254.20.0/30'),
      [bgp(2, 'TunnelCidr')]: option('169.254.20.4/30'),
    });
    expect(answer.body, JSON.stringify(answer.body)).toBe('');
    const [newest] = await e.bot.store.recentInChannel(CHANNEL, 1);
    const routed = await e.requestMessage(newest?.id ?? '');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, routed);
    expect((await e.waitForState(routed.id, ['succeeded', 'failed'], 30_000)).state).toBe('succeeded');
    const result = await e.slack.waitFor(() =>
      e.slack
        .thread(CHANNEL, routed.messageTs)
        .find((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${ACTION_IDS.peerConfig}"`)),
    );
    const from = e.slack.calls.length;
    await e.click(PEOPLE.requester, ACTION_IDS.peerConfig, { ...routed, messageTs: result.ts });
    const answered = await e.slack.waitFor(() => {
      const got = privateTo(PEOPLE.requester, from);
      return blocksOf(got).some((b) => b.type === 'actions') ? got : undefined;
    });
    const text = textOf(answered);
    // Alibaba's side at .1 (AS 45104), the device at .2 with its customer gateway's AS.
    expect(text).toMatch(
      /neighbour 169\.254\.20\.1, its AS 45104; this device's AS 65011, source 169\.254\.20\.2/,
    );
    expect(text).toMatch(
      /neighbour 169\.254\.20\.5, its AS 45104; this device's AS 65012, source 169\.254\.20\.6/,
    );
    // Its keys too are looked for everywhere below.
    for (const tunnel of e.sim.state().vpnConnections.find((c) => c.ClientToken === routed.id)?.tunnels ?? [])
      keys.push(tunnel.ike.Psk);
  });

  it('never lets the keys out: no channel message, log line, audit event or Redis value holds one', async () => {
    const allowed = privateTo(PEOPLE.requester, 0);
    expect(allowed.some((c) => holdsKey(JSON.stringify(c.params)))).toBe(true);
    await expectSecretOnlyWhereAllowed(e, { redis: t, lines, allowed: allowed, holdsSecret: holdsKey });
    expect(lines.some((l) => l.includes('device configuration asked for'))).toBe(true);
  });
});
