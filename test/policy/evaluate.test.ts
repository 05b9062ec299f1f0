import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import {
  type ApprovalDecision,
  approvalCounts,
  type BaseRule,
  evaluatePolicy,
  type GroupMembers,
  loadPolicyFile,
  type Policy,
  type PolicyDecision,
  parsePolicy,
  type RequestFacts,
} from '../../src/policy/index.js';

const BASE: BaseRule = { approvers: ['U0LEAD1', 'U0LEAD2'], requiredApprovals: 1, allowSelfApproval: false };

function facts(over: Partial<RequestFacts> = {}): RequestFacts {
  return {
    operation: 'create',
    resource: 'vpn_gateway',
    account: 'default',
    params: { RegionId: 'cn-hangzhou', Bandwidth: 500, InstanceChargeType: 'POSTPAY' },
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
    ...over,
  };
}

function policyOf(...rules: string[]): Policy {
  return parsePolicy(`rules:\n${rules.join('')}`, 'test.yml');
}

function rule(name: string, when: string, effect: string): string {
  return `  - name: ${name}\n    when: '${when}'\n${effect
    .split('\n')
    .map((l) => `    ${l}\n`)
    .join('')}`;
}

function approval(decision: PolicyDecision): ApprovalDecision {
  if (decision.outcome !== 'approval')
    throw new Error(`expected an approval decision, got ${decision.outcome}`);
  return decision;
}

/** Group members from a table, counting the lookups. */
function groups(table: Record<string, string[]>): GroupMembers & { calls: string[] } {
  const calls: string[] = [];
  const members = async (group: string) => {
    calls.push(group);
    return table[group] ?? [];
  };
  return Object.assign(members, { calls });
}

describe('the example policy', () => {
  let example: Policy;
  beforeAll(async () => {
    example = await loadPolicyFile('policy.example.yml');
  });

  it('denies Beijing, with the message in both languages', () => {
    const decision = evaluatePolicy(
      example,
      BASE,
      facts({ params: { RegionId: 'cn-beijing', Bandwidth: 10 } }),
    );
    expect(decision).toMatchObject({
      outcome: 'denied',
      rule: 'no-beijing',
      message: {
        en: 'Gateways in Beijing (cn-beijing) are not approved for this account; use cn-hangzhou or cn-shanghai.',
        'zh-CN': '本账号不允许在北京（cn-beijing）创建网关，请使用杭州（cn-hangzhou）或上海（cn-shanghai）。',
      },
    });
    expect(decision.matches.map((m) => m.explanation)).toEqual([
      { en: 'denied: rule no-beijing', 'zh-CN': '拒绝：规则 no-beijing' },
    ]);
  });

  it('asks for two approvals from the leads group for a subscription gateway', () => {
    const decision = approval(
      evaluatePolicy(
        example,
        BASE,
        facts({ params: { RegionId: 'cn-hangzhou', InstanceChargeType: 'PREPAY' } }),
      ),
    );
    expect(decision.requiredApprovals).toBe(2);
    expect(decision.constraints).toEqual([
      { users: ['U0LEAD1', 'U0LEAD2'], groups: [] },
      { rule: 'prepay-needs-two', users: [], groups: ['S0LEADS'] },
    ]);
    expect(decision.matches).toEqual([
      {
        rule: 'prepay-needs-two',
        explanation: {
          en: '2 approvals from <!subteam^S0LEADS>: rule prepay-needs-two',
          'zh-CN': '需 2 人批准，审批人来自 <!subteam^S0LEADS>：规则 prepay-needs-two',
        },
      },
    ]);
    expect(decision.summary).toEqual({
      en: 'Needs 2 approvals (rule prepay-needs-two). An approval counts from someone who is <@U0LEAD1> or <@U0LEAD2> (approvers) and who is in <!subteam^S0LEADS> (rule prepay-needs-two).',
      'zh-CN':
        '需要 2 人批准（规则 prepay-needs-two）。有效审批人须是 <@U0LEAD1> 或 <@U0LEAD2>（审批人配置），并且是 <!subteam^S0LEADS> 的成员（规则 prepay-needs-two）。',
    });
  });

  it('sees a key rotation as the operation rotate_key', () => {
    const policy = policyOf(rule('rotations-need-two', 'request.operation == "rotate_key"', 'approvals: 2'));
    const rotation = facts({
      operation: 'rotate_key',
      resource: 'vpn_connection',
      params: { RegionId: 'cn-hangzhou', VpnConnectionId: 'vco-1' },
    });
    expect(approval(evaluatePolicy(policy, BASE, rotation)).requiredApprovals).toBe(2);
    expect(approval(evaluatePolicy(policy, BASE, facts({ operation: 'delete' }))).requiredApprovals).toBe(1);
  });

  it('sees an adoption as the operation adopt', () => {
    const policy = policyOf(rule('adoptions-need-two', 'request.operation == "adopt"', 'approvals: 2'));
    const adoption = facts({
      operation: 'adopt',
      resource: 'vpn_gateway',
      params: { RegionId: 'cn-hangzhou', VpnGatewayId: 'vpn-1' },
    });
    expect(approval(evaluatePolicy(policy, BASE, adoption)).requiredApprovals).toBe(2);
    expect(approval(evaluatePolicy(policy, BASE, facts({ operation: 'create' }))).requiredApprovals).toBe(1);
  });

  it('needs the network leads for a delete, and two approvals at 1000 Mbit/s', () => {
    const deletion = approval(
      evaluatePolicy(example, BASE, facts({ operation: 'delete', params: { VpnGatewayId: 'vpn-1' } })),
    );
    expect(deletion.matches.map((m) => m.rule)).toEqual(['deletes-need-network-leads']);
    expect(deletion.requiredApprovals).toBe(1);
    expect(deletion.constraints[1]).toEqual({
      rule: 'deletes-need-network-leads',
      users: [],
      groups: ['S0NETLEADS'],
    });

    const gigabit = approval(evaluatePolicy(example, BASE, facts({ params: { Bandwidth: 1000 } })));
    expect(gigabit.matches.map((m) => m.rule)).toEqual(['gigabit-needs-two']);
    expect(gigabit.requiredApprovals).toBe(2);
    expect(gigabit.constraints).toHaveLength(1);
  });

  it('leaves an ordinary request to the base rule', () => {
    const decision = approval(evaluatePolicy(example, BASE, facts()));
    expect(decision.matches).toEqual([]);
    expect(decision.requiredApprovals).toBe(1);
    expect(decision.summary.en).toBe(
      'Needs 1 approval. An approval counts from someone who is <@U0LEAD1> or <@U0LEAD2> (approvers).',
    );
  });
});

