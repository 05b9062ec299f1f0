import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-commands-'));
const t = testRedis('policy-reload');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.cleanup();
});

const BAD = join(dir, 'bad.yml');
writeFileSync(
  BAD,
  [
    'rules:',
    '  - name: no-beijing',
    '    when: request.params.RegionId == "cn-beijing"',
    '    deny: { en: "Not in Beijing." }',
    '  - name: prepay',
    '    when: reqest.params.InstanceChargeType == "PREPAY"',
    '    approvals: 2',
  ].join('\n'),
);

async function policyCommand(args: string[], env: Record<string, string> = {}) {
  const p = runNode('src/tools/policy.ts', env, args);
  const { code } = await p.exited;
  return { code, output: p.output() };
}

describe('npm run policy -- check', () => {
  it('accepts a valid file and names its rules', async () => {
    const { code, output } = await policyCommand(['check', 'policy.example.yml']);
    expect(output).toBe(
      'policy.example.yml: valid, 4 rules: no-beijing, prepay-needs-two, deletes-need-network-leads, gigabit-needs-two\n',
    );
    expect(code).toBe(0);
  });

  it('lists every problem with its position and exits 1; POLICY_FILE is the default file', async () => {
    const { code, output } = await policyCommand(['check'], { POLICY_FILE: BAD });
    expect(output.trim().split('\n')).toEqual([
      `Policy file ${BAD} is invalid (2 problems):`,
      `  - ${BAD}:4:11: rule "no-beijing": deny has no message in zh-CN`,
      `  - ${BAD}:6:11: rule "prepay": when: Unknown variable: reqest`,
    ]);
    expect(code).toBe(1);
  });
});

describe('npm run policy -- check, on regular expressions', () => {
  it('lists each pattern RE2 cannot run, with its rule and place, and exits 1 as the bot would refuse to start', async () => {
    const file = join(dir, 'patterns.yml');
    writeFileSync(
      file,
      [
        'rules:',
        '  - name: no-test-names',
        '    when: request.params.Name.matches("^(?!prod-)")',
        '    deny: { en: "Production names only.", zh-CN: "只允许生产名称。" }',
        '  - name: doubled',
        '    when: request.params.Name.matches("(.)\\\\1")',
        '    approvals: 2',
      ].join('\n'),
    );
    const { code, output } = await policyCommand(['check', file]);
    expect(output.trim().split('\n')).toEqual([
      `Policy file ${file} is invalid (2 problems):`,
      `  - ${file}:3:39: rule "no-test-names": when: matches(): RE2 cannot run the pattern "^(?!prod-)" (invalid or unsupported Perl syntax: (?!); matches() uses RE2, which has no backreferences, lookahead or lookbehind`,
      `  - ${file}:6:39: rule "doubled": when: matches(): RE2 cannot run the pattern "(.)\\\\1" (invalid escape sequence: \\1); matches() uses RE2, which has no backreferences, lookahead or lookbehind`,
    ]);
    expect(code).toBe(1);
  });

  it('warns about a pattern computed when its rule runs, which it cannot check, and exits 0', async () => {
    const file = join(dir, 'computed.yml');
    writeFileSync(
      file,
      'rules:\n  - name: prefixed\n    when: request.params.Name.matches("^" + request.params.RegionId)\n    approvals: 2\n',
    );
    const { code, output } = await policyCommand(['check', file]);
    expect(output.trim().split('\n')).toEqual([
      `${file}: valid, 1 rule: prefixed`,
      `  warning: ${file}:3:39: rule "prefixed": when: matches(): the pattern is computed when the rule runs, so it cannot be checked now; if RE2 cannot run it then, the rule applies`,
    ]);
    expect(code).toBe(0);
  });
});

