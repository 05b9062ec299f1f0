/**
 * What a deletion request, a result that leads somewhere, and an IPsec connection's tunnels read
 * like: the words follow the operation (nothing "created" by a delete), the destructive button asks
 * first, names a person once typed stay inert, and the tunnel messages come once, from the record.
 */
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderRequestMessage, renderThreadMessage } from '../../src/slack/render.js';
import type { ResourceRequest } from '../../src/workflow/types.js';

const NOW = 1_800_000_000_000;
const CTX = { sandbox: false, requiredApprovals: 1, now: NOW, locale: 'en' as const };

function request(over: Partial<ResourceRequest>): ResourceRequest {
  return {
    id: 'gw-20270115-abcdefghij',
    operation: 'create',
    resource: 'vpn_gateway',
    account: 'default',
    params: { RegionId: 'cn-hangzhou' },
    paramsHash: 'hash',
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    messageTs: '1800000000.000100',
    locale: 'en',
    state: 'pending_approval',
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    expiresAt: NOW + 3_600_000,
    approvals: [],
    cloud: { facts: {}, requestIds: [] },
    ...over,
  };
}

const deletion = (over: Partial<ResourceRequest> = {}) =>
  request({
    operation: 'delete',
    params: { RegionId: 'cn-hangzhou', VpnGatewayId: 'vpn-0000000000000001' },
    cloud: { resourceId: 'vpn-0000000000000001', facts: {}, requestIds: [] },
    target: [
      { label: { en: 'Name', 'zh-CN': '名称' }, value: '*prod* <!channel>\nApproved', typed: true },
      { label: { en: 'Status', 'zh-CN': '状态' }, value: 'active' },
    ],
    ...over,
  });

const textOf = (blocks: readonly KnownBlock[]) => JSON.stringify(blocks);
type Button = { action_id: string; value: string; style?: string; confirm?: { text: { text: string } } };
const buttons = (blocks: readonly KnownBlock[]): Button[] =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as unknown as Button[]) : []));

describe('a deletion request', () => {
  it('says what will be deleted, with a typed name inert, and asks before the destructive click', () => {
    const { blocks, text } = renderRequestMessage(deletion(), CTX);
    const all = textOf(blocks);
    expect(all).toContain('asks to *delete* the VPN gateway `vpn-0000000000000001` in `cn-hangzhou`');
    expect(all).toContain('*What will be deleted*');
    // The name keeps its characters but is one inert code span, with no mention or new line.
    expect(all).not.toContain('<!channel>');
    expect(all).not.toMatch(/\\n\*?Approved/);
    expect(text).toMatch(/^Deletion of VPN gateway vpn-0000000000000001/);
    const approve = buttons(blocks).find((b) => b.action_id === 'approve_request');
    expect(approve?.style).toBe('danger');
    expect(approve?.confirm?.text.text).toMatch(/cannot be undone/);
    expect(buttons(blocks).find((b) => b.action_id === 'reject_request')?.style).toBeUndefined();
  });

  it('speaks of deleting, not creating, through to the end', () => {
    const approved = deletion({ state: 'approved', approvals: [{ userId: 'U0LEAD1', at: NOW }] });
    const said = (event: 'approved' | 'creating' | 'provisioning' | 'rejected', r: ResourceRequest) =>
      renderThreadMessage({ requestId: r.id, event, at: NOW }, r, CTX)?.text ?? '';
    expect(said('approved', approved)).toMatch(/will be deleted now/);
    expect(said('creating', approved)).toMatch(/Deleting the VPN gateway/);
    expect(said('provisioning', approved)).toMatch(/accepted the deletion/);
    const rejected = deletion({
      state: 'rejected',
      rejection: { userId: 'U0LEAD1', reason: 'not yet', at: NOW },
    });
    expect(
      JSON.stringify(
        renderThreadMessage({ requestId: rejected.id, event: 'rejected', at: NOW }, rejected, CTX),
      ),
    ).toContain('Nothing was deleted.');
    const done = deletion({ state: 'succeeded', finishedAt: NOW + 60_000, approvedAt: NOW });
    const result = renderThreadMessage({ requestId: done.id, event: 'succeeded', at: NOW }, done, CTX);
    expect(result?.broadcast).toBe(true);
    expect(result?.text).toBe(
      '<@U0ASKER> VPN gateway vpn-0000000000000001 is deleted (request gw-20270115-abcdefghij).',
    );
    expect(buttons(result?.blocks ?? [])).toEqual([]);
  });
});

