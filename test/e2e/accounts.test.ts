/**
 * Several Alibaba Cloud accounts, chosen by channel (ACCOUNTS_FILE), through the real app over
 * signed HTTP: the simulator serves each account with a key pair of its own, and a fake STS (TLS)
 * answers AssumeRole for the accounts reached through a RAM role.
 *
 * - A channel of one account gets no account select, and its requests are signed with that
 *   account's credentials only: they land in it and in no other.
 * - A channel of several accounts gets the select first; the choice is recorded, bound to the
 *   approval, and where the resource is made.
 * - `/gateway delete` of one account's resource from a channel of another is answered as for an id
 *   that does not exist.
 * - A role STS refuses gives a plain error in the form; nothing is asked of any account. A role
 *   refused once the request waits for approval fails it at its create, saying why in the thread
 *   and the audit trail, with nothing sent to any account.
 * - No key, token or secret reaches Slack, the logs, Redis or an error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSts, startFakeSts } from '../../src/sandbox/simulator/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, CLOUD_KEY, OTHER_CHANNEL, PEOPLE, THIRD_CHANNEL, useE2E } from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';
import { testRedis } from '../support/redis.js';
import { makeTlsFiles } from '../support/redis-servers.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

/** The bot's own identity: it assumes the roles. */
const BOT = { name: 'bot', accessKeyId: CLOUD_KEY.id, accessKeySecret: CLOUD_KEY.secret };
const PRODUCTION = {
  name: 'production',
  accessKeyId: 'prod-key-id',
  accessKeySecret: 'prod-secret-value-5c1e',
};
const STAGING = {
  name: 'staging',
  accessKeyId: 'staging-root-key',
  accessKeySecret: 'staging-root-secret-77aa',
};
const LAB = { name: 'lab', accessKeyId: 'lab-root-key', accessKeySecret: 'lab-root-secret-0b3f' };
const BRANCH = { name: 'branch', accessKeyId: 'branch-root-key', accessKeySecret: 'branch-root-secret-9d21' };
const STAGING_ROLE = 'acs:ram::1000000000000002:role/gateway-bot';
const LAB_ROLE = 'acs:ram::1000000000000003:role/gateway-bot';
const BRANCH_ROLE = 'acs:ram::1000000000000004:role/gateway-bot';

