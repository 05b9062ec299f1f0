import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { loadPolicyFile, type Policy, type PolicyError, parsePolicy } from '../../src/policy/index.js';
import { POLICY_LIMITS } from '../../src/policy/limits.js';
import { problemsOf } from '../support/policy.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('POLICY_FILE in the configuration', () => {
  it('holds the path only: the file is read and compiled when the bot starts', () => {
    expect(loadConfig({ POLICY_FILE: ' ops/policy.yml ' }).approval.policyFile).toBe('ops/policy.yml');
    expect(loadConfig({ POLICY_FILE: '  ' }).approval.policyFile).toBeUndefined();
    expect(loadConfig({}).approval.policyFile).toBeUndefined();
    expect(loadConfig({ POLICY_FILE: '/nonexistent/policy.yml' }).approval.policyFile).toBe(
      '/nonexistent/policy.yml',
    );
  });
});

describe('the policy files in the repository', () => {
  it('accepts the example policy', async () => {
    const policy = await loadPolicyFile('policy.example.yml');
    expect(policy.rules.map((r) => r.name)).toEqual([
      'no-beijing',
      'prepay-needs-two',
      'deletes-need-network-leads',
      'gigabit-needs-two',
    ]);
    expect(policy.rules[0]?.deny?.['zh-CN']).toContain('北京');
    expect(policy.rules[1]).toMatchObject({ approvals: 2, approvers: ['S0LEADS'], position: { line: 14 } });
  });

  it('is the policy docs/policy.md shows', async () => {
    const doc = readFileSync('docs/policy.md', 'utf8');
    const shown = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    if (shown === undefined) throw new Error('no yaml block in docs/policy.md');
    const fields = (p: Policy) =>
      p.rules.map(({ name, when, deny, approvals, approvers }) => ({
        name,
        when,
        deny,
        approvals,
        approvers,
      }));
    expect(fields(parsePolicy(shown, 'docs/policy.md'))).toEqual(
      fields(await loadPolicyFile('policy.example.yml')),
    );
  });

  it('accepts the playground policy, a rule needing two approvals', async () => {
    const policy = await loadPolicyFile('src/sandbox/playground/policy.yml');
    expect(policy.rules).toHaveLength(1);
    expect(policy.rules[0]).toMatchObject({ name: '100m-needs-both-leads', approvals: 2 });
  });
});

describe('a valid policy', () => {
  it('keeps the fields as written, ids deduplicated, messages trimmed', () => {
    const policy = parsePolicy(
      [
        'rules:',
        '  - name: r1',
        '    when: request.operation == "delete"',
        '    approvers: [S0LEADS, U0ALICE, S0LEADS]',
        '    deny: { en: " No. ", zh-CN: "不行。" }',
      ].join('\n'),
      'p.yml',
    );
    expect(policy).toMatchObject({
      source: 'p.yml',
      rules: [
        {
          name: 'r1',
          when: 'request.operation == "delete"',
          approvers: ['S0LEADS', 'U0ALICE'],
          deny: { en: 'No.', 'zh-CN': '不行。' },
          position: { line: 2, column: 5 },
        },
      ],
    });
  });

  it('allows an empty list of rules', () => {
    expect(parsePolicy('rules: []\n', 'p.yml').rules).toEqual([]);
  });
});

