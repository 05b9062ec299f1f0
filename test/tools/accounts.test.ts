/**
 * `npm run accounts -- check FILE`, as an operator runs it: a valid file's accounts (how the bot
 * signs in to each, never a key), or every problem with its place and exit code 1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'accounts-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const GOOD = file('good.yml', [
  'accounts:',
  '  production:',
  '    channels: [C0NETOPS01, C0PRODOPS1]',
  '    credentials: { ram_role_arn: "acs:ram::1234567890123456:role/gateway-bot", external_id: netops }',
  '  staging:',
  '    channels: [C0NETOPS01]',
  '    regions: [cn-hangzhou]',
  '    credentials: { access_key_id_env: STAGING_AK_ID, access_key_secret_env: STAGING_AK_SECRET }',
]);

async function accounts(args: string[], env: Record<string, string> = {}) {
  const p = runNode('src/tools/accounts.ts', env, args);
  const { code } = await p.exited;
  return { code, output: p.output() };
}

describe('npm run accounts -- check', () => {
  it('lists each account, its channels and regions, and how the bot signs in to it', async () => {
    const { code, output } = await accounts(['check', GOOD], {
      STAGING_AK_ID: 'staging-id',
      STAGING_AK_SECRET: 'staging-secret-value',
    });
    expect(code).toBe(0);
    expect(output).toContain(`${GOOD}: 2 accounts`);
    expect(output).toContain(
      'signs in:  RAM role acs:ram::1234567890123456:role/gateway-bot (with an external id), assumed with the bot',
    );
    expect(output).toContain('signs in:  access key from STAGING_AK_ID and STAGING_AK_SECRET');
    expect(output).toContain('regions:   cn-hangzhou');
    expect(output).toContain('C0NETOPS01 may use production and staging: its forms ask which.');
    expect(output).not.toContain('staging-secret-value');
    expect(output).not.toContain('netops');
  });

  it('lists every problem with its place and exits 1; ACCOUNTS_FILE is the default file', async () => {
    const { code, output } = await accounts(['check'], { ACCOUNTS_FILE: GOOD });
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`${GOOD}:8:\\d+: .*the environment variable STAGING_AK_ID is not set`));
    expect(output).toMatch(
      new RegExp(`${GOOD}:8:\\d+: .*the environment variable STAGING_AK_SECRET is not set`),
    );
  });

  it('explains its command line', async () => {
    const { code, output } = await accounts([]);
    expect(code).toBe(2);
    expect(output).toContain('usage: npm run accounts -- check [FILE]');
  });
});