const t = testRedis('accounts');
let dir: string;
let tlsCa: string;
let file: string;
let sim: TestSimulator;
let sts: RunningSts;
/** The bot's log, read by the tests. */
const log = capturedLogger('debug');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gw-accounts-'));
  const tls = makeTlsFiles(dir);
  tlsCa = tls.ca;
  sim = await startTestSimulator({ accounts: [BOT, PRODUCTION, STAGING, LAB, BRANCH], provisionTimeMs: 400 });
  sts = await startFakeSts({
    simulator: sim,
    roles: [
      { arn: STAGING_ROLE, account: 'staging', externalId: 'netops-staging', trustedAccounts: ['bot'] },
      { arn: LAB_ROLE, account: 'lab', trustedAccounts: ['bot'] },
      { arn: BRANCH_ROLE, account: 'branch', trustedAccounts: ['bot'] },
    ],
    tls: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
  });
  sts.refuse(LAB_ROLE);
  file = path.join(dir, 'accounts.yml');
  writeFileSync(
    file,
    [
      'accounts:',
      '  production:',
      `    channels: [${CHANNEL}]`,
      '    label: { en: Production, zh-CN: 生产 }',
      '    credentials: { access_key_id_env: PROD_AK_ID, access_key_secret_env: PROD_AK_SECRET }',
      '  staging:',
      `    channels: [${CHANNEL}, ${OTHER_CHANNEL}]`,
      '    regions: [cn-hangzhou, cn-shanghai]',
      `    credentials: { ram_role_arn: "${STAGING_ROLE}", external_id: netops-staging }`,
      '  lab:',
      `    channels: [${CHANNEL}]`,
      `    credentials: { ram_role_arn: "${LAB_ROLE}" }`,
      '  branch:',
      `    channels: [${THIRD_CHANNEL}]`,
      `    credentials: { ram_role_arn: "${BRANCH_ROLE}" }`,
    ].join('\n'),
  );
});
afterAll(async () => {
  await sts?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Registered after the set-up above: started once it is ready, closed before it is torn down.
const e = useE2E(t, () => ({
  conformance: true,
  env: {
    ACCOUNTS_FILE: file,
    PROD_AK_ID: PRODUCTION.accessKeyId,
    PROD_AK_SECRET: PRODUCTION.accessKeySecret,
    ALIBABA_CLOUD_STS_ENDPOINT: sts.endpoint,
  },
  overrides: {
    sim,
    stsCa: tlsCa,
    logger: log.logger,
  },
}));

/** Every block id of a modal's inputs, in order. */
const blockIds = (view: Record<string, unknown>) =>
  ((view.blocks ?? []) as { type: string; block_id?: string }[])
    .filter((b) => b.type === 'input')
    .map((b) => b.block_id);

async function approved(channel: string, ip: string): Promise<ResourceRequest> {
  const [asked] = await e.bot.store.recentInChannel(channel, 1);
  expect(asked?.params.IpAddress).toBe(ip);
  const request = await e.requestMessage(asked?.id ?? '');
  await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
  return e.waitForState(request.id, ['succeeded', 'failed']);
}

describe('several Alibaba Cloud accounts, chosen by channel', () => {
  it('asks nothing in a channel of one account, and makes the request there with its credentials only', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer', OTHER_CHANNEL);
    expect(blockIds(modal.view)[0]).toBe('RegionId');
    // The account's regions only.
    const regions = await e.options(PEOPLE.requester, modal, 'RegionId', {});
    expect(regions.map((r) => r.value)).toEqual(['cn-hangzhou', 'cn-shanghai']);
    const before = { production: sim.requests('production').length, bot: sim.requests('bot').length };
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '47.96.8.1',
    });
    expect(answer.text).toBe('');
    const done = await approved(OTHER_CHANNEL, '47.96.8.1');
    expect(done).toMatchObject({ state: 'succeeded', account: 'staging' });
    const cgw = done.cloud.resourceId ?? '';
    expect(sim.state('staging').customerGateways.map((g) => g.CustomerGatewayId)).toContain(cgw);
    expect(sim.state('production').customerGateways).toEqual([]);
    // Nothing was asked of the other accounts; the role was assumed with the bot's own key.
    expect(sim.requests('production').length).toBe(before.production);
    expect(sim.requests('bot').length).toBe(before.bot);
    expect(sts.calls().at(-1)).toMatchObject({ roleArn: STAGING_ROLE });
    // A region the account does not offer is refused in the form.
    const other = await e.openModal(PEOPLE.requester, 'customer', OTHER_CHANNEL);
    const refused = await e.submit(PEOPLE.requester, other, {
      RegionId: { option: 'cn-beijing' },
      IpAddress: '47.96.8.2',
    });
    expect(refused.body).toMatchObject({
      response_action: 'errors',
      errors: { RegionId: expect.stringContaining('cn-beijing is not a region of account `staging`') },
    });
  });

  it('asks which account first in a channel of several, and binds the choice to the approval', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    expect(blockIds(modal.view)[0]).toBe('account');
    const accountSelect = (
      modal.view.blocks as { block_id?: string; element?: { options?: { value: string }[] } }[]
    ).find((b) => b.block_id === 'account');
    expect(accountSelect?.element?.options?.map((o) => o.value)).toEqual(['production', 'staging', 'lab']);
    // Without a choice: the pick-lists say so, and the form refuses on the select.
    const hint = await e.options(PEOPLE.requester, modal, 'RegionId', {});
    expect(hint.map((o) => o.value)).toEqual(['__choose_account__']);
    const unchosen = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-hangzhou' },
      IpAddress: '47.96.9.1',
    });
    expect(unchosen.body).toMatchObject({
      response_action: 'errors',
      errors: { account: expect.any(String) },
    });

    // Chosen, the account leads the pick-lists: its regions, its resources.
    const regions = await e.options(PEOPLE.requester, modal, 'RegionId', {
      account: { option: 'production' },
    });
    expect(regions.map((r) => r.value)).toContain('cn-beijing');
    const answer = await e.submit(PEOPLE.requester, modal, {
      account: { option: 'production' },
      RegionId: { option: 'cn-hangzhou' },
      IpAddress: '47.96.9.1',
    });
    expect(answer.text).toBe('');
    const [asked] = await e.bot.store.recentInChannel(CHANNEL, 1);
    const message = await e.requestMessage(asked?.id ?? '');
    expect(message.account).toBe('production');
    expect(JSON.stringify(e.slack.workspace.findMessage(CHANNEL, message.messageTs)?.blocks)).toContain(
      'Production (production)',
    );
    // (The approval covers the account: test/workflow/account-binding.test.ts.)
    const done = await approved(CHANNEL, '47.96.9.1');
    expect(done).toMatchObject({ state: 'succeeded', account: 'production' });
    expect(sim.state('production').customerGateways.map((g) => g.CustomerGatewayId)).toContain(
      done.cloud.resourceId,
    );
    expect(sim.state('staging').customerGateways.map((g) => g.IpAddress)).not.toContain('47.96.9.1');
  });

  it('answers a delete of another account’s resource as for an id that does not exist', async () => {
    const [made] = (await e.bot.store.recentInChannel(CHANNEL, 10)).filter(
      (r) => r.account === 'production' && r.state === 'succeeded',
    );
    const cgw = made?.cloud.resourceId ?? '';
    expect(cgw).toMatch(/^cgw-/);
    const before = e.slack.callsTo('chat.postEphemeral').length;
    await e.command(PEOPLE.requester, `delete ${cgw}`, OTHER_CHANNEL);
    const call = await e.slack.waitFor(() => e.slack.callsTo('chat.postEphemeral')[before]);
    expect(String(call.params.text)).toContain(`I find no ${cgw} that this channel may delete`);
    expect((await e.bot.store.recentInChannel(OTHER_CHANNEL, 10)).some((r) => r.operation === 'delete')).toBe(
      false,
    );
  });

  it('refuses plainly in the form when STS refuses the account’s role, asking nothing of any account', async () => {
    const asked = { all: ['bot', 'production', 'staging', 'lab'].map((a) => sim.requests(a).length) };
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const answer = await e.submit(PEOPLE.requester, modal, {
      account: { option: 'lab' },
      RegionId: { option: 'cn-hangzhou' },
      IpAddress: '47.96.10.1',
    });
    expect(answer.body).toMatchObject({
      response_action: 'errors',
      errors: { account: expect.stringMatching(/`lab` cannot be reached now.*STS answered NoPermission/) },
    });
    expect(['bot', 'production', 'staging', 'lab'].map((a) => sim.requests(a).length)).toEqual(asked.all);
    expect(
      (await e.bot.store.recentInChannel(CHANNEL, 20)).some((r) => r.params.IpAddress === '47.96.10.1'),
    ).toBe(false);
    expect(log.text()).toContain('could not assume the account’s RAM role');
  });

  it('fails a request plainly, in the thread and the audit, when the role is refused after its approval', async () => {
    // The branch account's credentials last two seconds from the sign-in at submission.
    sts.expireCredentialsAt(Date.now() + 2_000);
    const modal = await e.openModal(PEOPLE.requester, 'customer', THIRD_CHANNEL);
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-hangzhou' },
      IpAddress: '47.96.11.1',
    });
    expect(answer.text).toBe('');
    sts.expireCredentialsAt();
    // The role's trust is withdrawn while the request waits, and what the bot held runs out.
    sts.refuse(BRANCH_ROLE);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const asked = ['bot', 'production', 'staging', 'lab'].map((a) => sim.requests(a).length);
    const branchCalls = sim.requests('branch').length;
    try {
      const done = await approved(THIRD_CHANNEL, '47.96.11.1');
      expect(done).toMatchObject({ state: 'failed', account: 'branch' });
      expect(done.error).toMatchObject({ code: 'AssumeRole.NoPermission' });
      // Nothing reached any account, the branch account included.
      expect(['bot', 'production', 'staging', 'lab'].map((a) => sim.requests(a).length)).toEqual(asked);
      expect(sim.requests('branch').length).toBe(branchCalls);
      expect(sim.state('branch').customerGateways).toEqual([]);
      const trail = await e.bot.store.auditTrail(done.id);
      expect(JSON.stringify(trail.at(-1))).toContain('AssumeRole.NoPermission');
      // The result in the thread says why, in plain words.
      const result = await e.slack.waitFor(() =>
        e.slack
          .thread(THIRD_CHANNEL, done.messageTs ?? '')
          .find((m) => JSON.stringify(m).includes('RAM role')),
      );
      expect(JSON.stringify(result.blocks)).toContain(
        'The bot could not sign in to the account through its RAM role: STS answered NoPermission.',
      );
    } finally {
      sts.refuse(BRANCH_ROLE, false);
    }
  });

  it('lets no key, token or secret reach Slack, the logs or Redis', async () => {
    const secrets = [
      PRODUCTION.accessKeySecret,
      STAGING.accessKeySecret,
      CLOUD_KEY.secret,
      // What STS issued: the temporary keys the simulator accepts for the staging account.
      ...sts.calls().flatMap((c) => {
        const issued = c.accessKeyId ? sim.keys.find(c.accessKeyId) : undefined;
        return issued ? [issued.accessKeySecret, issued.securityToken] : [];
      }),
    ].filter((s): s is string => typeof s === 'string' && s.length > 0);
    expect(secrets.length).toBeGreaterThan(4);
    const slackCalls = JSON.stringify(e.slack.calls);
    const redis = (await t.everyValue()).join('\n');
    for (const secret of secrets) {
      expect(slackCalls).not.toContain(secret);
      expect(log.text()).not.toContain(secret);
      expect(redis).not.toContain(secret);
    }
  });
});