describe('an invalid policy file is refused with each problem, its position and its rule', () => {
  it('YAML syntax', () => {
    expect(problemsOf('rules:\n  - name: a\n    when: "unterminated\n    approvals: 2\n')).toEqual([
      { line: 5, column: 1, message: 'YAML: Missing closing "quote' },
    ]);
    expect(problemsOf('rules:\n  - name: a\n     when: x\n')[0]).toMatchObject({ line: 2, column: 11 });
    expect(problemsOf('rules: []\n---\nrules: []\n')).toEqual([
      {
        line: 2,
        column: 1,
        message: expect.stringContaining('more than one document'),
      },
    ]);
  });

  it('an empty file, no rules list, or rules that are not a list', () => {
    expect(problemsOf('# nothing yet\n')).toEqual([
      { line: 1, column: 1, message: 'the file is empty: it needs a top-level "rules:" list' },
    ]);
    expect(problemsOf('- name: a\n')).toEqual([
      { line: 1, column: 1, message: 'the top level must be a mapping with a "rules:" list' },
    ]);
    expect(problemsOf('rules: {name: a}\n')).toEqual([
      { line: 1, column: 8, message: expect.stringContaining('rules must be a list of rules') },
    ]);
    expect(problemsOf('rules:\n')).toEqual([
      { line: 1, column: 7, message: expect.stringContaining('rules must be a list of rules') },
    ]);
  });

  it('unknown and misspelt fields, at the top and in a rule, with a suggestion', () => {
    expect(problemsOf('rule:\n  - name: a\n')).toEqual([
      { line: 1, column: 1, message: 'unknown field "rule" (did you mean "rules"?); the fields are rules' },
      { line: 1, column: 1, message: 'there is no "rules:" list (write "rules: []" for none)' },
    ]);
    const problems = problemsOf(
      'rules:\n  - name: a\n    when: request.operation == "delete"\n    approvals: 2\n    aprovers: [S0LEADS]\n    colour: red\n',
    );
    expect(problems).toEqual([
      {
        line: 5,
        column: 5,
        rule: 'a',
        message:
          'unknown field "aprovers" (did you mean "approvers"?); the fields are name, when, deny, approvals, approvers',
      },
      {
        line: 6,
        column: 5,
        rule: 'a',
        message: 'unknown field "colour"; the fields are name, when, deny, approvals, approvers',
      },
    ]);
  });

  it('a field given twice in one rule', () => {
    expect(
      problemsOf(
        'rules:\n  - name: a\n    when: request.operation == "delete"\n    approvals: 2\n    approvals: 3\n',
      ),
    ).toEqual([
      { line: 5, column: 5, rule: 'a', message: 'field "approvals" appears twice (first at line 4)' },
    ]);
  });

  it('wrong types, naming the rule by number when its name is unusable', () => {
    const problems = problemsOf(
      [
        'rules:',
        '  - name: 123',
        '    when: true',
        '    approvals: "two"',
        '  - name: b',
        '    when: request.operation == "delete"',
        '    approvals: 0',
        '    approvers: S0LEADS',
        '  - name: c',
        '    when: request.operation == "delete"',
        '    deny: nope',
        '  - name: d',
        '    when: request.operation == "delete"',
        '    approvals: 1.5',
        '  - name: e',
        '    when: request.operation == "delete"',
        '    approvals: 11',
        '  - just a string',
      ].join('\n'),
    );
    expect(problems.map(({ line, column, rule }) => ({ line, column, rule }))).toEqual([
      { line: 2, column: 11, rule: '#1' },
      { line: 3, column: 11, rule: '#1' },
      { line: 4, column: 16, rule: '#1' },
      { line: 7, column: 16, rule: 'b' },
      { line: 8, column: 16, rule: 'b' },
      { line: 11, column: 11, rule: 'c' },
      { line: 14, column: 16, rule: 'd' },
      { line: 17, column: 16, rule: 'e' },
      { line: 18, column: 5, rule: '#6' },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^name must be 1 to 64 letters.*\(got 123\)$/),
      expect.stringMatching(/^when must be a CEL expression in a string.*got true.*when: "true"/),
      'approvals must be a whole number from 1 to 10 (got "two")',
      'approvals must be a whole number from 1 to 10 (got 0)',
      expect.stringMatching(/^approvers must be a non-empty list of Slack user ids/),
      'deny must give the message in every language: { en: "…", zh-CN: "…" }',
      'approvals must be a whole number from 1 to 10 (got 1.5)',
      'approvals must be a whole number from 1 to 10 (got 11)',
      expect.stringMatching(/^a rule must be a mapping/),
    ]);
  });

  it('a rule without a name or a condition', () => {
    expect(problemsOf('rules:\n  - when: request.operation == "delete"\n    approvals: 2\n')).toEqual([
      { line: 2, column: 5, rule: '#1', message: 'the rule has no name (add "name: some-name")' },
    ]);
    expect(problemsOf('rules:\n  - name: a\n    approvals: 2\n')).toEqual([
      { line: 2, column: 5, rule: 'a', message: expect.stringMatching(/^the rule has no condition/) },
    ]);
  });

  it('duplicate rule names, at the second one', () => {
    expect(
      problemsOf(
        'rules:\n  - name: a\n    when: request.operation == "delete"\n    approvals: 2\n  - name: a\n    when: request.operation == "create"\n    approvals: 3\n',
      ),
    ).toEqual([
      {
        line: 5,
        column: 11,
        rule: 'a',
        message: 'the name is already used by the rule at line 2; each rule needs its own name',
      },
    ]);
  });

  it('a rule with none of deny, approvals, approvers', () => {
    expect(problemsOf('rules:\n  - name: a\n    when: request.operation == "delete"\n')).toEqual([
      {
        line: 2,
        column: 5,
        rule: 'a',
        message: 'the rule has no effect: give it at least one of deny, approvals, approvers',
      },
    ]);
  });

  it('a CEL condition that does not compile, at the offending character', () => {
    expect(
      problemsOf('rules:\n  - name: a\n    when: request.operation = "delete"\n    approvals: 2\n'),
    ).toEqual([{ line: 3, column: 29, rule: 'a', message: 'when: Unexpected character: =' }]);
    expect(problemsOf('rules:\n  - name: a\n    when: "request.operation == 1"\n    approvals: 2\n')).toEqual(
      [{ line: 3, column: 12, rule: 'a', message: 'when: no such overload: string == int' }],
    );
  });

  it('a CEL condition that does not return a boolean', () => {
    expect(
      problemsOf(
        'rules:\n  - name: a\n    when: request.operation\n    approvals: 2\n  - name: b\n    when: request.params.AutoPay\n    approvals: 2\n',
      ),
    ).toEqual([
      {
        line: 3,
        column: 11,
        rule: 'a',
        message: 'when: the condition must be true or false, but its type is string',
      },
      {
        line: 6,
        column: 11,
        rule: 'b',
        message: expect.stringContaining('its type is dyn (compare a parameter with a value'),
      },
    ]);
  });

  it('an unknown variable or field, in plain, quoted and block conditions', () => {
    expect(
      problemsOf(
        [
          'rules:',
          '  - name: a',
          '    when: reqest.operation == "delete"',
          '    approvals: 2',
          '  - name: b',
          "    when: 'request.param.X == 1'",
          '    approvals: 2',
          '  - name: c',
          '    when: |',
          '      request.operation == "delete" &&',
          '        request.resorce == "vpn_gateway"',
          '    approvals: 2',
        ].join('\n'),
      ),
    ).toEqual([
      { line: 3, column: 11, rule: 'a', message: 'when: Unknown variable: reqest' },
      { line: 6, column: 20, rule: 'b', message: 'when: No such key: param' },
      { line: 11, column: 17, rule: 'c', message: 'when: No such key: resorce' },
    ]);
  });

  it('a folded condition is placed at its start, with the character in the condition', () => {
    expect(
      problemsOf(
        'rules:\n  - name: a\n    when: >-\n      request.operation ==\n      1\n    approvals: 2\n',
      ),
    ).toEqual([
      {
        line: 3,
        column: 11,
        rule: 'a',
        message: 'when: no such overload: string == int (at character 1 of the condition)',
      },
    ]);
  });

  it('approvers that are not Slack user or group ids', () => {
    expect(
      problemsOf(
        'rules:\n  - name: a\n    when: request.operation == "delete"\n    approvers: [S0LEADS, "@net-leads", u123]\n',
      ),
    ).toEqual([
      {
        line: 4,
        column: 26,
        rule: 'a',
        message: expect.stringMatching(/^approvers: "@net-leads" is not a Slack/),
      },
      { line: 4, column: 40, rule: 'a', message: expect.stringMatching(/^approvers: "u123" is not a Slack/) },
    ]);
    expect(
      problemsOf('rules:\n  - name: a\n    when: request.operation == "delete"\n    approvers: []\n'),
    ).toEqual([
      {
        line: 4,
        column: 16,
        rule: 'a',
        message: expect.stringMatching(/^approvers must be a non-empty list/),
      },
    ]);
  });

  it('more approvals than the people a rule names, with no group', () => {
    expect(
      problemsOf(
        'rules:\n  - name: a\n    when: request.operation == "delete"\n    approvals: 3\n    approvers: [U0A1, U0A2]\n',
      ),
    ).toEqual([
      {
        line: 4,
        column: 16,
        rule: 'a',
        message:
          'approvals is 3 but approvers names only 2 person(s) and no group: no request matching this rule could ever be approved',
      },
    ]);
  });

  it('a deny missing a language, or in a language the bot does not speak', () => {
    expect(
      problemsOf(
        [
          'rules:',
          '  - name: a',
          '    when: request.operation == "delete"',
          '    deny: { en: "No." }',
          '  - name: b',
          '    when: request.operation == "delete"',
          '    deny:',
          '      en: "No."',
          '      zh: "不"',
          '  - name: c',
          '    when: request.operation == "delete"',
          '    deny: { en: "No.", zh-CN: "" }',
        ].join('\n'),
      ),
    ).toEqual([
      { line: 4, column: 11, rule: 'a', message: 'deny has no message in zh-CN' },
      { line: 8, column: 7, rule: 'b', message: 'deny has no message in zh-CN' },
      {
        line: 9,
        column: 7,
        rule: 'b',
        message: 'unknown field "zh" (did you mean "zh-CN"?); the fields are en, zh-CN',
      },
      { line: 12, column: 31, rule: 'c', message: 'deny.zh-CN must be a non-empty string' },
    ]);
  });

  it('lists every problem of a file at once, in file order, as a configuration error', () => {
    let caught: unknown;
    try {
      parsePolicy(
        [
          'rules:',
          '  - name: no-beijing',
          '    when: request.params.RegionId == "cn-beijing"',
          '    deny: { en: "Not in Beijing." }',
          '  - name: prepay',
          '    when: reqest.resource == "vpn_gateway"',
          '    approvals: two',
          '  - name: no-beijing',
          '    when: request.operation == "delete"',
          '    aprovers: [S0LEADS]',
        ].join('\n'),
        'ops/policy.yml',
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as PolicyError;
    expect(error.issues.map((p) => `${p.line}:${p.column}`)).toEqual([
      '4:11',
      '6:11',
      '7:16',
      '8:5',
      '8:11',
      '10:5',
    ]);
    expect(error.message.split('\n')).toEqual([
      'Policy file ops/policy.yml is invalid (6 problems):',
      '  - ops/policy.yml:4:11: rule "no-beijing": deny has no message in zh-CN',
      '  - ops/policy.yml:6:11: rule "prepay": when: Unknown variable: reqest',
      '  - ops/policy.yml:7:16: rule "prepay": approvals must be a whole number from 1 to 10 (got "two")',
      '  - ops/policy.yml:8:5: rule "no-beijing": the rule has no effect: give it at least one of deny, approvals, approvers',
      '  - ops/policy.yml:8:11: rule "no-beijing": the name is already used by the rule at line 2; each rule needs its own name',
      expect.stringMatching(/^ {2}- ops\/policy\.yml:10:5: rule "no-beijing": unknown field "aprovers"/),
    ]);
  });

  it('a file that cannot be read', async () => {
    const missing = join(dir, 'absent.yml');
    await expect(loadPolicyFile(missing)).rejects.toThrow(
      `${missing}:1:1: POLICY_FILE cannot be read (there is no such file)`,
    );
  });

  it('reads a file from disk with the same checks', async () => {
    const path = join(dir, 'bad.yml');
    writeFileSync(path, 'rules:\n  - name: a\n    when: request.operation == "delete"\n');
    await expect(loadPolicyFile(path)).rejects.toThrow(`${path}:2:5: rule "a": the rule has no effect`);
  });
});

describe('the bounds on a policy file, each refused with where it is crossed', () => {
  const rule = (i: number, when = 'request.operation == "delete"') =>
    `  - name: rule-${i}\n    when: ${when}\n    approvals: 2\n`;

  it('a file larger than the limit, from disk without reading it, and as text', async () => {
    const big = `rules:\n${rule(1)}${'#'.repeat(POLICY_LIMITS.maxFileBytes)}\n`;
    const path = join(dir, 'big.yml');
    writeFileSync(path, big);
    const bytes = Buffer.byteLength(big);
    const message = `the file is ${bytes} bytes, more than ${POLICY_LIMITS.maxFileBytes}; a policy is a list of short rules`;
    await expect(loadPolicyFile(path)).rejects.toThrow(`${path}:1:1: ${message}`);
    expect(problemsOf(big)).toEqual([{ line: 1, column: 1, message }]);
  });

  it('more rules than the limit, at the first rule too many, with the others still checked', () => {
    const rules = Array.from({ length: POLICY_LIMITS.maxRules + 2 }, (_, i) => rule(i + 1));
    rules[3] = rule(4, 'request.operation == 1');
    const problems = problemsOf(`rules:\n${rules.join('')}`);
    expect(problems).toEqual([
      expect.objectContaining({ line: 12, rule: 'rule-4', message: 'when: no such overload: string == int' }),
      {
        line: 2 + 3 * POLICY_LIMITS.maxRules,
        column: 5,
        rule: `#${POLICY_LIMITS.maxRules + 1}`,
        message: `the policy has ${POLICY_LIMITS.maxRules + 2} rules, more than ${POLICY_LIMITS.maxRules}; every request is checked against every rule`,
      },
    ]);
    expect(
      parsePolicy(
        `rules:\n${rules.slice(0, POLICY_LIMITS.maxRules).join('').replace('== 1', '== "x"')}`,
        'p.yml',
      ).rules,
    ).toHaveLength(POLICY_LIMITS.maxRules);
  });

  it('a condition longer than the limit', () => {
    const when = `request.operation == "${'d'.repeat(POLICY_LIMITS.maxConditionLength)}"`;
    expect(problemsOf(`rules:\n${rule(1, when)}`)).toEqual([
      {
        line: 3,
        column: 11,
        rule: 'rule-1',
        message: `when: the condition is ${when.length} characters long, more than ${POLICY_LIMITS.maxConditionLength}; split it into several rules`,
      },
    ]);
  });

  it('a condition nested deeper than the limit', () => {
    const deep = `${'('.repeat(POLICY_LIMITS.maxDepth + 1)}true${')'.repeat(POLICY_LIMITS.maxDepth + 1)}`;
    const [problem] = problemsOf(`rules:\n${rule(1, deep)}`);
    expect(problem).toMatchObject({ line: 3, rule: 'rule-1' });
    expect(problem?.message).toMatch(/maxDepth/);
  });
});
