/**
 * BGP on an IPsec connection's tunnels over signed HTTP (docs/requests.md, "BGP"): a dual-tunnel
 * connection with BGP on, between a VPN gateway and two customer gateways with AS numbers, asked
 * for with the /30s the form proposes, approved, created with each tunnel's BGP settings, and
 * announced up with both sessions established once the peers are configured, as the thread and
 * `/gateway status` show; a second connection of the same gateway asking for a /30 the first
 * holds, and a customer gateway without an AS number, refused in the form, nothing posted.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { VpcClient } from '../../src/cloud/index.js';
import type { FormValue } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { accountClient, CHANNEL, type Modal, PEOPLE, useE2E } from '../support/e2e.js';
import { testRedis } from '../support/redis.js';
import { dualTunnelValues } from '../support/workflow.js';

const t = testRedis('bgp');
const e = useE2E(t, { conformance: true });
const REGION = 'cn-hangzhou';
const CGW = [
  'TunnelOptionsSpecification.1.CustomerGatewayId',
  'TunnelOptionsSpecification.2.CustomerGatewayId',
];
const BGP = (n: 1 | 2, field: string) => `TunnelOptionsSpecification.${n}.TunnelBgpConfig.${field}`;
const option = (value: string) => ({ option: value });
let vpc: VpcClient;
let gateway: string;

beforeAll(async () => {
  vpc = accountClient(e);
  const made = await vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
    ...(await dualTunnelValues(vpc, REGION)),
    Bandwidth: 10,
  });
  gateway = made.VpnGatewayId;
  await vi.waitFor(
    async () => {
      const seen = await vpc.call<{ Status: string }>('DescribeVpnGateway', {
        RegionId: REGION,
        VpnGatewayId: gateway,
      });
      if (seen.Status !== 'active') throw new Error(seen.Status);
    },
    { timeout: 10_000, interval: 50 },
  );
});

async function customerGateway(ip: string, asn?: number): Promise<string> {
  const made = await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
    RegionId: REGION,
    IpAddress: ip,
    ...(asn ? { Asn: asn } : {}),
  });
  return made.CustomerGatewayId;
}

/** The connection form in the dual-tunnel region with BGP turned on: rendered again twice. */
async function bgpForm(): Promise<Modal> {
  const opened = await e.openModal(PEOPLE.requester, 'connection');
  const dual = await e.choose(PEOPLE.requester, opened, 'RegionId', { RegionId: option(REGION) });
  return e.choose(PEOPLE.requester, dual, 'EnableTunnelsBgp', {
    RegionId: option(REGION),
    EnableTunnelsBgp: option('true'),
  });
}

function form(cgws: readonly string[], cidrs: readonly string[]): Record<string, FormValue> {
  return {
    RegionId: option(REGION),
    VpnGatewayId: option(gateway),
    [CGW[0] as string]: option(cgws[0] ?? ''),
    [CGW[1] as string]: option(cgws[1] ?? ''),
    LocalSubnet: '192.168.0.0/16',
    RemoteSubnet: '172.16.0.0/16',
    EnableTunnelsBgp: option('true'),
    [BGP(1, 'TunnelCidr')]: option(cidrs[0] ?? ''),
    [BGP(2, 'TunnelCidr')]: option(cidrs[1] ?? ''),
  };
}

