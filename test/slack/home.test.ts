/**
 * The Home view as a pure function: the thread's own buttons (a deletion's red Approve asks first),
 * typed values inert, and Slack's 100 blocks never passed, each part saying what it left out.
 */
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { checkView } from '../../src/sandbox/fake-slack/index.js';
import { renderHome } from '../../src/slack/home.js';
import type { ResourceRequest } from '../../src/workflow/types.js';

const NOW = 1_800_000_000_000;
const CTX = {
  sandbox: false,
  requiredApprovals: 1,
  now: NOW,
  locale: 'en' as const,
  slashCommand: '/gateway',
};

let n = 0;
function request(over: Partial<ResourceRequest> = {}): ResourceRequest {
  n++;
  return {
    id: `gw-20270115-${String(n).padStart(10, '0')}`,
    operation: 'create',
    resource: 'customer_gateway',
    account: 'default',
    params: { RegionId: 'cn-hangzhou', IpAddress: '47.96.1.10', Name: '*boss* <!channel>' },
    paramsHash: 'hash',
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    messageTs: '1800000000.000100',
    locale: 'en',
    state: 'pending_approval',
    version: 1,
    createdAt: NOW - 90_000,
    updatedAt: NOW,
    expiresAt: NOW + 3_600_000,
    approvals: [],
    cloud: { facts: {}, requestIds: [] },
    ...over,
  };
}

const empty = {
  waiting: [],
  yours: { requests: [], total: 0 },
  threads: new Map<string, string>(),
  down: [],
};
type Button = { action_id: string; value: string; style?: string; confirm?: unknown };
const buttonsOf = (blocks: readonly KnownBlock[]): Button[] =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as unknown as Button[]) : []));
const contexts = (blocks: readonly KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));

describe('the Home view', () => {
  it('carries the thread’s Approve and Reject, a deletion’s asking first, and shows typed values inert', () => {
    const create = request();
    const deletion = request({
      operation: 'delete',
      resource: 'vpn_gateway',
      params: { RegionId: 'cn-hangzhou' },
      cloud: { resourceId: 'vpn-0000000000000001', facts: {}, requestIds: [] },
    });
    const { blocks } = renderHome({ ...empty, waiting: [create, deletion], notice: 'done' }, CTX);
    expect(blocks[0]).toMatchObject({ type: 'section', text: { text: 'done' } });
    const buttons = buttonsOf(blocks);
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ['approve_request', create.id],
      ['reject_request', create.id],
      ['approve_request', deletion.id],
      ['reject_request', deletion.id],
    ]);
    expect(buttons[2]).toMatchObject({ style: 'danger', confirm: { title: { text: 'Delete for good?' } } });
    const all = JSON.stringify(blocks);
    expect(all).toContain('asked by <@U0ASKER> in <#C0NET>, 1m30s ago');
    expect(all).toContain('*Delete VPN gateway* `vpn-0000000000000001`');
    expect(all).not.toContain('<!channel>');
    expect(new Set(blocks.map((b) => b.block_id).filter(Boolean)).size).toBe(2);
  });

  it('never passes 100 blocks, and says how many of each part it left out', () => {
    const waiting = Array.from({ length: 200 }, () => request());
    const yours = Array.from({ length: 30 }, () => request({ state: 'succeeded' }));
    const down = Array.from({ length: 15 }, () => ({
      request: request({ state: 'succeeded', resource: 'vpn_connection' }),
      seenAt: NOW,
      down: [{ en: 'Tunnel 1: down', 'zh-CN': '隧道 1：down' }],
    }));
    const view = renderHome(
      { waiting, yours: { requests: yours, total: 50 }, threads: new Map(), down, notice: 'x' },
      CTX,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(checkView(view)).toBeUndefined();
    const shown = buttonsOf(view.blocks).filter((b) => b.action_id === 'approve_request').length;
    expect(contexts(view.blocks)).toEqual([
      `${200 - shown} more requests waiting for you, not shown here: approve them in their threads.`,
      '40 older requests not shown: `/gateway status &lt;request-id&gt;` shows any of them.',
      '5 more connections with a tunnel down, not shown here.',
    ]);
  });

  it('says when a part is empty', () => {
    const view = renderHome(empty, { ...CTX, locale: 'zh-CN' });
    expect(contexts(view.blocks)).toEqual([
      '目前没有待您审批的请求。',
      '您还没有提交过请求：在频道中输入 `/gateway help` 开始。',
      '机器人上次查看时，您所在频道的连接没有中断的隧道。',
    ]);
  });
});