describe('results that lead somewhere', () => {
  it('offers to connect a new VPN gateway, and nothing for a failed one', () => {
    const done = request({
      state: 'succeeded',
      params: { RegionId: 'cn-hangzhou', VpcId: 'vpc-1', Bandwidth: 10 },
      cloud: { resourceId: 'vpn-0000000000000001', facts: {}, requestIds: [] },
    });
    const ok = renderThreadMessage({ requestId: done.id, event: 'succeeded', at: NOW }, done, CTX);
    expect(buttons(ok?.blocks ?? []).map((b) => [b.action_id, b.value])).toEqual([
      ['connect_gateways', done.id],
    ]);
    const failed = {
      ...done,
      state: 'failed' as const,
      error: { code: 'X', retryable: false, what: { en: 'x', 'zh-CN': 'x' }, todo: { en: '', 'zh-CN': '' } },
    };
    const no = renderThreadMessage({ requestId: done.id, event: 'failed', at: NOW }, failed, CTX);
    expect(buttons(no?.blocks ?? [])).toEqual([]);
  });

  it('offers the key and the device configuration of a new IPsec connection by button only, never in the message', () => {
    const done = request({
      resource: 'vpn_connection',
      account: 'default',
      state: 'succeeded',
      params: {
        RegionId: 'cn-hangzhou',
        VpnGatewayId: 'vpn-1',
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '172.16.0.0/16',
      },
      cloud: {
        resourceId: 'vco-0000000000000001',
        facts: {
          Tunnel1: 'tun-1 · cgw-1 · ike_sa_not_established',
          Tunnel1Role: 'master',
          Tunnel2: 'tun-2 · cgw-2 · ike_sa_not_established',
          Tunnel2Role: 'slave',
        },
        requestIds: [],
      },
    });
    const shown = renderThreadMessage({ requestId: done.id, event: 'succeeded', at: NOW }, done, CTX);
    expect(buttons(shown?.blocks ?? []).map((b) => b.action_id)).toEqual(['reveal_psk', 'peer_config']);
    const all = textOf(shown?.blocks ?? []);
    expect(all).toContain('Tunnel 1 (active)');
    expect(all).toContain('tun-2 · cgw-2 · ike_sa_not_established');
  });

  it('says once that the tunnels are up, or which never came up, from the recorded outcome only', () => {
    const base = {
      resource: 'vpn_connection',
      account: 'default',
      state: 'succeeded' as const,
      finishedAt: NOW,
      params: { RegionId: 'cn-hangzhou' },
    };
    const facts = {
      Tunnel1: 'tun-1 · cgw-1 · ipsec_sa_established',
      Tunnel1Role: 'master',
      Tunnel2: 'tun-2 · cgw-2 · ike_sa_not_established',
      Tunnel2Role: 'slave',
    };
    const waiting = request({
      ...base,
      settle: { until: NOW + 1 },
      cloud: { resourceId: 'vco-1', facts, requestIds: [] },
    });
    expect(
      renderThreadMessage({ requestId: waiting.id, event: 'settled', at: NOW }, waiting, CTX),
    ).toBeUndefined();
    const unsettled = request({
      ...base,
      settle: { until: NOW + 7_200_000, outcome: 'unsettled', at: NOW + 7_200_000 },
      cloud: { resourceId: 'vco-1', facts, requestIds: [] },
    });
    const late = renderThreadMessage(
      { requestId: unsettled.id, event: 'unsettled', at: NOW },
      unsettled,
      CTX,
    );
    expect(late?.text).toMatch(/After 2h/);
    expect(late?.text).toContain('Tunnel 2 (standby): tun-2 · cgw-2 · ike_sa_not_established');
    expect(late?.text).not.toContain('Tunnel 1 (active)');
    expect(late?.text).toMatch(/UDP 500 and 4500/);
    const up = request({
      ...base,
      settle: { until: NOW + 7_200_000, outcome: 'settled', at: NOW + 60_000 },
      cloud: {
        resourceId: 'vco-1',
        facts: { ...facts, Tunnel2: 'tun-2 · cgw-2 · ipsec_sa_established' },
        requestIds: [],
      },
    });
    const zh = renderThreadMessage({ requestId: up.id, event: 'settled', at: NOW }, up, {
      ...CTX,
      locale: 'zh-CN',
    });
    expect(zh?.text).toMatch(/两条隧道均已建立/);
    expect(renderThreadMessage({ requestId: up.id, event: 'settled', at: NOW }, up, CTX)?.text).toMatch(
      /Both tunnels of `vco-1` are up/,
    );
  });
});

