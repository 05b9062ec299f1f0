/**
 * A 5,000-character reject reason over signed HTTP: refused in the modal, and unable to break a
 * message when it reaches the record another way. The fake Slack refuses what Slack refuses (a section over 3,000 characters,
 * a text over 40,000): a message the bot cannot fit would never appear here.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';

const e = useE2E('longtext');

async function pendingRequest(ip: string) {
  const modal = await e.openModal(PEOPLE.requester, 'customer');
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: ip,
  });
  expect(answer.text).toBe('');
  const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
  return e.requestMessage(latest?.id as string);
}

async function rejectModal(request: Awaited<ReturnType<typeof pendingRequest>>) {
  const before = e.slack.callsTo('views.open').length;
  await e.click(PEOPLE.lead1, ACTION_IDS.reject, request);
  const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[before]);
  return {
    view: call.params.view as Record<string, unknown>,
    viewId: String((call.response.view as { id: string }).id),
  };
}

describe('a 5,000-character reject reason', () => {
  it('is refused in the reject modal, server side, and changes nothing', async () => {
    const request = await pendingRequest('47.70.0.1');
    const modal = await rejectModal(request);
    const answer = await e.submit(PEOPLE.lead1, modal, { reason: 'r'.repeat(5_000) });
    expect(answer.body).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringMatching(/500/) },
    });
    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');
    expect(await e.bot.store.auditTrail(request.id)).not.toContainEqual(
      expect.objectContaining({ to: 'rejected' }),
    );

    const fits = await e.submit(PEOPLE.lead1, modal, {
      reason: `${'Use the shared gateway. '.repeat(20)}`.trim(),
    });
    expect(fits.text).toBe('');
    await e.waitForState(request.id, ['rejected']);
    await e.slack.waitFor(() =>
      e.slack.thread(CHANNEL, request.messageTs).find((m) => m.text.includes('Use the shared gateway')),
    );
  });

  it('cannot break a message when it reaches the record another way', async () => {
    const request = await pendingRequest('47.70.0.2');
    const reason = `${'<b>&</b> '.repeat(625)}`;
    expect(reason.length).toBe(5_625);
    const result = await e.bot.workflow.reject(request.id, { userId: PEOPLE.lead2 }, reason);
    expect(result.ok).toBe(true);

    const shown = await e.slack.waitFor(() =>
      e.slack.thread(CHANNEL, request.messageTs).find((m) => m.text.includes('Rejected by')),
    );
    expect(shown.text).toContain('…');
    expect(shown.text).not.toContain('<b>');
    const edited = await e.slack.waitFor(() => {
      const m = e.slack.workspace.findMessage(CHANNEL, request.messageTs);
      return m?.edited && JSON.stringify(m.blocks).includes('Rejected by') ? m : undefined;
    });
    expect(JSON.stringify(edited.blocks)).toContain('…');
    expect(e.slack.calls.filter((c) => c.response.ok === false)).toEqual([]);

    // `status` answers with the same record, held to the same limits by the driver.
    const status = await e.command(PEOPLE.requester, `status ${request.id}`);
    expect(JSON.stringify(status.body)).toContain('Rejected by');
  });
});
