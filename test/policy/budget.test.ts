/**
 * A condition's evaluation is bounded: what could grow without end (comprehensions nested in
 * comprehensions, strings doubled through cel.bind, lists of lists, long texts given to
 * duration()) stops at the rule's budget with an error, and the rule applies, as with any
 * condition that fails. The rules of one request share the policy's budget. The example policy
 * uses a small fraction of it.
 */
import { describe, expect, it } from 'vitest';
import {
  type BaseRule,
  EvaluationBudget,
  evaluatePolicy,
  loadPolicyFile,
  type Policy,
  parsePolicy,
  type RequestFacts,
} from '../../src/policy/index.js';
import { POLICY_LIMITS } from '../../src/policy/limits.js';

const BASE: BaseRule = { approvers: ['U0LEAD1'], requiredApprovals: 1, allowSelfApproval: false };
const FACTS: RequestFacts = {
  operation: 'create',
  resource: 'customer_gateway',
  account: 'default',
  params: { RegionId: 'cn-hangzhou', Name: 'office-gw', IpAddress: '47.80.0.1' },
  channel: 'C0NETOPS',
  requester: 'U0ASKER',
};
const RULE_OVER = `the condition needs more work than a rule may do on one request (${POLICY_LIMITS.ruleBudget} units); simplify it`;

/** Rules named r1, r2, … each denying when its condition holds; conditions as YAML block literals. */
function policyOf(...conditions: string[]): Policy {
  const rules = conditions.map(
    (when, i) => `  - name: r${i + 1}\n    when: |\n      ${when}\n    deny: { en: "No.", zh-CN: "不。" }\n`,
  );
  return parsePolicy(`rules:\n${rules.join('')}`, 'policy.yml');
}

/** What each rule came to on FACTS: applied or not, and its error. */
function outcomes(policy: Policy): { rule: string; error?: string }[] {
  return evaluatePolicy(policy, BASE, FACTS).matches.map(({ rule, error }) => ({
    rule,
    ...(error === undefined ? {} : { error }),
  }));
}

const letters = (n: number) => `"${'x'.repeat(n)}"`;

describe('the work of one condition', () => {
  it('stops comprehensions nested three deep, which would take a billion steps; the rule applies', () => {
    const list = `${letters(1_000)}.split("")`;
    const policy = policyOf(`${list}.all(a, ${list}.all(b, ${list}.all(c, a + b + c != "")))`);
    expect(outcomes(policy)).toEqual([{ rule: 'r1', error: RULE_OVER }]);
  });

  it('stops a string doubled twenty times over through cel.bind', () => {
    let when = 'v20.size() > 0';
    for (let i = 20; i >= 1; i--) when = `cel.bind(v${i}, v${i - 1} + v${i - 1}, ${when})`;
    when = `cel.bind(v0, request.params.Name, ${when})`;
    expect(outcomes(policyOf(when))).toEqual([{ rule: 'r1', error: RULE_OVER }]);
  });

  it('weighs a list of lists by all it holds: walking it again and again is paid for', () => {
    // 1,000 references to one list of 1,000 letters: cheap to make, a million to compare.
    const when = `cel.bind(l, ${letters(1_000)}.split(""), cel.bind(m, l.map(x, l), m.all(y, m == m)))`;
    expect(outcomes(policyOf(when))).toEqual([{ rule: 'r1', error: RULE_OVER }]);
  });

  it('stays over when the condition absorbs the error: `x || true` has no result either', () => {
    const list = `${letters(1_000)}.split("")`;
    const policy = policyOf(`${list}.exists(a, ${list}.exists(b, a + b == "xy")) || true`);
    expect(outcomes(policy)).toEqual([{ rule: 'r1', error: RULE_OVER }]);
  });

  it('lets a condition of ordinary size through, with its answer', () => {
    const list = `${letters(200)}.split("")`;
    const policy = policyOf(
      `${list}.all(a, a == "x") && request.params.Name.matches("^[a-z]+(-[a-z]+)*$")`,
      `${list}.exists(a, a == "y")`,
    );
    expect(outcomes(policy)).toEqual([{ rule: 'r1' }]);
  });

  it('refuses duration() a text longer than a duration, which it would parse in cubic time', () => {
    const policy = policyOf(
      `duration("1h30m") > duration("1h")`,
      `duration("${'1'.repeat(POLICY_LIMITS.maxDurationText + 1)}s") > duration("1h")`,
    );
    expect(outcomes(policy)).toEqual([
      { rule: 'r1' },
      {
        rule: 'r2',
        error: `duration() takes a duration such as "1h30m", of at most ${POLICY_LIMITS.maxDurationText} characters (got ${POLICY_LIMITS.maxDurationText + 2})`,
      },
    ]);
  });
});

describe('the work of all rules on one request', () => {
  it('is shared: once the policy’s budget is spent, each rule after it errs, and applies', () => {
    const policy = policyOf(
      `${letters(100)}.split("").all(a, a == "x")`,
      `${letters(100)}.split("").all(a, a == "x")`,
      `${letters(100)}.split("").all(a, a == "x")`,
      'true',
    );
    const [first, second, third, fourth] = policy.rules;
    const cost = (() => {
      const input = { facts: FACTS, budget: new EvaluationBudget() };
      first?.test(input);
      return input.budget.spent;
    })();
    // Room for two rules and a half: the third runs out, the fourth has nothing left.
    const input = { facts: FACTS, budget: new EvaluationBudget(cost + 10, Math.floor(cost * 2.5)) };
    expect(first?.test(input)).toEqual({ matched: true });
    expect(second?.test(input)).toEqual({ matched: true });
    const spentUp = `the policy's rules together need more work than one request may take (${Math.floor(cost * 2.5)} units); simplify the conditions`;
    expect(third?.test(input)).toEqual({ error: spentUp });
    expect(fourth?.test(input)).toEqual({ error: spentUp });
  });

  it('for the example policy is a small part of one rule’s budget', async () => {
    const example = await loadPolicyFile('policy.example.yml');
    const input = {
      facts: { ...FACTS, resource: 'vpn_gateway', params: { RegionId: 'cn-beijing', Bandwidth: 1000 } },
      budget: new EvaluationBudget(),
    };
    for (const rule of example.rules) rule.test(input);
    expect(input.budget.spent).toBeGreaterThan(0);
    expect(input.budget.spent).toBeLessThan(POLICY_LIMITS.ruleBudget / 100);
  });
});