describe('how rules combine', () => {
  it('without a policy, the base rule alone decides, group included', () => {
    const base = loadConfig({
      APPROVERS: 'U0LEAD1',
      APPROVER_USERGROUP: 'S0APPROVERS',
      REQUIRED_APPROVALS: '2',
    }).approval;
    const decision = approval(evaluatePolicy(undefined, base, facts()));
    expect(decision).toMatchObject({
      requiredApprovals: 2,
      constraints: [{ users: ['U0LEAD1'], groups: ['S0APPROVERS'] }],
      matches: [],
      allowSelfApproval: false,
    });
    expect(decision.unsatisfiable).toBeUndefined();
  });

  it('any deny wins over approval rules; the first deny in the file speaks', () => {
    const policy = policyOf(
      rule('two', 'request.operation == "create"', 'approvals: 2'),
      rule(
        'no-hz',
        'request.params.RegionId == "cn-hangzhou"',
        'deny: { en: "Not in Hangzhou.", zh-CN: "不允许杭州。" }',
      ),
      rule('no-vpn', 'request.resource == "vpn_gateway"', 'deny: { en: "No VPN.", zh-CN: "不允许 VPN。" }'),
    );
    const decision = evaluatePolicy(policy, BASE, facts());
    expect(decision).toMatchObject({
      outcome: 'denied',
      rule: 'no-hz',
      message: { en: 'Not in Hangzhou.', 'zh-CN': '不允许杭州。' },
    });
    expect(decision.matches.map((m) => m.rule)).toEqual(['two', 'no-hz', 'no-vpn']);
  });

  it('takes the largest approval count of the base rule and every matching rule', () => {
    const policy = policyOf(
      rule('two', 'request.operation == "create"', 'approvals: 2'),
      rule('three', 'request.params.Bandwidth >= 500', 'approvals: 3'),
      rule('also-three', 'request.channel == "C0NETOPS"', 'approvals: 3'),
      rule('four-elsewhere', 'request.channel == "C0OTHER"', 'approvals: 4'),
    );
    const decision = approval(
      evaluatePolicy(policy, { ...BASE, approvers: ['U1', 'U2', 'U3', 'U4'] }, facts()),
    );
    expect(decision.requiredApprovals).toBe(3);
    expect(decision.summary.en).toMatch(/^Needs 3 approvals \(rules three, also-three\)\./);
    expect(decision.matches.map((m) => m.rule)).toEqual(['two', 'three', 'also-three']);

    const higherBase = approval(evaluatePolicy(policy, { ...BASE, requiredApprovals: 5 }, facts()));
    expect(higherBase.requiredApprovals).toBe(5);
    expect(higherBase.summary.en).toMatch(/^Needs 5 approvals\. /);
  });

  it('intersects approvers: an approval counts only from someone every constraint allows', async () => {
    const policy = policyOf(
      rule('leads', 'request.operation == "create"', 'approvers: [S0LEADS]'),
      rule('net-or-alice', 'request.resource == "vpn_gateway"', 'approvers: [U0ALICE, S0NET]'),
    );
    const base: BaseRule = { ...BASE, approvers: [], usergroup: 'S0APPROVERS' };
    const decision = approval(evaluatePolicy(policy, base, facts()));
    expect(decision.constraints).toEqual([
      { users: [], groups: ['S0APPROVERS'] },
      { rule: 'leads', users: [], groups: ['S0LEADS'] },
      { rule: 'net-or-alice', users: ['U0ALICE'], groups: ['S0NET'] },
    ]);
    const members = groups({
      S0APPROVERS: ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN'],
      S0LEADS: ['U0ALICE', 'U0BOB', 'U0CAROL'],
      S0NET: ['U0BOB'],
    });
    expect(await approvalCounts(decision, 'U0ALICE', members)).toEqual({ counts: true });
    expect(await approvalCounts(decision, 'U0BOB', members)).toEqual({ counts: true });
    const carol = await approvalCounts(decision, 'U0CAROL', members);
    expect(carol).toMatchObject({ counts: false, unmet: [{ rule: 'net-or-alice' }] });
    const dan = await approvalCounts(decision, 'U0DAN', members);
    expect(dan).toMatchObject({ counts: false, unmet: [{ rule: 'leads' }, { rule: 'net-or-alice' }] });
    if (dan.counts) throw new Error('unreachable');
    expect(dan.reason).toEqual({
      en: 'Your approval does not count: rule leads needs someone who is in <!subteam^S0LEADS>; rule net-or-alice needs someone who is <@U0ALICE> or in <!subteam^S0NET>.',
      'zh-CN':
        '你的批准不计入：规则 leads 要求审批人是 <!subteam^S0LEADS> 的成员；规则 net-or-alice 要求审批人是 <@U0ALICE> 或 <!subteam^S0NET> 的成员。',
    });
  });

  it('says when, with user ids only, too few people are allowed by every constraint', () => {
    const policy = policyOf(rule('two-of-these', 'true', 'approvals: 2\napprovers: [U0LEAD1, U0LEAD3]'));
    const decision = approval(evaluatePolicy(policy, BASE, facts()));
    expect(decision.unsatisfiable).toEqual({
      en: 'Nobody can complete the approvals of this request: it needs 2 approvals, but only 1 person may (<@U0LEAD1>).',
      'zh-CN': '该请求无法完成审批：需要 2 人批准，但只有 1 人有权批准（<@U0LEAD1>）。',
    });
    // The requester cannot approve their own request unless self-approval is allowed.
    const two = policyOf(rule('two', 'true', 'approvals: 2'));
    expect(approval(evaluatePolicy(two, BASE, facts({ requester: 'U0LEAD1' }))).unsatisfiable?.en).toMatch(
      /only 1 person may \(<@U0LEAD2>\)/,
    );
    expect(
      approval(evaluatePolicy(two, { ...BASE, allowSelfApproval: true }, facts({ requester: 'U0LEAD1' })))
        .unsatisfiable,
    ).toBeUndefined();
    // A group's members are only known at the click, so nothing is claimed.
    expect(
      approval(evaluatePolicy(two, { ...BASE, usergroup: 'S0MORE' }, facts({ requester: 'U0LEAD1' })))
        .unsatisfiable,
    ).toBeUndefined();
  });
});

