/**
 * The whole site-to-site job over signed HTTP (docs/requests.md, "IPsec connection" and "Deletes"):
 * a VPN gateway and customer
 * gateways, the IPsec connection between them opened from the gateway's result, approved and
 * created with one request id as ClientToken, its pre-shared key shown only to the requester and
 * the approvers and found nowhere else, the tunnels announced once when the peer is configured (or
 * named when they never come up), and deletes that refuse while something depends on a gateway.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { VpcClient } from '../../src/cloud/index.js';
import { controllingParams, resourceByWord } from '../../src/resources/index.js';
import type { FormValue } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import {
  accountClient,
  CHANNEL,
  expectSecretOnlyWhereAllowed,
  PEOPLE,
  until,
  useE2E,
} from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';
import { testRedis } from '../support/redis.js';
import { dualTunnelValues, SINGLE_TUNNEL_REGION, seededVpc } from '../support/workflow.js';

const t = testRedis('connections');
const { logger, lines } = capturedLogger();
const e = useE2E(t, {
  env: { LOG_LEVEL: 'trace' },
  overrides: { logger, simulator: { deleteTimeMs: 300 } },
  conformance: true,
});
let vpc: VpcClient;

beforeAll(() => {
  vpc = accountClient(e);
});

type Values = Record<string, FormValue>;

/** Waits for an async condition (the store) to give a value. */
const option = (value: string) => ({ option: value });

