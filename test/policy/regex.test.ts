/**
 * matches() in policy conditions runs with RE2's syntax and semantics, in time linear in the text:
 * as a method and as a function, with a pattern written in the file or computed by the condition.
 * A pattern RE2 cannot run is refused when the file is loaded, with its rule and position, every
 * one of them; one computed while the rule runs makes the rule apply, with RE2's reason.
 */
import { describe, expect, it } from 'vitest';
import {
  type BaseRule,
  EvaluationBudget,
  evaluatePolicy,
  type Policy,
  parsePolicy,
  type RequestFacts,
} from '../../src/policy/index.js';
import { POLICY_LIMITS } from '../../src/policy/limits.js';
import { problemsOf } from '../support/policy.js';

const BASE: BaseRule = { approvers: ['U0LEAD1'], requiredApprovals: 1, allowSelfApproval: false };

function facts(params: RequestFacts['params']): RequestFacts {
  return {
    operation: 'create',
    resource: 'vpn_gateway',
    account: 'default',
    params,
    channel: 'C0NETOPS',
    requester: 'U0ASKER',
  };
}

/** One rule asking for 2 approvals when `when` holds, written as a single-quoted YAML scalar. */
function policyWhen(when: string): Policy {
  return parsePolicy(`rules:\n  - name: r\n    when: '${when}'\n    approvals: 2\n`, 'policy.yml');
}

/** Whether the rule applies to a request with these parameters, and the error if it failed. */
function outcome(when: string, params: RequestFacts['params']) {
  const decision = evaluatePolicy(policyWhen(when), BASE, facts(params));
  const match = decision.matches[0];
  return { applies: match !== undefined, error: match?.error };
}

describe('matches() with RE2', () => {
  it('finds the pattern anywhere in the text unless anchored, as a method and as a function', () => {
    const name = { Name: 'edge-gw-01' };
    expect(outcome('request.params.Name.matches("gw")', name).applies).toBe(true);
    expect(outcome('matches(request.params.Name, "gw")', name).applies).toBe(true);
    expect(outcome('request.params.Name.matches("^gw")', name).applies).toBe(false);
    expect(outcome('matches(request.params.Name, "^edge-[a-z]+-[0-9]+$")', name).applies).toBe(true);
    expect(outcome('!request.params.Name.matches("^([a-z0-9]+-?)+$")', name).applies).toBe(false);
  });

  it('speaks RE2: flags in the pattern, POSIX classes, \\z, \\Q…\\E, all errors in JavaScript', () => {
    const name = { Name: 'Edge.GW' };
    expect(outcome('request.params.Name.matches("(?i)^edge")', name).applies).toBe(true);
    expect(outcome('request.params.Name.matches("^[[:alpha:]]+[.]")', name).applies).toBe(true);
    expect(outcome('request.params.Name.matches("GW\\\\z")', name).applies).toBe(true);
    expect(outcome('request.params.Name.matches("\\\\QEdge.\\\\E")', name).applies).toBe(true);
    expect(outcome('request.params.Name.matches("\\\\QEdgeX\\\\E")', name).applies).toBe(false);
  });

  it('answers the pattern that backtracking takes minutes over, for any length the form accepts', () => {
    for (const length of [20, 26, 32, 100]) {
      const result = outcome('!request.params.Name.matches("^([a-z0-9]+-?)+$")', {
        Name: `${'a'.repeat(length - 1)}_`,
      });
      expect(result).toEqual({ applies: true, error: undefined });
    }
  });

  it('lets a realistic pattern run on the longest name the form accepts, within a rule’s budget', () => {
    const result = outcome('!request.params.Name.matches("^[a-z][a-z0-9_-]{1,99}$")', {
      Name: `${'a'.repeat(127)}!`,
    });
    expect(result).toEqual({ applies: true, error: undefined });
  });

  it('costs the evaluation the text’s length times the pattern’s size: linear in the text', () => {
    const policy = policyWhen('request.params.Name.matches("^([a-z0-9]+-?)+$")');
    const units = (length: number) => {
      const input = { facts: facts({ Name: `${'a'.repeat(length - 1)}_` }), budget: new EvaluationBudget() };
      expect(policy.rules[0]?.test(input)).toEqual({ matched: false });
      return input.budget.spent;
    };
    const [short, long, longer] = [100, 1_100, 2_100].map(units) as [number, number, number];
    expect(longer - long).toBe(long - short);
    expect(longer).toBeLessThan(POLICY_LIMITS.ruleBudget);
  });
});

describe('a pattern RE2 cannot run', () => {
  it('is refused at load, with its rule and the position of the pattern, every one of them', () => {
    const problems = problemsOf(
      [
        'rules:',
        '  - name: lookahead',
        '    when: request.params.Name.matches("^(?=edge)") || matches(request.params.Name, "(a)\\\\1")',
        '    approvals: 2',
        '  - name: lookbehind',
        '    when: |',
        '      has(request.params.Name) &&',
        '        request.params.Name.matches("(?<!x)y")',
        '    approvals: 2',
      ].join('\n'),
    );
    expect(problems).toEqual([
      {
        line: 3,
        column: 39,
        rule: 'lookahead',
        message: expect.stringMatching(
          /^when: matches\(\): RE2 cannot run the pattern "\^\(\?=edge\)" \(invalid or unsupported Perl syntax: \(\?=\); matches\(\) uses RE2, which has no backreferences, lookahead or lookbehind$/,
        ),
      },
      {
        line: 3,
        column: 84,
        rule: 'lookahead',
        message: expect.stringContaining(
          'RE2 cannot run the pattern "(a)\\\\1" (invalid escape sequence: \\1)',
        ),
      },
      {
        line: 8,
        column: 37,
        rule: 'lookbehind',
        message: expect.stringContaining('RE2 cannot run the pattern "(?<!x)y"'),
      },
    ]);
  });

  it('is refused at load when it compiles to more than a match could afford', () => {
    const [problem] = problemsOf(
      'rules:\n  - name: huge\n    when: request.params.Name.matches("[a-z]{1000}[0-9]{1000}[a-z]{1000}")\n    approvals: 2\n',
    );
    expect(problem?.message).toMatch(/compiles to 30\d\d RE2 instructions, more than 1000/);
  });

  it('computed when the rule runs, makes the rule apply, with RE2’s reason', () => {
    const result = outcome('request.params.Name.matches(request.params.Pattern)', {
      Name: 'edge',
      Pattern: '(?=e)',
    });
    expect(result.applies).toBe(true);
    expect(result.error).toContain('RE2 cannot run the pattern "(?=e)"');
  });

  it('computed when the rule runs, is a warning at load: the file is valid', () => {
    const policy = policyWhen('request.params.Name.matches("^" + request.params.Prefix)');
    expect(policy.warnings).toEqual([
      {
        line: 3,
        column: 40,
        rule: 'r',
        message: expect.stringContaining(
          'the pattern is computed when the rule runs, so it cannot be checked now',
        ),
      },
    ]);
    expect(
      outcome('request.params.Name.matches("^" + request.params.Prefix)', { Name: 'edge', Prefix: 'ed' }),
    ).toEqual({ applies: true, error: undefined });
  });

  it('a text that is not a string is an evaluation error, as any call without an overload', () => {
    const result = outcome('request.params.Bandwidth.matches("^1")', { Bandwidth: 100 });
    expect(result).toEqual({ applies: true, error: "found no matching overload for 'int.matches(string)'" });
  });
});
