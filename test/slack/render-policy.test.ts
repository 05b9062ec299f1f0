/**
 * What the approval policy adds to the request message and its thread: the rules that applied and
 * what each asks, the approvals needed from the policy's decision, and the reminder; and nothing
 * at all when only the base rule applied, so such a message reads as it always has.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/index.js';
import { renderRequestMessage, renderThreadMessage } from '../../src/slack/render.js';
import { judgeSubmission } from '../../src/workflow/approval-requirement.js';
import type { ResourceRequest } from '../../src/workflow/types.js';

const NOW = 1_800_000_000_000;
const BASE = {
  approvers: ['U0LEAD1', 'U0LEAD2'],
  usergroup: 'S0APPROVERS',
  allowSelfApproval: false,
  requiredApprovals: 1,
};
const CTX = { sandbox: false, requiredApprovals: 1, now: NOW, locale: 'en' as const };
const POLICY = parsePolicy(
  `rules:
  - name: prepay-needs-two
    when: request.params.InstanceChargeType == "PREPAY"
    approvals: 2
    approvers: [S0LEADS]
  - name: big-needs-u0boss
    when: request.params.Bandwidth >= 500
    approvers: [U0BOSS]
`,
  'test.yml',
);

function vpn(params: Record<string, string | number>, locale: 'en' | 'zh-CN' = 'en'): ResourceRequest {
  const request: ResourceRequest = {
    id: 'gw-20270115-abcdefghij',
    operation: 'create',
    resource: 'vpn_gateway',
    account: 'default',
    params: {
      RegionId: 'me-east-1',
      VpcId: 'vpc-1',
      Bandwidth: 10,
      InstanceChargeType: 'POSTPAY',
      ...params,
    },
    paramsHash: 'hash',
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    messageTs: '1800000000.000100',
    locale,
    state: 'pending_approval',
    version: 2,
    createdAt: NOW,
    updatedAt: NOW,
    expiresAt: NOW + 86_400_000,
    approvals: [],
    cloud: { facts: {}, requestIds: [] },
  };
  const verdict = judgeSubmission(POLICY, BASE, request, NOW);
  if (!verdict.ok) throw new Error('not denied in these tests');
  return { ...request, requirement: verdict.requirement };
}

const textOf = (blocks: unknown) => JSON.stringify(blocks);

describe('the request message under an approval policy', () => {
  it('lists every rule that applied and what it asks, and counts approvals against the policy', () => {
    const request = vpn({ InstanceChargeType: 'PREPAY', Bandwidth: 500 });
    const shown = textOf(renderRequestMessage(request, CTX).blocks);
    expect(shown).toContain('*Approval policy*');
    expect(shown).toContain('• 2 approvals from <!subteam^S0LEADS>: rule prepay-needs-two');
    expect(shown).toContain('• approvals from <@U0BOSS>: rule big-needs-u0boss');
    expect(shown).toContain('*Approvals:* 0/2');

    const chinese = textOf(renderRequestMessage(request, { ...CTX, locale: 'zh-CN' }).blocks);
    expect(chinese).toContain('*审批策略*');
    expect(chinese).toContain('需 2 人批准，审批人来自 <!subteam^S0LEADS>：规则 prepay-needs-two');
    expect(chinese).toContain('*审批：* 0/2');

    const added = renderThreadMessage(
      { requestId: request.id, event: 'approval_added', seq: 1, at: NOW, actor: 'U0LEAD1' },
      { ...request, approvals: [{ userId: 'U0LEAD1', at: NOW }] },
      CTX,
    );
    expect(added?.text).toBe(':ballot_box_with_check: <@U0LEAD1> approved (1 of 2).');
  });

  it('reads as it always has when only the base rule applied', () => {
    const request = vpn({});
    const { requirement, ...recordWithout } = request;
    expect(requirement?.matches).toEqual([]);
    expect(renderRequestMessage(request, CTX)).toEqual(renderRequestMessage(recordWithout, CTX));
  });
});

describe('the reminder in the thread', () => {
  it('says how far the request is, until when, and mentions who may approve', () => {
    const request = vpn({ InstanceChargeType: 'PREPAY' });
    const reminder = renderThreadMessage(
      { requestId: request.id, event: 'reminder', seq: 2, at: NOW },
      { ...request, approvals: [{ userId: 'U0LEAD1', at: NOW }] },
      CTX,
    );
    expect(reminder?.broadcast).toBe(false);
    expect(reminder?.text).toMatch(
      /^:bell: Reminder: this request is still waiting for approval \(1 of 2 so far\) and expires <!date\^\d+\^/,
    );
    expect(reminder?.text).toContain(
      'Needs 2 approvals (rule prepay-needs-two). An approval counts from someone who is <@U0LEAD1>, <@U0LEAD2> or in <!subteam^S0APPROVERS> (approvers) and who is in <!subteam^S0LEADS> (rule prepay-needs-two).',
    );
    const chinese = renderThreadMessage(
      { requestId: request.id, event: 'reminder', seq: 2, at: NOW },
      request,
      {
        ...CTX,
        locale: 'zh-CN',
      },
    );
    expect(chinese?.text).toMatch(/^:bell: 提醒：该请求仍在等待审批（已批准 0\/2）/);
    expect(chinese?.text).toContain('<!subteam^S0LEADS>');
  });

  it('is not shown once the request is decided', () => {
    const request = { ...vpn({}), state: 'approved' as const };
    expect(
      renderThreadMessage({ requestId: request.id, event: 'reminder', seq: 1, at: NOW }, request, CTX),
    ).toBe(undefined);
  });
});
