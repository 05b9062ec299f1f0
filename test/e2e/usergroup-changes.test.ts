/**
 * Someone removed from the approver user group stops approving at once: Slack's user group events,
 * sent by the fake Slack as Slack sends them (signed, in an `event_callback` envelope) to one of two
 * bot processes on one Redis, drop the kept members in both, so the next click is judged on the
 * group as it is now, whichever process it reaches; someone added counts at once the same way.
 * Without an event, the members kept are asked of Slack again after APPROVER_USERGROUP_REFRESH.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blockActionPayload, interactionBody, postToApp } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import {
  CHANNEL,
  type E2E,
  PEOPLE,
  pendingCustomerGateway,
  SIGNING_SECRET,
  startE2E,
} from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';
import { testRedis } from '../support/redis.js';

const LEADS = 'S0LEADS';
/** lead2 approves by name; lead1 only as a member of the group. */
const ENV = { APPROVERS: PEOPLE.lead2, APPROVER_USERGROUP: LEADS, LOG_LEVEL: 'info' };

/** lead1's Approve, sent to one process or the other; resolves with what the store then holds. */
async function approveVia(via: E2E, request: ResourceRequest & { messageTs: string }) {
  const byLead = async () =>
    (await via.bot.store.auditTrail(request.id)).filter((x) => x.actor === PEOPLE.lead1);
  const before = (await byLead()).length;
  const answer = await postToApp(
    via.eventsUrl,
    SIGNING_SECRET,
    interactionBody(
      blockActionPayload({
        user: PEOPLE.lead1,
        channel: CHANNEL,
        messageTs: request.messageTs,
        actionId: ACTION_IDS.approve,
        value: request.id,
        triggerId: via.slack.issueTriggerId(PEOPLE.lead1),
      }),
    ),
  );
  expect(answer.status).toBe(200);
  // An approval is written before Slack is answered; a refusal may be recorded just after.
  await expect.poll(async () => (await byLead()).length).toBeGreaterThan(before);
  return (await byLead()).at(-1);
}

describe('with Slack’s user group events, on two bot processes', () => {
  const t = testRedis('usergroup-events');
  const log = capturedLogger('info');
  let a: E2E;
  let b: E2E;

  beforeAll(async () => {
    a = await startE2E(t.prefix, ENV, { logger: log.logger });
    b = await startE2E(t.prefix, { ...ENV, ROLE: 'bot' }, { logger: log.logger });
    // One Slack: both fakes hold the same group. Its events reach one process, as behind a load balancer.
    for (const e of [a, b]) e.slack.workspace.usergroups.set(LEADS, [PEOPLE.lead1]);
    a.slack.deliverEventsTo(a.eventsUrl, SIGNING_SECRET);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await t.cleanup();
  });

  /** Changes the group in Slack: the event goes to process `a` only. */
  async function changeLeads(users: string[]) {
    await b.slack.changeUsergroup(LEADS, users);
    const delivered = await a.slack.changeUsergroup(LEADS, users);
    expect(delivered.map((d) => [d.event.type, d.status])).toEqual([
      ['subteam_members_changed', 200],
      ['subteam_updated', 200],
    ]);
    // Bolt answers an event before its listener runs: wait for the listener to have told the others.
    await vi.waitFor(() =>
      expect(log.records().filter((l) => l.usergroup === LEADS).length).toBeGreaterThanOrEqual(2),
    );
    log.lines.length = 0;
  }

  it('refuses a member removed from the group at the next click, on either process; counts one added at once', async () => {
    const [first, second, third, fourth] = [
      await pendingCustomerGateway(a, '47.67.0.1'),
      await pendingCustomerGateway(a, '47.67.0.2'),
      await pendingCustomerGateway(a, '47.67.0.3'),
      await pendingCustomerGateway(a, '47.67.0.4'),
    ] as const;
    // Each process asks Slack for the group once, and keeps it.
    expect(await approveVia(a, first)).toMatchObject({ to: 'approved' });
    expect(await approveVia(b, second)).toMatchObject({ to: 'approved' });
    const asked = () => b.slack.calls.filter((c) => c.method === 'usergroups.users.list').length;
    const askedBefore = asked();

    await changeLeads([]);
    // A moment later (not APPROVER_USERGROUP_REFRESH later), on the process the event did not reach.
    await new Promise((r) => setTimeout(r, 100));
    expect(await approveVia(b, third)).toMatchObject({ refused: 'not_approver' });
    expect(asked()).toBe(askedBefore + 1);
    expect(await approveVia(a, fourth)).toMatchObject({ refused: 'not_approver' });
    for (const r of [third, fourth]) expect((await a.bot.store.mustGet(r.id)).state).toBe('pending_approval');

    // Back in the group: counts at once too.
    await changeLeads([PEOPLE.lead1]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await approveVia(b, third)).toMatchObject({ to: 'approved' });
    expect(await approveVia(a, fourth)).toMatchObject({ to: 'approved' });
  });
});

describe('without Slack’s user group events', () => {
  const t = testRedis('usergroup-refresh');
  let e: E2E;

  beforeAll(async () => {
    e = await startE2E(t.prefix, { ...ENV, LOG_LEVEL: 'silent', APPROVER_USERGROUP_REFRESH: '1s' });
    e.slack.workspace.usergroups.set(LEADS, [PEOPLE.lead1]);
  });
  afterAll(async () => {
    await e?.close();
    await t.cleanup();
  });

  it('counts a removed member until APPROVER_USERGROUP_REFRESH has passed, then refuses them', async () => {
    const [first, second, third] = [
      await pendingCustomerGateway(e, '47.67.1.1'),
      await pendingCustomerGateway(e, '47.67.1.2'),
      await pendingCustomerGateway(e, '47.67.1.3'),
    ] as const;
    // The group is asked of Slack at this click, and kept for a second from then.
    const keptAt = Date.now();
    expect(await approveVia(e, first)).toMatchObject({ to: 'approved' });
    // Removed in Slack, and no event comes (the fake has no Request URL: nothing is sent).
    expect(await e.slack.changeUsergroup(LEADS, [])).toEqual([]);
    const stale = await approveVia(e, second);
    // Unless the machine took the whole second to get here, the members kept still count.
    if (Date.now() - keptAt < 900) expect(stale).toMatchObject({ to: 'approved' });
    await new Promise((r) => setTimeout(r, Math.max(0, keptAt + 1_100 - Date.now())));
    expect(await approveVia(e, third)).toMatchObject({ refused: 'not_approver' });
  });
});
