/**
 * The approval policy applied to requests, without Redis: the facts rules see (a secret only as
 * set), the verdict at submission, the check at a click and the pure approval decision it feeds,
 * including a policy that changed in between, a deny that arrived after submission, and the base
 * rule unchanged when there is no policy. Also the playground's example policy.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyFile, type Policy, parsePolicy } from '../../src/policy/index.js';
import { PLAYGROUND_POLICY_FILE } from '../../src/sandbox/playground/policy.js';
import { PLAYGROUND_APPROVERS } from '../../src/sandbox/playground/server.js';
import type { ApprovalPolicy } from '../../src/workflow/approval-policy.js';
import {
  checkApprover,
  judgeSubmission,
  requestFacts,
  requirementOf,
} from '../../src/workflow/approval-requirement.js';
import type { Decision } from '../../src/workflow/store.js';
import { decideApproval } from '../../src/workflow/transitions.js';
import type { ResourceRequest } from '../../src/workflow/types.js';

const BASE: ApprovalPolicy = {
  approvers: ['U0LEAD1', 'U0LEAD2', 'U0LEAD3'],
  allowSelfApproval: false,
  requiredApprovals: 1,
};
const NOW = 1_800_000_000_000;

function pending(over: Partial<ResourceRequest> = {}): ResourceRequest {
  return {
    id: 'gw-20270115-abcdefghij',
    operation: 'create',
    resource: 'customer_gateway',
    account: 'default',
    params: { RegionId: 'cn-hangzhou', IpAddress: '47.1.2.3', Name: 'office' },
    paramsHash: 'hash',
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
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

const policy = (yaml: string): Policy => parsePolicy(yaml, 'test.yml');
const TWO_FROM_LEADS = policy(`rules:
  - name: office-needs-two
    when: request.params.Name == "office"
    approvals: 2
    approvers: [S0LEADS]
`);
const DENY_OFFICE = policy(`rules:
  - name: no-office
    when: request.params.Name == "office"
    deny: { en: "No more offices.", zh-CN: "不再新增办公室。" }
`);
const members = async (group: string) => (group === 'S0LEADS' ? ['U0LEAD1', 'U0LEAD2'] : []);

async function click(p: Policy | undefined, request: ResourceRequest, userId: string): Promise<Decision> {
  const check = await checkApprover(p, BASE, request, userId, members);
  return decideApproval(request, { userId }, check, NOW + 1_000);
}

function refusalCode(decision: Decision): string {
  return decision.kind === 'refuse' ? decision.refusal.code : decision.kind;
}

describe('the facts a rule sees', () => {
  it('are the stored parameters, channel and requester; a secret is only "set", never its value', () => {
    const facts = requestFacts(pending({ secretNames: ['AuthKey'] }));
    expect(facts).toEqual({
      operation: 'create',
      resource: 'customer_gateway',
      account: 'default',
      params: { RegionId: 'cn-hangzhou', IpAddress: '47.1.2.3', Name: 'office', AuthKey: true },
      channel: 'C0NET',
      requester: 'U0ASKER',
    });
  });
});

describe('the verdict at submission', () => {
  it('refuses a deny with the rule’s own message in both languages', () => {
    expect(judgeSubmission(DENY_OFFICE, BASE, pending(), NOW)).toEqual({
      ok: false,
      reason: { en: 'No more offices.', 'zh-CN': '不再新增办公室。' },
    });
  });

  it('records what the approvers must satisfy, with the rules and why', () => {
    const verdict = judgeSubmission(TWO_FROM_LEADS, BASE, pending(), NOW);
    if (!verdict.ok) throw new Error('expected a requirement');
    expect(verdict.requirement).toMatchObject({
      requiredApprovals: 2,
      constraints: [
        { users: BASE.approvers, groups: [] },
        { rule: 'office-needs-two', users: [], groups: ['S0LEADS'] },
      ],
      matches: [
        {
          rule: 'office-needs-two',
          explanation: {
            en: '2 approvals from <!subteam^S0LEADS>: rule office-needs-two',
            'zh-CN': '需 2 人批准，审批人来自 <!subteam^S0LEADS>：规则 office-needs-two',
          },
        },
      ],
      decidedAt: NOW,
    });
  });

  it('refuses what the rules make impossible to approve, naming people plainly for the modal', () => {
    const three = policy(`rules:
  - name: three-named
    when: "true"
    approvals: 3
    approvers: [U0LEAD1, U0LEAD2, U0LEAD3]
`);
    // The requester is one of the three and may not approve their own request: two remain.
    const verdict = judgeSubmission(three, BASE, pending({ requester: { userId: 'U0LEAD1' } }), NOW);
    expect(verdict).toEqual({
      ok: false,
      reason: {
        en: 'Nobody can complete the approvals of this request: it needs 3 approvals, but only 2 people may (U0LEAD2, U0LEAD3).',
        'zh-CN': '该请求无法完成审批：需要 3 人批准，但只有 2 人有权批准（U0LEAD2、U0LEAD3）。',
      },
    });
  });

  it('never refuses under the base rule alone, as before policies existed', () => {
    const soleApprover = { ...BASE, approvers: ['U0LEAD1'] };
    const verdict = judgeSubmission(
      undefined,
      soleApprover,
      pending({ requester: { userId: 'U0LEAD1' } }),
      NOW,
    );
    expect(verdict.ok).toBe(true);
  });

  it('quotes an evaluator’s error inert in the recorded explanation (it goes into mrkdwn)', () => {
    const broken = policy(`rules:
  - name: big
    when: request.params.Name >= 5
    approvals: 2
`);
    const verdict = judgeSubmission(broken, BASE, pending(), NOW);
    if (!verdict.ok) throw new Error('expected a requirement');
    const explanation = verdict.requirement.matches[0]?.explanation.en ?? '';
    expect(explanation).toContain('applied to be safe');
    expect(explanation).toContain('`no such overload: dyn&lt;string&gt; &gt;= int`');
    expect(explanation).not.toMatch(/<string>/);
  });
});

describe('an approval click, judged by the policy in force at the click', () => {
  it('without a policy, behaves as the base rule always has', async () => {
    const request = pending();
    const outsider = await click(undefined, request, 'U0NOBODY');
    expect(outsider).toMatchObject({
      kind: 'refuse',
      refusal: {
        code: 'not_approver',
        message: {
          en: 'Only the team leads configured as approvers can approve requests. Ask one of them in this thread.',
        },
      },
    });
    expect(
      refusalCode(await click(undefined, pending({ requester: { userId: 'U0LEAD1' } }), 'U0LEAD1')),
    ).toBe('self_approval');
    const approved = await click(undefined, request, 'U0LEAD1');
    expect(approved).toMatchObject({
      kind: 'apply',
      action: 'approved',
      details: { approver: 'U0LEAD1', approvals: 1, required: 1 },
      next: { state: 'approved', requirement: { requiredApprovals: 1, matches: [] } },
    });
  });

  it('does not count an approval from outside a rule’s approvers, and says which rule', async () => {
    const decision = await click(TWO_FROM_LEADS, pending(), 'U0LEAD3');
    expect(decision).toMatchObject({
      kind: 'refuse',
      details: { rules: 'office-needs-two' },
      refusal: {
        code: 'not_eligible',
        message: {
          en: 'Your approval does not count: rule office-needs-two needs someone who is in <!subteam^S0LEADS>.',
        },
      },
    });
  });

  it('needs the policy’s count, and records the requirement with each approval', async () => {
    const first = await click(TWO_FROM_LEADS, pending(), 'U0LEAD1');
    if (first.kind !== 'apply') throw new Error('expected the approval to count');
    expect(first.action).toBe('approval_added');
    expect(first.next.state).toBe('pending_approval');
    expect(first.next.requirement?.requiredApprovals).toBe(2);
    expect(first.details).toMatchObject({ approvals: 1, required: 2, rules: 'office-needs-two' });
    const second = await click(TWO_FROM_LEADS, first.next, 'U0LEAD2');
    expect(second).toMatchObject({ kind: 'apply', action: 'approved', next: { state: 'approved' } });
  });

  it('applies a policy changed since the submission: a stricter one, a looser one, a deny', async () => {
    // Submitted when one approval from any lead was enough.
    const submitted = pending({ requirement: requirementOf(await baseDecision(), NOW) });
    expect(refusalCode(await click(TWO_FROM_LEADS, submitted, 'U0LEAD3'))).toBe('not_eligible');
    const one = await click(TWO_FROM_LEADS, submitted, 'U0LEAD1');
    expect(one).toMatchObject({ kind: 'apply', next: { state: 'pending_approval' } });

    // Back to the base rule: the approval already given is enough, even clicked again by its giver.
    if (one.kind !== 'apply') throw new Error('unreachable');
    expect(await click(undefined, one.next, 'U0LEAD1')).toMatchObject({
      kind: 'apply',
      action: 'approved',
      next: { state: 'approved', approvals: [{ userId: 'U0LEAD1' }] },
    });
    // Under the stricter policy the same second click is refused as before.
    expect(refusalCode(await click(TWO_FROM_LEADS, one.next, 'U0LEAD1'))).toBe('already_approved_by_you');

    // A deny that arrived after the submission: no approval counts any more, for anyone.
    const denied = await click(DENY_OFFICE, submitted, 'U0LEAD1');
    expect(denied).toMatchObject({
      kind: 'refuse',
      details: { rule: 'no-office' },
      refusal: {
        code: 'policy_denied',
        message: {
          en: 'The approval policy now refuses this request (rule no-office): No more offices. It can no longer be approved; reject it, or the requester can cancel it.',
        },
      },
    });
    // Someone the base rule does not know still hears only that.
    expect(refusalCode(await click(DENY_OFFICE, submitted, 'U0NOBODY'))).toBe('not_approver');
  });
});

async function baseDecision() {
  const { decision } = await checkApprover(undefined, BASE, pending(), 'U0LEAD1');
  if (decision.outcome !== 'approval') throw new Error('the base rule never denies');
  return decision;
}

describe('the playground’s example policy', () => {
  it('asks both team leads for a VPN gateway of 100 Mbit/s or more, and one for a smaller one', async () => {
    const example = await loadPolicyFile(PLAYGROUND_POLICY_FILE);
    const base = { approvers: [...PLAYGROUND_APPROVERS], allowSelfApproval: false, requiredApprovals: 1 };
    const vpn = (Bandwidth: number) =>
      pending({
        resource: 'vpn_gateway',
        account: 'default',
        params: { RegionId: 'cn-hangzhou', VpcId: 'vpc-1', Bandwidth },
        requester: { userId: 'U0ASKER001' },
      });
    const big = judgeSubmission(example, base, vpn(100), NOW);
    expect(big.ok && big.requirement.requiredApprovals).toBe(2);
    const small = judgeSubmission(example, base, vpn(10), NOW);
    expect(small.ok && small.requirement.requiredApprovals).toBe(1);
  });
});
