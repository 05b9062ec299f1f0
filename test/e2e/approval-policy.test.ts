/**
 * The approval policy in the real bot, over signed HTTP, with POLICY_FILE read from a temporary
 * folder: a deny refused in the modal in the requester's language; a rule needing two approvals
 * from a user group (in the fake Slack), where an approval from outside it does not count and the
 * approver is told why; two rules combining; a policy change between submission and click.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';

const dir = mkdtempSync(join(tmpdir(), 'approval-policy-'));
const POLICY_FILE = join(dir, 'policy.yml');
const LEAD3 = 'U0LEAD3';
const LEAD4 = 'U0LEAD4';
const LEADS_GROUP = 'S0LEADS';

const RULES = `rules:
  - name: no-beijing
    when: request.params.RegionId == "cn-beijing"
    deny:
      en: Gateways in Beijing are not approved for this account.
      zh-CN: 本账号不允许在北京创建网关。
  - name: pair-needs-two-leads
    when: has(request.params.Name) && request.params.Name == "pair"
    approvals: 2
    approvers: [${LEADS_GROUP}]
  - name: combo-three-leads
    when: has(request.params.Name) && request.params.Name == "combo"
    approvals: 3
    approvers: [${LEADS_GROUP}]
  - name: combo-named-people
    when: has(request.params.Name) && request.params.Name == "combo"
    approvals: 2
    approvers: [${PEOPLE.lead1}, ${PEOPLE.lead2}, ${LEAD3}, ${PEOPLE.outsider}]
`;

// The policy file is written before the bot starts and removed after it is closed.
beforeAll(() => {
  writeFileSync(POLICY_FILE, RULES);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const e = useE2E('e2e-policy', {
  env: {
    POLICY_FILE,
    // The base rule lets all five approve; the policy's rules narrow that per request.
    APPROVERS: [PEOPLE.lead1, PEOPLE.lead2, LEAD3, LEAD4, PEOPLE.outsider].join(','),
  },
});

beforeAll(() => {
  e.slack.workspace.usergroups.set(LEADS_GROUP, [PEOPLE.lead1, PEOPLE.lead2, LEAD3, LEAD4]);
});

async function submitCustomer(
  ip: string,
  values: Record<string, string> = {},
  user: string = PEOPLE.requester,
) {
  const modal = await e.openModal(user, 'customer');
  return e.submit(user, modal, { RegionId: { option: 'cn-shanghai' }, IpAddress: ip, ...values });
}

async function posted(ip: string): Promise<ResourceRequest & { messageTs: string }> {
  const found = (await e.bot.store.recentInChannel(CHANNEL, 100)).find((r) => r.params.IpAddress === ip);
  if (!found) throw new Error(`no request for ${ip}`);
  return e.requestMessage(found.id);
}

/** The request message as Slack shows it now. */
function card(request: ResourceRequest): string {
  const message = e.slack.workspace.findMessage(CHANNEL, request.messageTs ?? '');
  return JSON.stringify(message?.blocks ?? []);
}

/** Clicks Approve and waits for the ephemeral answer the clicker gets, if any is expected. */
async function approveRefused(user: string, request: ResourceRequest): Promise<string> {
  const before = e.slack.workspace.ephemerals.filter((m) => m.user === user).length;
  await e.click(user, ACTION_IDS.approve, request);
  const told = await e.slack.waitFor(
    () => e.slack.workspace.ephemerals.filter((m) => m.user === user)[before],
  );
  return told.text;
}

async function approveCounted(user: string, request: ResourceRequest, approvals: number): Promise<void> {
  await e.click(user, ACTION_IDS.approve, request);
  await expect
    .poll(async () => (await e.bot.store.mustGet(request.id)).approvals.map((a) => a.userId))
    .toHaveLength(approvals);
}

