/**
 * ACCOUNTS_FILE: the accounts, each with the channels that may use it, read and checked at start.
 * A bad file stops the start with every problem listed, where it is; credentials come from the
 * variables the file names, never from the file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accountsOf,
  ConfigError,
  DEFAULT_ACCOUNT,
  loadConfig,
  parseAccounts,
} from '../../src/config/index.js';

const HTTP_WORKSPACE = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  APPROVERS: 'U0LEADA',
};

const GOOD = `
accounts:
  production:
    channels: [C0NETOPS01, C0PRODOPS1]
    regions: [cn-hangzhou, cn-shanghai]
    label: { en: Production, zh-CN: 生产 }
    credentials:
      ram_role_arn: acs:ram::1234567890123456:role/gateway-bot
      external_id: netops-bot
  staging:
    channels: [C0NETOPS01]
    credentials:
      access_key_id_env: STAGING_AK_ID
      access_key_secret_env: STAGING_AK_SECRET
`;
const STAGING_KEYS = { STAGING_AK_ID: 'staging-key-id', STAGING_AK_SECRET: 'staging-secret-value' };

function fileWith(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'accounts-')), 'accounts.yml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('no problem was reported');
}

describe('ACCOUNTS_FILE', () => {
  it('reads accounts, their channels, regions, labels and credentials', () => {
    const accounts = parseAccounts(GOOD, 'accounts.yml', STAGING_KEYS);
    expect(accounts).toEqual([
      {
        name: 'production',
        channels: ['C0NETOPS01', 'C0PRODOPS1'],
        regions: ['cn-hangzhou', 'cn-shanghai'],
        label: { en: 'Production', 'zh-CN': '生产' },
        credentials: {
          kind: 'role',
          roleArn: 'acs:ram::1234567890123456:role/gateway-bot',
          externalId: 'netops-bot',
        },
      },
      {
        name: 'staging',
        channels: ['C0NETOPS01'],
        credentials: {
          kind: 'keys',
          accessKeyId: 'staging-key-id',
          accessKeySecret: 'staging-secret-value',
          variables: ['STAGING_AK_ID', 'STAGING_AK_SECRET'],
        },
      },
    ]);
    // A channel named by two accounts may use both; a channel named by none, neither.
    expect(accountsOf(accounts, 'C0NETOPS01').map((a) => a.name)).toEqual(['production', 'staging']);
    expect(accountsOf(accounts, 'C0PRODOPS1').map((a) => a.name)).toEqual(['production']);
    expect(accountsOf(accounts, 'C0ELSEWHERE')).toEqual([]);
  });

  it('is one account for every channel, from the environment, without a file', () => {
    const config = loadConfig({ ...HTTP_WORKSPACE, VPC_SANDBOX: 'true' });
    expect(config.accounts).toEqual([DEFAULT_ACCOUNT]);
    expect(accountsOf(config.accounts, 'C0ANYWHERE1')).toEqual([DEFAULT_ACCOUNT]);
  });

  it('stops the start with every problem of the file, each where it is, never quoting a secret', () => {
    const file = fileWith(`
accounts:
  production:
    channels: [netops, C0NETOPS01]
    regions: [Hangzhou]
    colour: blue
    credentials:
      ram_role_arn: arn:aws:iam::123:role/bot
  staging:
    channels: [C0NETOPS01]
    credentials:
      access_key_id_env: STAGING_AK_ID
      access_key_secret_env: NOT_SET_ANYWHERE
  Bad Name:
    channels: [C0NETOPS01]
    credentials: { ram_role_arn: acs:ram::1:role/x, access_key_id_env: X }
`);
    const problems = problemsOf(() =>
      loadConfig({ ...HTTP_WORKSPACE, VPC_SANDBOX: 'true', ACCOUNTS_FILE: file, ...STAGING_KEYS }),
    );
    const at = (line: number) => expect.stringContaining(`${file}:${line}:`);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`${file}:4:\\d+: "netops" is not a Slack channel id`)),
      expect.stringMatching(new RegExp(`${file}:5:\\d+: "Hangzhou" is not a region id`)),
      expect.stringMatching(new RegExp(`${file}:6:\\d+: account production: unknown key "colour"`)),
      expect.stringMatching(
        new RegExp(`${file}:8:\\d+: .*"arn:aws:iam::123:role/bot" is not a RAM role ARN`),
      ),
      expect.stringMatching(
        new RegExp(`${file}:13:\\d+: .*the environment variable NOT_SET_ANYWHERE is not set`),
      ),
      expect.stringMatching(new RegExp(`${file}:14:\\d+: "Bad Name" is not an account name`)),
    ]);
    expect(problems).toEqual(expect.arrayContaining([at(4), at(13)]));
    expect(problems.join('\n')).not.toContain('staging-secret-value');
  });

  it('says when the file cannot be read, or is not a map of accounts', () => {
    expect(
      problemsOf(() => loadConfig({ ...HTTP_WORKSPACE, ACCOUNTS_FILE: '/nonexistent/accounts.yml' })),
    ).toEqual(['/nonexistent/accounts.yml:1:1: ACCOUNTS_FILE cannot be read (there is no such file)']);
    const empty = fileWith('accounts: {}\n');
    expect(problemsOf(() => loadConfig({ ...HTTP_WORKSPACE, ACCOUNTS_FILE: empty }))).toEqual([
      expect.stringContaining('`accounts` must be a map from an account name to its settings'),
    ]);
  });

  it('asks for the bot’s own credentials when an account is reached by a RAM role', () => {
    const file = fileWith(GOOD);
    const problems = problemsOf(() =>
      loadConfig({ ...HTTP_WORKSPACE, ACCOUNTS_FILE: file, ...STAGING_KEYS }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^ACCOUNTS_FILE: account production is reached by assuming a RAM role, which needs the bot's own credentials/,
      ),
    ]);
    // Accounts whose keys the file names need nothing from the environment.
    const staging = fileWith(
      `accounts:\n  staging:\n    channels: [C0NETOPS01]\n    credentials:\n      access_key_id_env: STAGING_AK_ID\n      access_key_secret_env: STAGING_AK_SECRET\n`,
    );
    const config = loadConfig({ ...HTTP_WORKSPACE, ACCOUNTS_FILE: staging, ...STAGING_KEYS });
    expect(config.accounts.map((a) => a.name)).toEqual(['staging']);
  });
});