describe('conditions over the request', () => {
  it('has() tells an absent parameter from a present one', () => {
    const policy = policyOf(
      rule('big', 'has(request.params.Bandwidth) && request.params.Bandwidth >= 1000', 'approvals: 2'),
      rule('unnamed', '!has(request.params.Name)', 'approvals: 2'),
      rule('proto', 'has(request.params.constructor)', 'approvals: 2'),
    );
    const absent = evaluatePolicy(policy, BASE, facts({ params: { RegionId: 'cn-hangzhou' } }));
    expect(absent.matches).toEqual([expect.objectContaining({ rule: 'unnamed' })]);
    expect(absent.matches.some((m) => m.error)).toBe(false);
    const present = evaluatePolicy(policy, BASE, facts({ params: { Bandwidth: 1000, Name: 'edge' } }));
    expect(present.matches.map((m) => m.rule)).toEqual(['big']);
  });

  it('compares integer parameters as CEL ints, and other numbers as doubles', () => {
    const cases: [string, RequestFacts['params'], boolean][] = [
      ['request.params.Bandwidth >= 500', { Bandwidth: 500 }, true],
      ['request.params.Bandwidth >= 500', { Bandwidth: 499 }, false],
      ['request.params.Bandwidth == 500', { Bandwidth: 500 }, true],
      ['request.params.Bandwidth > 499.5', { Bandwidth: 500 }, true],
      ['request.params.Bandwidth in [200, 500, 1000]', { Bandwidth: 500 }, true],
      ['request.params.Period * 2 == 24', { Period: 12 }, true],
      ['request.params.Ratio > 1', { Ratio: 1.5 }, true],
      ['request.params.AutoPay == true', { AutoPay: true }, true],
      ['request.params.AutoPay == true', { AutoPay: false }, false],
      ['request.params.RegionId.startsWith("cn-")', { RegionId: 'cn-shanghai' }, true],
      ['request.requester in ["U0ASKER"] && request.channel == "C0NETOPS"', {}, true],
    ];
    for (const [when, params, expected] of cases) {
      const policy = policyOf(rule('r', when, 'approvals: 2'));
      const decision = evaluatePolicy(policy, BASE, facts({ params }));
      expect({
        when,
        params,
        matched: decision.matches.length === 1,
        errors: decision.matches.map((m) => m.error),
      }).toEqual({ when, params, matched: expected, errors: expected ? [undefined] : [] });
    }
  });

  it('an evaluation error makes the rule apply, shown beside it: a deny refuses, in both languages', () => {
    const policy = policyOf(
      rule(
        'no-beijing',
        'request.params.RegionId == "cn-beijing"',
        'deny: { en: "Not Beijing.", zh-CN: "不许北京。" }',
      ),
    );
    const decision = evaluatePolicy(policy, BASE, facts({ params: { Bandwidth: 10 } }));
    expect(decision).toMatchObject({
      outcome: 'denied',
      rule: 'no-beijing',
      matches: [{ rule: 'no-beijing', error: 'No such key: RegionId' }],
    });
    if (decision.outcome !== 'denied') throw new Error('unreachable');
    expect(decision.message.en).toBe(
      "Policy rule no-beijing could not be checked for this request (No such key: RegionId), so the request is refused to be safe. Ask the bot's operators to fix the rule.",
    );
    expect(decision.message['zh-CN']).toBe(
      '无法对该请求检查策略规则 no-beijing（No such key: RegionId），为安全起见已拒绝。请联系机器人管理员修正该规则。',
    );
  });

  it('an evaluation error in an approval rule asks for more, never less', () => {
    const policy = policyOf(rule('big', 'request.params.Bandwidth >= 500', 'approvals: 2'));
    const decision = approval(evaluatePolicy(policy, BASE, facts({ params: { Bandwidth: '500' } })));
    expect(decision.requiredApprovals).toBe(2);
    expect(decision.matches).toEqual([
      {
        rule: 'big',
        error: 'no such overload: dyn<string> >= int',
        explanation: {
          en: '2 approvals: rule big (its condition could not be evaluated: no such overload: dyn<string> >= int; applied to be safe)',
          'zh-CN':
            '需 2 人批准：规则 big（条件无法求值：no such overload: dyn<string> >= int；为安全起见按匹配处理）',
        },
      },
    ]);
  });

  it('a false side of && absorbs an error on the other, as CEL says', () => {
    const policy = policyOf(
      rule('deletes', 'request.params.Missing == 1 && request.operation == "delete"', 'approvals: 2'),
    );
    expect(evaluatePolicy(policy, BASE, facts()).matches).toEqual([]);
  });
});