describe('npm run policy -- explain', () => {
  it('prints the rules a request matches and the decision, with the base rule from the environment', async () => {
    const { code, output } = await policyCommand(
      [
        'explain',
        'policy.example.yml',
        '--resource',
        'vpn_gateway',
        '--operation',
        'create',
        '--param',
        'RegionId=cn-hangzhou',
        '--param',
        'Bandwidth=1000',
        '--param',
        'InstanceChargeType=PREPAY',
        '--param',
        'Name="1000"',
        '--requester',
        'U0ASKER',
      ],
      { APPROVERS: 'U0LEAD1,U0LEAD2' },
    );
    expect(code).toBe(0);
    const lines = output.split('\n');
    expect(lines).toContain(
      'params:   RegionId="cn-hangzhou" (string), Bandwidth=1000 (integer), InstanceChargeType="PREPAY" (string), Name="1000" (string)',
    );
    expect(lines).toContain(
      'base:     1 approval(s) from U0LEAD1, U0LEAD2; self-approval not allowed (from the environment)',
    );
    expect(lines.filter((l) => l.startsWith('MATCH'))).toEqual([
      'MATCH  prepay-needs-two  (line 14)',
      'MATCH  gigabit-needs-two  (line 25)',
    ]);
    expect(lines).toContain('       2 approvals from S0LEADS: rule prepay-needs-two');
    expect(lines).toContain(
      'decision: Needs 2 approvals (rules prepay-needs-two, gigabit-needs-two). An approval counts from someone who is U0LEAD1 or U0LEAD2 (approvers) and who is in S0LEADS (rule prepay-needs-two).',
    );
  });

  it('prints what docs/policy.md shows, and says when no approver is set', async () => {
    const docs = readFileSync('docs/policy.md', 'utf8');
    // The documented command, its environment and arguments, and the output printed under it.
    const [, env = '', command = '', shown = ''] =
      /\n(APPROVERS=\S+) npm run policy -- (explain [^`]+?)\n```\n\n```\n([^`]+?)```/.exec(docs) ?? [];
    const args = command
      .replace(/\\\n\s*/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    expect(args[0]).toBe('explain');
    const [name = '', value = ''] = env.split('=');
    const { code, output } = await policyCommand(args, { [name]: value });
    expect(code).toBe(0);
    expect(output).toBe(shown);
    const unset = await policyCommand(args);
    expect(unset.output).toContain(
      'APPROVERS and APPROVER_USERGROUP are not set here: set them as the bot has them, or nobody may approve',
    );
  });

  it('shows a deny in both languages', async () => {
    const { code, output } = await policyCommand(
      [
        'explain',
        'policy.example.yml',
        '--resource',
        'customer_gateway',
        '--operation',
        'create',
        '--param',
        'RegionId=cn-beijing',
        '--lang',
        'zh-CN',
      ],
      { APPROVERS: 'U0LEAD1' },
    );
    expect(code).toBe(0);
    expect(output).toContain('MATCH  no-beijing  (line 7)\n');
    expect(output).toContain('       拒绝：规则 no-beijing\n');
    expect(output).toContain(
      'decision: DENIED by rule no-beijing\n  en:    Gateways in Beijing (cn-beijing) are not approved for this account; use cn-hangzhou or cn-shanghai.\n  zh-CN: 本账号不允许在北京（cn-beijing）创建网关',
    );
  });

  it('refuses an incomplete request with the usage, exit 2', async () => {
    const { code, output } = await policyCommand(['explain', 'policy.example.yml', '--operation', 'create']);
    expect(output).toMatch(
      /^--resource must be one of vpn_gateway, customer_gateway, vpn_connection\nusage: /,
    );
    expect(code).toBe(2);
  });
});

describe('the bot at start', () => {
  it('stops on an invalid POLICY_FILE, listing every problem, before connecting anywhere', async () => {
    const bot = runNode('src/main.ts', {
      SLACK_BOT_TOKEN: 'xoxb-policy-start-test',
      SLACK_SIGNING_SECRET: 'policy-start-signing-secret',
      VPC_SANDBOX: 'true',
      APPROVERS: 'U0LEAD1',
      // Nothing listens here: had the bot tried Redis first, it would hang retrying, not exit.
      REDIS_URL: 'redis://127.0.0.1:9',
      PORT: '0',
      POLICY_FILE: BAD,
    });
    const { code } = await bot.exited;
    expect(code).not.toBe(0);
    expect(bot.output()).toContain(`Policy file ${BAD} is invalid (2 problems):`);
    expect(bot.output()).toContain(`${BAD}:6:11: rule "prepay": when: Unknown variable: reqest`);
    expect(bot.output()).not.toContain('xoxb-policy-start-test');
  });

  it('reads the file again on SIGHUP, and keeps the policy in force when the new file is invalid', async () => {
    const file = join(dir, 'reloaded.yml');
    const rule = (name: string) =>
      `  - name: ${name}\n    when: request.operation == "delete"\n    approvals: 2\n`;
    writeFileSync(file, `rules:\n${rule('first')}`);
    const bot = runNode('src/main.ts', {
      SLACK_BOT_TOKEN: 'xoxb-policy-reload-test',
      SLACK_SIGNING_SECRET: 'policy-reload-signing-secret',
      // Nothing answers here: the token check fails in the background, which this test ignores.
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      VPC_SANDBOX: 'true',
      APPROVERS: 'U0LEAD1',
      REDIS_URL,
      REDIS_PREFIX: t.prefix,
      ROLE: 'bot',
      PORT: '0',
      POLICY_FILE: file,
    });
    try {
      await bot.waitForLog(/gateway bot started/);
      writeFileSync(
        file,
        'rules:\n  - name: broken\n    when: reqest.operation == "delete"\n    approvals: 2\n',
      );
      bot.child.kill('SIGHUP');
      const refused = await bot.waitForLog(/approval policy NOT reloaded/);
      expect(refused.problems).toEqual([`${file}:3:11: rule "broken": when: Unknown variable: reqest`]);

      writeFileSync(file, `rules:\n${rule('first')}${rule('second')}`);
      bot.child.kill('SIGHUP');
      const reloaded = await bot.waitForLog(/approval policy reloaded/);
      expect(reloaded.rules).toEqual(['first', 'second']);
      // Still running: a reload never stops the bot.
      expect(bot.child.exitCode).toBeNull();
    } finally {
      await bot.stop('SIGKILL');
    }
  }, 60_000);
});