describe('outcomes addressed to the requester', () => {
  const firstSection = (blocks: readonly KnownBlock[]) =>
    (blocks.find((b) => b.type === 'section') as { text: { text: string } } | undefined)?.text.text ?? '';

  it('names the requester first in a result, a failure and a rejection, so that Slack tells them', () => {
    const outcomes = [
      request({
        state: 'succeeded',
        finishedAt: NOW + 60_000,
        approvedAt: NOW,
        cloud: { resourceId: 'vpn-0000000000000001', status: 'active', facts: {}, requestIds: [] },
      }),
      request({
        state: 'failed',
        finishedAt: NOW + 60_000,
        error: {
          code: 'QuotaExceeded.VpnGateway',
          what: { en: 'The quota is used up.', 'zh-CN': '配额已用完。' },
          todo: { en: 'Ask for more.', 'zh-CN': '申请提升配额。' },
          retryable: false,
        },
      }),
      request({ state: 'rejected', rejection: { userId: 'U0LEAD1', reason: 'not *now*', at: NOW } }),
    ];
    const events = ['succeeded', 'failed', 'rejected'] as const;
    outcomes.forEach((r, i) => {
      const told = renderThreadMessage({ requestId: r.id, event: events[i] ?? 'succeeded', at: NOW }, r, CTX);
      expect(told?.text, events[i]).toMatch(/^<@U0ASKER> /);
      expect(firstSection(told?.blocks ?? []), events[i]).toMatch(/^(:\w+: )?<@U0ASKER> /);
    });
    // Progress is not an outcome: nobody is called for it.
    const creating = request({ state: 'creating' });
    expect(
      renderThreadMessage({ requestId: creating.id, event: 'creating', at: NOW }, creating, CTX)?.text,
    ).not.toContain('<@U0ASKER>');
  });
});

describe('an adopted connection’s tunnel back up', () => {
  const label = { en: 'Tunnel 2 (standby) tun-2', 'zh-CN': '隧道 2（备）tun-2' };
  const adopted = (downSince: number) =>
    request({
      operation: 'adopt',
      resource: 'vpn_connection',
      state: 'succeeded',
      finishedAt: NOW,
      params: { RegionId: 'cn-hangzhou', VpnConnectionId: 'vco-0000000000000001' },
      cloud: { resourceId: 'vco-0000000000000001', facts: {}, requestIds: [] },
      health: {
        parts: { Tunnel2: { up: true, since: NOW + 600_000 } },
        changes: [{ seq: 1, part: 'Tunnel2', label, up: true, at: NOW + 600_000, downSince }],
        seq: 1,
      },
    });
  const back = (r: ResourceRequest) =>
    renderThreadMessage({ requestId: r.id, event: 'tunnel_up', seq: 1, at: NOW + 600_000 }, r, CTX)?.text;

  it('says how long it was down when the bot saw it go down', () => {
    expect(back(adopted(NOW + 300_000))).toContain('after 5m down');
  });

  it('says "at least" when it was down already as the connection was adopted', () => {
    expect(back(adopted(NOW))).toContain('after at least 10m down');
  });
});