describe('whose approval counts, at the click', () => {
  const policy = policyOf(
    rule(
      'prepay-needs-two',
      'request.params.InstanceChargeType == "PREPAY"',
      'approvals: 2\napprovers: [S0LEADS]',
    ),
  );
  const base: BaseRule = { ...BASE, usergroup: 'S0APPROVERS' };
  const prepay = () =>
    approval(evaluatePolicy(policy, base, facts({ params: { InstanceChargeType: 'PREPAY' } })));

  it('one approval from outside the group does not count, and the approver is told which rule', async () => {
    const members = groups({ S0LEADS: ['U0LEAD1'], S0APPROVERS: ['U0OUTSIDER'] });
    const decision = prepay();
    expect(decision.requiredApprovals).toBe(2);
    expect(await approvalCounts(decision, 'U0LEAD1', members)).toEqual({ counts: true });
    const outsider = await approvalCounts(decision, 'U0LEAD2', members);
    expect(outsider).toEqual({
      counts: false,
      unmet: [{ rule: 'prepay-needs-two', users: [], groups: ['S0LEADS'] }],
      reason: {
        en: 'Your approval does not count: rule prepay-needs-two needs someone who is in <!subteam^S0LEADS>.',
        'zh-CN': '你的批准不计入：规则 prepay-needs-two 要求审批人是 <!subteam^S0LEADS> 的成员。',
      },
    });
  });

  it('someone outside the base rule is told who may approve', async () => {
    const members = groups({ S0LEADS: ['U0GUEST'], S0APPROVERS: [] });
    const standing = await approvalCounts(prepay(), 'U0GUEST', members);
    expect(standing).toMatchObject({
      counts: false,
      unmet: [{ users: ['U0LEAD1', 'U0LEAD2'], groups: ['S0APPROVERS'] }],
      reason: {
        en: 'Your approval does not count: only someone who is <@U0LEAD1>, <@U0LEAD2> or in <!subteam^S0APPROVERS> may approve gateway requests.',
        'zh-CN':
          '你的批准不计入：审批人须是 <@U0LEAD1>、<@U0LEAD2> 或 <!subteam^S0APPROVERS> 的成员（审批人配置）。',
      },
    });
  });

  it('looks a group up only when needed, once per click, and sees changes at the next click', async () => {
    const table: Record<string, string[]> = { S0LEADS: ['U0LEAD1'], S0APPROVERS: ['U0NEW'] };
    const members = groups(table);
    const decision = prepay();
    await approvalCounts(decision, 'U0LEAD1', members);
    // Named in APPROVERS: no lookup for the base rule; the rule's group is asked once.
    expect(members.calls).toEqual(['S0LEADS']);
    members.calls.length = 0;
    expect((await approvalCounts(decision, 'U0NEW', members)).counts).toBe(false);
    expect(members.calls).toEqual(['S0APPROVERS', 'S0LEADS']);
    table.S0LEADS = ['U0LEAD1', 'U0NEW'];
    expect(await approvalCounts(decision, 'U0NEW', members)).toEqual({ counts: true });
  });

  it('a failing group lookup is the caller’s to handle, not a silent refusal', async () => {
    const failing: GroupMembers = async () => {
      throw new Error('usergroups.users.list: ratelimited');
    };
    await expect(approvalCounts(prepay(), 'U0LEAD1', failing)).rejects.toThrow('ratelimited');
  });
});