const blockIds = (modal: Modal) => (modal.view.blocks as { block_id?: string }[]).map((b) => b.block_id);
const sessionsOf = (text: string) => text.match(/success · 169\.254\.\d+\.\d+\/30 · [^"\\]*/g) ?? [];

describe('a dual-tunnel connection with BGP', () => {
  let first: ResourceRequest & { messageTs: string };
  let firstId: string;

  it('is asked for with the /30s proposed, created with each tunnel’s settings, and both sessions shown up', async () => {
    const cgws = [await customerGateway('47.110.0.1', 65001), await customerGateway('47.110.0.2', 65002)];
    const modal = await bgpForm();
    expect(blockIds(modal)).toEqual(
      expect.arrayContaining([
        'EnableTunnelsBgp',
        BGP(1, 'TunnelCidr'),
        BGP(1, 'LocalBgpIp'),
        BGP(2, 'LocalAsn'),
      ]),
    );
    expect(blockIds(modal)).not.toContain('BgpConfig.EnableBgp');
    const where = { RegionId: option(REGION), VpnGatewayId: option(gateway) };
    const one = await e.options(PEOPLE.requester, modal, BGP(1, 'TunnelCidr'), where);
    expect(one[0]?.value).toBe('169.254.10.0/30');
    const two = await e.options(PEOPLE.requester, modal, BGP(2, 'TunnelCidr'), {
      ...where,
      [BGP(1, 'TunnelCidr')]: option('169.254.10.0/30'),
    });
    expect(two[0]?.value).toBe('169.254.10.4/30');
    const typed = await e.options(PEOPLE.requester, modal, BGP(2, 'TunnelCidr'), where, '169.254.99.8/30');
    expect(typed.map((o) => o.value)).toEqual(['169.254.99.8/30']);

    const answer = await e.submit(
      PEOPLE.requester,
      modal,
      form(cgws, ['169.254.10.0/30', '169.254.10.4/30']),
    );
    expect(answer.body, JSON.stringify(answer.body)).toBe('');
    const [newest] = await e.bot.store.recentInChannel(CHANNEL, 1);
    first = await e.requestMessage(newest?.id ?? '');
    expect(first.preflight?.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['bgp_asn', 'bgp_tunnel_cidr']),
    );
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, first);
    const done = await e.waitForState(first.id, ['succeeded', 'failed'], 30_000);
    expect(done.state).toBe('succeeded');
    firstId = done.cloud.resourceId ?? '';
    const create = e.sim
      .requests()
      .find((r) => r.action === 'CreateVpnConnection' && r.params.ClientToken === first.id);
    expect(create?.params).toMatchObject({
      EnableTunnelsBgp: 'true',
      [BGP(1, 'TunnelCidr')]: '169.254.10.0/30',
      [BGP(1, 'LocalBgpIp')]: '169.254.10.1',
      [BGP(1, 'LocalAsn')]: '45104',
      [BGP(2, 'TunnelCidr')]: '169.254.10.4/30',
      [BGP(2, 'LocalBgpIp')]: '169.254.10.5',
    });
    const result = await e.slack.waitFor(() =>
      e.slack.thread(CHANNEL, first.messageTs).find((m) => m.reply_broadcast && m.text?.includes(first.id)),
    );
    expect(JSON.stringify(result.blocks)).toContain(
      'false · 169.254.10.0/30 · 169.254.10.1 AS 45104 ↔ 169.254.10.2 AS 65001',
    );

    for (const id of cgws) e.sim.configurePeer({ customerGatewayId: id });
    const up = await e.slack.waitFor(
      () => e.slack.thread(CHANNEL, first.messageTs).find((m) => m.text?.includes('are up')),
      20_000,
    );
    expect(up.text).toContain(firstId);
    expect(up.text).toContain('BGP is established in both tunnels');
    const status = await e.command(PEOPLE.requester, `status ${first.id}`);
    expect(sessionsOf(JSON.stringify(status.body))).toEqual(
      [
        '169.254.10.0/30 · 169.254.10.1 AS 45104 ↔ 169.254.10.2 AS 65001',
        '169.254.10.4/30 · 169.254.10.5 AS 45104 ↔ 169.254.10.6 AS 65002',
      ].map((s) => `success · ${s}`),
    );
  });

  it('refuses, in the form, a /30 the first connection holds and a customer gateway without an AS number', async () => {
    const cgws = [await customerGateway('47.110.0.3', 65003), await customerGateway('47.110.0.4', 65004)];
    const plain = await customerGateway('47.110.0.5');
    const modal = await bgpForm();
    const offered = await e.options(PEOPLE.requester, modal, BGP(1, 'TunnelCidr'), {
      RegionId: option(REGION),
      VpnGatewayId: option(gateway),
    });
    expect(offered.map((o) => o.value)).not.toContain('169.254.10.0/30');
    expect(offered.map((o) => o.value)).not.toContain('169.254.10.4/30');
    const before = {
      posted: e.slack.callsTo('chat.postMessage').length,
      stored: (await e.bot.store.recentInChannel(CHANNEL, 50)).length,
      creates: e.sim.requests().filter((r) => r.action === 'CreateVpnConnection').length,
    };
    const errors = async (values: Record<string, FormValue>) => {
      const answer = await e.submit(PEOPLE.requester, modal, values);
      const body = answer.body as { response_action?: string; errors?: Record<string, string> };
      expect(body.response_action).toBe('errors');
      return body.errors ?? {};
    };
    const taken = await errors(form(cgws, ['169.254.40.0/30', '169.254.10.4/30']));
    expect(Object.keys(taken)).toEqual([BGP(2, 'TunnelCidr')]);
    expect(taken[BGP(2, 'TunnelCidr')]).toContain(
      `169.254.10.4/30 is already the BGP tunnel network of connection ${firstId}`,
    );
    const noAsn = await errors(form([cgws[0] ?? '', plain], ['169.254.40.0/30', '169.254.40.4/30']));
    expect(Object.keys(noAsn)).toEqual([CGW[1]]);
    expect(noAsn[CGW[1] as string]).toContain(`Customer gateway ${plain} has no BGP AS number`);
    expect(e.slack.callsTo('chat.postMessage')).toHaveLength(before.posted);
    expect(await e.bot.store.recentInChannel(CHANNEL, 50)).toHaveLength(before.stored);
    expect(e.sim.requests().filter((r) => r.action === 'CreateVpnConnection')).toHaveLength(before.creates);
  });

  it('refuses a /30 another open request of the gateway asks for, whichever tunnel asks', async () => {
    const cgws = [await customerGateway('47.110.0.6', 65006), await customerGateway('47.110.0.7', 65007)];
    const modal = await bgpForm();
    const waiting = await e.submit(
      PEOPLE.requester,
      modal,
      form(cgws, ['169.254.50.0/30', '169.254.50.4/30']),
    );
    expect(waiting.text).toBe('');
    const others = [await customerGateway('47.110.0.8', 65008), await customerGateway('47.110.0.9', 65009)];
    const again = await e.submit(
      PEOPLE.requester,
      await bgpForm(),
      form(others, ['169.254.60.0/30', '169.254.50.0/30']),
    );
    const body = again.body as { response_action?: string; errors?: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors ?? {})).toEqual([BGP(2, 'TunnelCidr')]);
    expect(body.errors?.[BGP(2, 'TunnelCidr')]).toMatch(
      /169\.254\.50\.0\/30.*already asked for in request gw-/,
    );
  });
});