describe('the approval policy, end to end', () => {
  it('refuses a denied request in the modal, in the requester’s language, posting and storing nothing', async () => {
    const messages = e.slack.messages(CHANNEL).length;
    const stored = await e.bot.store.countInChannel(CHANNEL);

    const english = await submitCustomer('47.80.0.1', { RegionId: 'cn-beijing' });
    // On the modal's first field, which every form shows.
    expect(english.body).toEqual({
      response_action: 'errors',
      errors: { RegionId: 'Gateways in Beijing are not approved for this account.' },
    });
    // lead2's Slack language is zh-CN.
    const chinese = await submitCustomer('47.80.0.1', { RegionId: 'cn-beijing' }, PEOPLE.lead2);
    expect(chinese.body).toEqual({
      response_action: 'errors',
      errors: { RegionId: '本账号不允许在北京创建网关。' },
    });

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(e.slack.messages(CHANNEL)).toHaveLength(messages);
    expect(await e.bot.store.countInChannel(CHANNEL)).toBe(stored);
  });

  it('needs two approvals from the group; one from outside it does not count, and its giver is told why', async () => {
    const lookups = e.slack.callsTo('usergroups.users.list').length;
    const answer = await submitCustomer('47.80.0.2', { Name: 'pair' });
    expect(answer.text).toBe('');
    const request = await posted('47.80.0.2');
    expect(request.requirement).toMatchObject({
      requiredApprovals: 2,
      constraints: [{}, { rule: 'pair-needs-two-leads', users: [], groups: [LEADS_GROUP] }],
    });
    expect(card(request)).toContain(`2 approvals from <!subteam^${LEADS_GROUP}>: rule pair-needs-two-leads`);
    expect(card(request)).toContain('0/2');

    // The intern may approve by the base rule, but is not in the group this rule asks for.
    const told = await approveRefused(PEOPLE.outsider, request);
    expect(told).toBe(
      `Your approval does not count: rule pair-needs-two-leads needs someone who is in <!subteam^${LEADS_GROUP}>.`,
    );
    const after = await e.bot.store.mustGet(request.id);
    expect(after.approvals).toEqual([]);
    expect(after.state).toBe('pending_approval');
    const refused = (await e.bot.store.auditTrail(request.id)).at(-1);
    expect(refused).toMatchObject({ actor: PEOPLE.outsider, refused: 'not_eligible' });

    await approveCounted(PEOPLE.lead1, request, 1);
    await e.slack.waitFor(() => card(request).includes('1/2') || undefined);
    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');
    await e.click(PEOPLE.lead2, ACTION_IDS.approve, request);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    expect(done.approvals.map((a) => a.userId)).toEqual([PEOPLE.lead1, PEOPLE.lead2]);
    // Three clicks, one look at the group: its members are kept for 30 seconds.
    expect(e.slack.callsTo('usergroups.users.list').length - lookups).toBeLessThanOrEqual(1);
  });

  it('combines two rules: the most approvals of any, from people every rule allows', async () => {
    await submitCustomer('47.80.0.3', { Name: 'combo' });
    const request = await posted('47.80.0.3');
    expect(request.requirement?.requiredApprovals).toBe(3);
    expect(request.requirement?.matches.map((m) => m.rule)).toEqual([
      'combo-three-leads',
      'combo-named-people',
    ]);
    expect(card(request)).toContain('0/3');
    expect(card(request)).toContain('rule combo-named-people');

    // In the named list but not in the group; in the group but not in the list: neither counts.
    expect(await approveRefused(PEOPLE.outsider, request)).toBe(
      `Your approval does not count: rule combo-three-leads needs someone who is in <!subteam^${LEADS_GROUP}>.`,
    );
    expect(await approveRefused(LEAD4, request)).toBe(
      `Your approval does not count: rule combo-named-people needs someone who is <@${PEOPLE.lead1}>, <@${PEOPLE.lead2}>, <@${LEAD3}> or <@${PEOPLE.outsider}>.`,
    );
    await approveCounted(PEOPLE.lead1, request, 1);
    await approveCounted(PEOPLE.lead2, request, 2);
    // Two approvals meet one rule's count, not the larger one.
    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');
    await e.click(LEAD3, ACTION_IDS.approve, request);
    expect((await e.waitForState(request.id, ['succeeded', 'failed'])).state).toBe('succeeded');
  });

  it('lets anyone the base rule allows reject, even outside a rule’s approvers', async () => {
    await submitCustomer('47.80.0.4', { Name: 'pair' });
    const request = await posted('47.80.0.4');
    const opens = e.slack.callsTo('views.open').length;
    await e.click(PEOPLE.outsider, ACTION_IDS.reject, request);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opens]);
    const modal = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    expect(modal.view.callback_id).toBe('reject_reason');
    await e.submit(PEOPLE.outsider, modal, { reason: 'Not this quarter' });
    expect((await e.waitForState(request.id, ['rejected'])).rejection?.userId).toBe(PEOPLE.outsider);
  });

  it('applies a policy changed between submission and click at the click', async () => {
    await submitCustomer('47.80.0.5', { Name: 'later' });
    const request = await posted('47.80.0.5');
    // Submitted under the base rule alone: one approval from any approver.
    expect(request.requirement).toMatchObject({ requiredApprovals: 1, matches: [] });
    expect(card(request)).toContain('0/1');

    writeFileSync(
      POLICY_FILE,
      `${RULES}  - name: later-needs-two-leads
    when: has(request.params.Name) && request.params.Name == "later"
    approvals: 2
    approvers: [${LEADS_GROUP}]
`,
    );
    try {
      // What SIGHUP does in a running bot.
      const now = await e.bot.policy.reload();
      expect(now?.rules.map((r) => r.name)).toContain('later-needs-two-leads');

      expect(await approveRefused(PEOPLE.outsider, request)).toBe(
        `Your approval does not count: rule later-needs-two-leads needs someone who is in <!subteam^${LEADS_GROUP}>.`,
      );
      await approveCounted(PEOPLE.lead1, request, 1);
      // One approval no longer suffices; the card now says what the click was judged by.
      const halfway = await e.bot.store.mustGet(request.id);
      expect(halfway.state).toBe('pending_approval');
      expect(halfway.requirement?.requiredApprovals).toBe(2);
      await e.slack.waitFor(
        () =>
          (card(request).includes('1/2') && card(request).includes('rule later-needs-two-leads')) ||
          undefined,
      );
      await e.click(PEOPLE.lead2, ACTION_IDS.approve, request);
      expect((await e.waitForState(request.id, ['succeeded', 'failed'])).state).toBe('succeeded');
    } finally {
      writeFileSync(POLICY_FILE, RULES);
      await e.bot.policy.reload();
    }
  });
});