/** The request a submission just made (the newest in the channel), once its message is posted. */
async function latest(): Promise<ResourceRequest & { messageTs: string }> {
  const [newest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  return e.requestMessage(newest?.id ?? '');
}

async function approveAndFinish(request: ResourceRequest & { messageTs: string }) {
  const answer = await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
  expect(answer.status).toBe(200);
  const done = await e.waitForState(request.id, ['succeeded', 'failed'], 30_000);
  expect(done.error).toBeUndefined();
  expect(done.state).toBe('succeeded');
  await e.slack
    .waitFor(() =>
      e.slack
        .thread(CHANNEL, request.messageTs)
        .find((m) => m.reply_broadcast && m.text?.includes(request.id)),
    )
    .catch((err) => {
      console.log(
        JSON.stringify(e.slack.thread(CHANNEL, request.messageTs).map((m) => [m.text, m.reply_broadcast])),
      );
      console.log(
        JSON.stringify(e.slack.calls.filter((c) => c.status !== 200 || c.response.ok !== true).slice(-3)),
      );
      throw err;
    });
  return done;
}

/** Opens a modal, chooses the region, submits it and carries the request through approval to success. */
async function through(word: string, values: Values) {
  const opened = await e.openModal(PEOPLE.requester, word);
  // Where the region decides what the form asks (dual-tunnel), the modal is re-rendered first.
  const resource = resourceByWord(word);
  const modal =
    resource && controllingParams(resource).has('RegionId')
      ? await e.choose(PEOPLE.requester, opened, 'RegionId', { RegionId: values.RegionId ?? '' })
      : opened;
  const answer = await e.submit(PEOPLE.requester, modal, values);
  expect(answer.body, JSON.stringify(answer.body)).toBe('');
  return approveAndFinish(await latest());
}

async function vpnGateway(region: string): Promise<ResourceRequest> {
  const values: Values =
    region === SINGLE_TUNNEL_REGION
      ? { RegionId: option(region), VpcId: option(await seededVpc(vpc, region)) }
      : Object.fromEntries(
          Object.entries(await dualTunnelValues(vpc, region)).map(([k, v]) => [k, option(v)]),
        );
  return through('vpn', {
    ...values,
    Bandwidth: option('10'),
    InstanceChargeType: option('POSTPAY'),
    EnableIpsec: ['true'],
    NetworkType: option('public'),
    VpnType: option('Normal'),
  });
}

const customerGateway = (region: string, ip: string) =>
  through('customer', { RegionId: option(region), IpAddress: ip });

/** The last message the bot posted in a thread that carries a given action. */
function resultWith(request: ResourceRequest & { messageTs?: string }, actionId: string) {
  const thread = e.slack.thread(CHANNEL, request.messageTs ?? '');
  return thread.find((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`));
}

/** A click on a button of a thread message (its ts, not the request message's). */
function clickIn(user: string, actionId: string, request: ResourceRequest, messageTs: string) {
  return e.click(user, actionId, { ...request, messageTs });
}

describe('an IPsec connection in a dual-tunnel region', () => {
  let gateway: ResourceRequest;
  let connection: ResourceRequest & { messageTs: string };
  let cgws: string[];

  it('is opened from the VPN gateway’s result, approved, and created with both tunnels', async () => {
    gateway = await vpnGateway('cn-hangzhou');
    const one = await customerGateway('cn-hangzhou', '47.100.1.1');
    const two = await customerGateway('cn-hangzhou', '47.100.1.2');
    cgws = [one.cloud.resourceId ?? '', two.cloud.resourceId ?? ''];
    const result = resultWith(gateway, ACTION_IDS.connect);
    expect(result, 'the gateway result offers to connect').toBeDefined();

    const opened = e.slack.callsTo('views.open').length;
    await clickIn(PEOPLE.requester, ACTION_IDS.connect, gateway, result?.ts ?? '');
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opened]);
    const view = call.params.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[];
    };
    expect(view.callback_id).toBe('create_vpn_connection');
    const initial = (id: string) =>
      view.blocks.find((b) => b.block_id === id)?.element?.initial_option?.value;
    expect(initial('RegionId')).toBe('cn-hangzhou');
    expect(initial('VpnGatewayId')).toBe(gateway.cloud.resourceId);
    const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
    expect(ids).toEqual(
      expect.arrayContaining([
        'TunnelOptionsSpecification.1.CustomerGatewayId',
        'TunnelOptionsSpecification.2.CustomerGatewayId',
        'LocalSubnet',
        'RemoteSubnet',
        'IkeConfig.IkeVersion',
      ]),
    );
    expect(ids).not.toContain('CustomerGatewayId');
    const modal = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    const where = { RegionId: option('cn-hangzhou') };
    const gateways = await e.options(PEOPLE.requester, modal, 'VpnGatewayId', where);
    expect(gateways.map((g) => g.value)).toEqual([gateway.cloud.resourceId]);
    // The gateway filled in shows as its pick-list shows one (name, id, public IPs), not as a bare
    // id; the name is the one asked for (none here: the cloud's list shows its id in its place).
    const filled = view.blocks.find((b) => b.block_id === 'VpnGatewayId')?.element?.initial_option as
      | { text?: { text: string } }
      | undefined;
    const id = gateway.cloud.resourceId ?? '';
    const ips = [gateway.cloud.facts.InternetIp, gateway.cloud.facts.DisasterRecoveryInternetIp];
    expect(filled?.text?.text).toBe(['—', id, ...ips].join(' · '));
    expect(gateways[0]?.text.split(' · ')[1]).toBe(id);
    // The local networks' hint is the gateway's VPC's own range, read from the account.
    const vpcId = String(gateway.params.VpcId);
    const vpcs = await vpc.call<{ Vpcs: { Vpc: { CidrBlock: string }[] } }>('DescribeVpcs', {
      RegionId: 'cn-hangzhou',
      VpcId: vpcId,
    });
    const range = vpcs.Vpcs.Vpc[0]?.CidrBlock ?? 'no range';
    const placeholder = (v: { blocks: unknown }) =>
      (v.blocks as { block_id?: string; element?: { placeholder?: { text: string } } }[]).find(
        (b) => b.block_id === 'LocalSubnet',
      )?.element?.placeholder?.text;
    expect(placeholder(view)).toBe(`e.g. ${range} (the VPC ${vpcId} of ${id})`);
    // Chosen in the form instead, the gateway brings the same hint when the form is drawn again.
    const fresh = await e.openModal(PEOPLE.requester, 'connection');
    expect(placeholder(fresh.view as { blocks: unknown })).toBe('e.g. 192.168.0.0/16');
    const region = await e.choose(PEOPLE.requester, fresh, 'RegionId', where);
    const chosen = await e.choose(PEOPLE.requester, region, 'VpnGatewayId', {
      ...where,
      VpnGatewayId: option(id),
    });
    expect(placeholder(chosen.view as { blocks: unknown })).toBe(`e.g. ${range} (the VPC ${vpcId} of ${id})`);
    const offered = await e.options(
      PEOPLE.requester,
      modal,
      'TunnelOptionsSpecification.2.CustomerGatewayId',
      where,
    );
    expect(offered.map((o) => o.value).sort()).toEqual([...cgws].sort());

    const answer = await e.submit(PEOPLE.requester, modal, {
      ...where,
      VpnGatewayId: option(gateway.cloud.resourceId ?? ''),
      'TunnelOptionsSpecification.1.CustomerGatewayId': option(cgws[0] ?? ''),
      'TunnelOptionsSpecification.2.CustomerGatewayId': option(cgws[1] ?? ''),
      LocalSubnet: '192.168.0.0/16',
      RemoteSubnet: '172.16.0.0/16, 172.17.0.0/16',
      Name: 'office link',
      EffectImmediately: option('true'),
      'IkeConfig.IkeVersion': option('ikev2'),
    });
    expect(answer.body, JSON.stringify(answer.body)).toBe('');
    connection = await latest();
    expect(connection.resource).toBe('vpn_connection');
    expect(connection.preflight?.ok).toBe(true);
    const root = JSON.stringify(e.slack.workspace.findMessage(CHANNEL, connection.messageTs)?.blocks);
    expect(root).toContain('asks for an *IPsec connection*');
    expect(root).toContain('172.16.0.0/16,172.17.0.0/16');
    expect(root).toContain('Left at their defaults');

    // A double click approves once and creates once.
    await Promise.all([
      e.click(PEOPLE.lead1, ACTION_IDS.approve, connection),
      e.click(PEOPLE.lead1, ACTION_IDS.approve, connection),
    ]);
    const done = await e.waitForState(connection.id, ['succeeded', 'failed'], 30_000);
    expect(done.state).toBe('succeeded');
    const creates = e.sim.requests().filter((r) => r.action === 'CreateVpnConnection');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.params).toMatchObject({
      ClientToken: connection.id,
      VpnGatewayId: gateway.cloud.resourceId,
      'TunnelOptionsSpecification.1.Role': 'master',
      'TunnelOptionsSpecification.1.CustomerGatewayId': cgws[0],
      'TunnelOptionsSpecification.2.Role': 'slave',
      'TunnelOptionsSpecification.2.TunnelIkeConfig.IkeVersion': 'ikev2',
      EffectImmediately: 'true',
    });
    expect(Object.keys(creates[0]?.params ?? {}).some((k) => /psk/i.test(k))).toBe(false);
    expect(e.sim.state().vpnConnections.filter((c) => c.ClientToken === connection.id)).toHaveLength(1);
    const posted = await e.slack.waitFor(() => resultWith(connection, ACTION_IDS.revealPsk));
    const shown = JSON.stringify(posted?.blocks);
    expect(shown).toContain(done.cloud.resourceId ?? 'none');
    expect(shown).toContain('Tunnel 1 (active)');
    expect(shown).toContain('ike_sa_not_established');
  });

  it('shows the key to the requester and an approver only, read at the click, and audits a refusal', async () => {
    const result = resultWith(connection, ACTION_IDS.revealPsk);
    const ts = result?.ts ?? '';
    const keys = e.sim
      .state()
      .vpnConnections.find((c) => c.ClientToken === connection.id)
      ?.tunnels.map((tunnel) => tunnel.ike.Psk);
    expect(keys).toHaveLength(2);
    const before = e.slack.callsTo('chat.postEphemeral').length;
    const reads = () => e.sim.requests().filter((r) => r.action === 'DescribeVpnConnection').length;
    const readsBefore = reads();
    for (const user of [PEOPLE.requester, PEOPLE.lead2, PEOPLE.outsider]) {
      await clickIn(user, ACTION_IDS.revealPsk, connection, ts);
      await e.slack.waitFor(() =>
        e.slack
          .callsTo('chat.postEphemeral')
          .slice(before)
          .find((c) => c.params.user === user),
      );
    }
    const answers = e.slack.callsTo('chat.postEphemeral').slice(before);
    const to = (user: string) =>
      JSON.stringify(answers.filter((c) => c.params.user === user).map((c) => c.params));
    for (const key of keys ?? []) {
      expect(to(PEOPLE.requester)).toContain(key);
      expect(to(PEOPLE.lead2)).toContain(key);
      expect(to(PEOPLE.outsider)).not.toContain(key);
    }
    expect(to(PEOPLE.lead2)).toContain('隧道 1');
    expect(to(PEOPLE.outsider)).toMatch(/Only the person who asked for this connection and the approvers/);
    // Read from the cloud at each allowed click, never from a copy.
    expect(reads() - readsBefore).toBe(2);
    const audit = await e.bot.store.auditTrail(connection.id);
    expect(audit.filter((a) => a.action === 'reveal').map((a) => [a.actor, a.refused])).toEqual([
      [PEOPLE.requester, undefined],
      [PEOPLE.lead2, undefined],
      [PEOPLE.outsider, 'not_allowed'],
    ]);
  });

  it('announces the tunnels once, when both peers are configured', async () => {
    const id = (await e.bot.store.mustGet(connection.id)).cloud.resourceId ?? '';
    const upMessages = () =>
      e.slack.thread(CHANNEL, connection.messageTs).filter((m) => m.text?.includes('are up'));
    e.sim.configurePeer({ customerGatewayId: cgws[0] ?? '' });
    // One tunnel up is not enough: give the sweep several looks.
    await until(async () => {
      const r = await e.bot.store.mustGet(connection.id);
      return r.cloud.facts.Tunnel1?.endsWith('ipsec_sa_established') ? r : undefined;
    });
    expect(upMessages()).toHaveLength(0);
    e.sim.configurePeer({ customerGatewayId: cgws[1] ?? '' });
    await e.slack.waitFor(() => upMessages()[0]);
    const settled = await e.bot.store.mustGet(connection.id);
    expect(settled.settle?.outcome).toBe('settled');
    expect(upMessages()[0]?.text).toContain(id);
    // Later sweeps and the reconciler say nothing more.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(upMessages()).toHaveLength(1);
    expect(await e.bot.store.activeIds()).not.toContain(connection.id);
  });

  it('refuses to delete a gateway a connection uses, then deletes the connection and the gateway', async () => {
    const gw = gateway.cloud.resourceId ?? '';
    const vco = (await e.bot.store.mustGet(connection.id)).cloud.resourceId ?? '';
    const ephemeral = () => e.slack.callsTo('chat.postEphemeral').at(-1)?.params.text as string | undefined;
    const stored = (await e.bot.store.recentInChannel(CHANNEL, 100)).length;
    const count = e.slack.callsTo('chat.postEphemeral').length;
    await e.command(PEOPLE.requester, `delete ${gw}`);
    await e.slack.waitFor(() => e.slack.callsTo('chat.postEphemeral')[count]);
    expect(ephemeral()).toContain(`is used by IPsec connection ${vco}`);
    expect((await e.bot.store.recentInChannel(CHANNEL, 100)).length).toBe(stored);

    await e.command(PEOPLE.requester, `delete ${vco}`);
    const deletion = await until(async () => {
      const [r] = await e.bot.store.recentInChannel(CHANNEL, 1);
      return r?.operation === 'delete' && r.messageTs
        ? (r as ResourceRequest & { messageTs: string })
        : undefined;
    });
    expect(deletion.cloud.resourceId).toBe(vco);
    const root = JSON.stringify(e.slack.workspace.findMessage(CHANNEL, deletion.messageTs)?.blocks);
    expect(root).toContain('asks to *delete*');
    expect(root).toContain('Approve deletion');
    const deleted = await approveAndFinish(deletion);
    expect(deleted.cloud.resourceId).toBe(vco);
    const deletes = e.sim.requests().filter((r) => r.action === 'DeleteVpnConnection');
    expect(deletes.map((r) => r.params.ClientToken)).toEqual([deletion.id]);
    expect(e.sim.state().vpnConnections.find((c) => c.VpnConnectionId === vco)).toBeUndefined();

    // Nothing depends on the gateway now: deleted, watched while Alibaba lists it as deleting.
    await e.command(PEOPLE.requester, `delete ${gw}`);
    const gwDeletion = await until(async () => {
      const [r] = await e.bot.store.recentInChannel(CHANNEL, 1);
      return r?.operation === 'delete' && r.cloud.resourceId === gw && r.messageTs
        ? (r as ResourceRequest & { messageTs: string })
        : undefined;
    });
    const gone = await approveAndFinish(gwDeletion);
    expect(gone.cloud.status).toBe('deleted');
    expect(
      e.sim
        .requests()
        .filter((r) => r.action === 'DeleteVpnGateway')
        .map((r) => r.params.ClientToken),
    ).toEqual([gwDeletion.id]);
    expect(e.sim.state().vpnGateways.find((g) => g.VpnGatewayId === gw)).toBeUndefined();
    const thread = e.slack.thread(CHANNEL, gwDeletion.messageTs).map((m) => m.text ?? '');
    expect(thread.some((x) => x.includes(`VPN gateway ${gw} is deleted`))).toBe(true);
  });

  it('never lets the key out: no Slack call but the two answers, no log line, audit event or Redis value', async () => {
    const keys =
      e.sim
        .state()
        .vpnConnections.flatMap((c) => c.tunnels.map((tunnel) => tunnel.ike.Psk))
        .concat(
          // The deleted connection's keys, from the answers that showed them.
          e.slack
            .callsTo('chat.postEphemeral')
            .flatMap(
              (c) => JSON.stringify(c.params).match(/Tunnel \d \(tun-[^)]*\): ([A-Za-z0-9]{16})/g) ?? [],
            )
            .map((m) => m.slice(-16)),
        ) ?? [];
    expect(keys.length).toBeGreaterThan(0);
    const shown = e.slack
      .callsTo('chat.postEphemeral')
      .filter((c) => keys.some((k) => JSON.stringify(c.params).includes(k)));
    expect(shown.map((c) => c.params.user).sort()).toEqual([PEOPLE.lead2, PEOPLE.requester].sort());
    await expectSecretOnlyWhereAllowed(e, {
      redis: t,
      lines,
      allowed: shown,
      holdsSecret: (x) => keys.some((k) => x.includes(k)),
    });
    expect(lines.some((l) => l.includes(connection.id))).toBe(true);
  });
});

describe('an IPsec connection in a single-tunnel region', () => {
  it('asks for one customer gateway, sends JSON settings, and is created', async () => {
    const gateway = await vpnGateway(SINGLE_TUNNEL_REGION);
    const cgw = await customerGateway(SINGLE_TUNNEL_REGION, '47.100.2.1');
    const opened = await e.openModal(PEOPLE.requester, 'connection');
    const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', {
      RegionId: option(SINGLE_TUNNEL_REGION),
    });
    const ids = (modal.view.blocks as { block_id?: string }[]).map((b) => b.block_id);
    expect(ids).toContain('CustomerGatewayId');
    expect(ids).not.toContain('TunnelOptionsSpecification.1.CustomerGatewayId');
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: option(SINGLE_TUNNEL_REGION),
      VpnGatewayId: option(gateway.cloud.resourceId ?? ''),
      CustomerGatewayId: option(cgw.cloud.resourceId ?? ''),
      LocalSubnet: '10.10.0.0/16',
      RemoteSubnet: '10.20.0.0/16',
    });
    expect(answer.body, JSON.stringify(answer.body)).toBe('');
    const request = await latest();
    const done = await approveAndFinish(request);
    const create = e.sim
      .requests()
      .find((r) => r.action === 'CreateVpnConnection' && r.params.ClientToken === request.id);
    expect(create?.params.CustomerGatewayId).toBe(cgw.cloud.resourceId);
    expect(JSON.parse(String(create?.params.IkeConfig))).toMatchObject({
      IkeVersion: 'ikev1',
      IkeLifetime: 86_400,
    });
    expect(create?.params['TunnelOptionsSpecification.1.CustomerGatewayId']).toBeUndefined();
    expect(done.cloud.facts.Tunnel1).toContain(cgw.cloud.resourceId);
  });
});

describe('bad input', () => {
  it('refuses overlapping or malformed networks, a gateway not yet active and a customer gateway of another region, creating nothing', async () => {
    const cgwOther = await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: 'cn-shanghai',
      IpAddress: '47.100.3.1',
    });
    const cgwHere = await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: SINGLE_TUNNEL_REGION,
      IpAddress: '47.100.3.2',
    });
    e.sim.setProvisionTime(3_600_000);
    const slow = await vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
      RegionId: SINGLE_TUNNEL_REGION,
      VpcId: await seededVpc(vpc, SINGLE_TUNNEL_REGION),
      Bandwidth: 10,
    });
    e.sim.setProvisionTime(400);
    const creates = () => e.sim.requests().filter((r) => r.action === 'CreateVpnConnection').length;
    const before = { creates: creates(), stored: (await e.bot.store.recentInChannel(CHANNEL, 200)).length };
    const opened = await e.openModal(PEOPLE.requester, 'connection');
    const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', {
      RegionId: option(SINGLE_TUNNEL_REGION),
    });
    const form = {
      RegionId: option(SINGLE_TUNNEL_REGION),
      VpnGatewayId: option(slow.VpnGatewayId),
      CustomerGatewayId: option(cgwHere.CustomerGatewayId),
      LocalSubnet: '10.10.0.0/16',
      RemoteSubnet: '10.20.0.0/16',
    };
    const errors = async (values: Values) => {
      const answer = await e.submit(PEOPLE.requester, modal, values);
      return (answer.body as { errors?: Record<string, string> }).errors ?? {};
    };
    expect((await errors({ ...form, RemoteSubnet: '10.10.4.0/24' })).RemoteSubnet).toMatch(
      /overlaps the local network/,
    );
    expect((await errors({ ...form, LocalSubnet: '10.10.0.0' })).LocalSubnet).toMatch(/not a CIDR block/);
    expect((await errors(form)).VpnGatewayId).toMatch(/not active/);
    // The gateway list offers only gateways that can take a connection now.
    const offered = await e.options(PEOPLE.requester, modal, 'VpnGatewayId', {
      RegionId: option(SINGLE_TUNNEL_REGION),
    });
    expect(offered.map((o) => o.value)).not.toContain(slow.VpnGatewayId);
    expect(
      (
        await errors({
          ...form,
          VpnGatewayId: option(offered[0]?.value ?? ''),
          CustomerGatewayId: option(cgwOther.CustomerGatewayId),
        })
      ).CustomerGatewayId,
    ).toMatch(/is not in me-east-1/);
    expect(creates()).toBe(before.creates);
    expect((await e.bot.store.recentInChannel(CHANNEL, 200)).length).toBe(before.stored);
  });

  it('refuses a network given twice or inside another of its side, posting and creating nothing; takes 0.0.0.0/0 on one side', async () => {
    const gateway = await vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
      RegionId: SINGLE_TUNNEL_REGION,
      VpcId: await seededVpc(vpc, SINGLE_TUNNEL_REGION),
      Bandwidth: 10,
    });
    const cgw = await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: SINGLE_TUNNEL_REGION,
      IpAddress: '47.100.4.1',
    });
    await until(async () => {
      const seen = await vpc.call<{ Status: string }>('DescribeVpnGateway', {
        RegionId: SINGLE_TUNNEL_REGION,
        VpnGatewayId: gateway.VpnGatewayId,
      });
      return seen.Status === 'active' ? seen : undefined;
    });
    const creates = () => e.sim.requests().filter((r) => r.action === 'CreateVpnConnection');
    const before = {
      creates: creates().length,
      posted: e.slack.callsTo('chat.postMessage').length,
      stored: (await e.bot.store.recentInChannel(CHANNEL, 200)).length,
    };
    const opened = await e.openModal(PEOPLE.requester, 'connection');
    const modal = await e.choose(PEOPLE.requester, opened, 'RegionId', {
      RegionId: option(SINGLE_TUNNEL_REGION),
    });
    const form = {
      RegionId: option(SINGLE_TUNNEL_REGION),
      VpnGatewayId: option(gateway.VpnGatewayId),
      CustomerGatewayId: option(cgw.CustomerGatewayId),
      LocalSubnet: '10.10.0.0/16',
    };
    const errors = async (values: Values) => {
      const answer = await e.submit(PEOPLE.requester, modal, values);
      return (answer.body as { errors?: Record<string, string> }).errors ?? {};
    };
    expect(await errors({ ...form, RemoteSubnet: '10.3.0.0/16,10.3.0.0/16' })).toEqual({
      RemoteSubnet: 'Remote networks (your site): "10.3.0.0/16" is given twice. Keep it once.',
    });
    expect(await errors({ ...form, RemoteSubnet: '10.8.0.0/16,10.8.1.0/24' })).toEqual({
      RemoteSubnet:
        'Remote networks (your site): "10.8.1.0/24" lies inside "10.8.0.0/16", which this side already has. Remove 10.8.1.0/24, or correct the block you mistyped.',
    });
    expect(
      await errors({ ...form, LocalSubnet: '0.0.0.0/0, 10.10.0.0/16', RemoteSubnet: '10.30.0.0/16' }),
    ).toEqual({
      LocalSubnet:
        'Local networks (VPC side): "10.10.0.0/16" lies inside "0.0.0.0/0", which this side already has. Remove 10.10.0.0/16, or correct the block you mistyped.',
    });
    expect(creates()).toHaveLength(before.creates);
    expect(e.slack.callsTo('chat.postMessage')).toHaveLength(before.posted);
    expect((await e.bot.store.recentInChannel(CHANNEL, 200)).length).toBe(before.stored);

    // 0.0.0.0/0 alone on the local side, as Alibaba's multi-site guides set it: asked for, approved, created.
    const answer = await e.submit(PEOPLE.requester, modal, {
      ...form,
      LocalSubnet: '0.0.0.0/0',
      RemoteSubnet: '10.30.0.0/16, 10.40.0.0/16',
    });
    expect(answer.body, JSON.stringify(answer.body)).toBe('');
    const request = await latest();
    await approveAndFinish(request);
    const created = creates().find((r) => r.params.ClientToken === request.id);
    expect([created?.params.LocalSubnet, created?.params.RemoteSubnet]).toEqual([
      '0.0.0.0/0',
      '10.30.0.0/16,10.40.0.0/16',
    ]);
  });

  it('answers a delete of an unknown id or something that is not an id privately, asking nothing', async () => {
    const stored = (await e.bot.store.recentInChannel(CHANNEL, 200)).length;
    for (const [typed, said] of [
      [
        'vpn-0doesnotexist0000000',
        /it is in no region of this Alibaba Cloud account, or it was not made or adopted by the bot from this channel/,
      ],
      ['cgw-0doesnotexist0000000', /it is in no region of this Alibaba Cloud account/],
      ['vpc-0000000000000000001', /not an id I can delete/],
      ['<!channel>', /not an id I can delete/],
    ] as const) {
      const count = e.slack.callsTo('chat.postEphemeral').length;
      const answer = await e.command(PEOPLE.requester, `delete ${typed}`);
      expect(JSON.stringify(answer.body)).not.toContain('<!channel>');
      const told = await e.slack.waitFor(() => e.slack.callsTo('chat.postEphemeral')[count]);
      expect(String(told.params.text)).toMatch(said);
    }
    const missing = await e.command(PEOPLE.requester, 'delete');
    expect(JSON.stringify(missing.body)).toMatch(/Tell me what to delete/);
    expect((await e.bot.store.recentInChannel(CHANNEL, 200)).length).toBe(stored);
    expect(e.sim.requests().filter((r) => r.action.startsWith('Delete') && !r.params.ClientToken)).toEqual(
      [],
    );
  });
});
