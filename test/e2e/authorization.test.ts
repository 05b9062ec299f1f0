/**
 * Red team, "cross-channel status and forged clicks", over signed HTTP: `/gateway status` from
 * another channel tells an outsider nothing (not even that the id exists) while the requester and
 * an approver still see the request anywhere; a click carrying a real request id from another
 * channel or another message is refused as `wrong_message` (as `not_approver` for someone who may
 * not approve, with where it came from), audited, and changes nothing, the same refusal repeated
 * by the same person answered once and counted in the first one's event; a reject
 * modal or request modal whose `private_metadata` was altered, forged, unsigned or signed by
 * another installation is refused as stale, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  blockActionPayload,
  type FormValue,
  interactionBody,
  postToApp,
} from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { metadataSigner } from '../../src/slack/metadata.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import {
  CHANNEL,
  type Modal,
  PEOPLE,
  pendingCustomerGateway,
  SIGNING_SECRET,
  useE2E,
} from '../support/e2e.js';

const ELSEWHERE = 'C0OTHERS';
const e = useE2E('authz');

const send = (body: string) => postToApp(e.eventsUrl, SIGNING_SECRET, body);

/** What `/gateway status <id>` answers, as one string (text and blocks). */
async function status(user: string, id: string, channel: string): Promise<string> {
  const answer = await e.command(user, `status ${id}`, channel);
  expect(answer.status).toBe(200);
  return JSON.stringify(answer.body);
}

/** A click on a button carrying `request`'s id, claiming to come from `channel` and message `ts`. */
function forgedClick(user: string, actionId: string, request: ResourceRequest, channel: string, ts: string) {
  return send(
    interactionBody(
      blockActionPayload({
        user,
        channel,
        messageTs: ts,
        actionId,
        value: request.id,
        triggerId: e.slack.issueTriggerId(user),
      }),
    ),
  );
}

/** `private_metadata` with its signed body changed by `edit`, the signature kept. */
function altered(raw: unknown, edit: (data: Record<string, unknown>) => void): string {
  const [body, signature] = String(raw).split('.');
  const data = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  edit(data);
  return `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${signature}`;
}

function withMetadata(modal: Modal, privateMetadata: string | undefined): Modal {
  const view = { ...modal.view };
  if (privateMetadata === undefined) delete view.private_metadata;
  else view.private_metadata = privateMetadata;
  return { view, viewId: modal.viewId };
}

describe('/gateway status from another channel', () => {
  it('tells an outsider elsewhere nothing, not even that the id exists; the requester and an approver see it anywhere', async () => {
    const request = await pendingCustomerGateway(e, '47.65.0.1');
    const unknownId = request.id.replace(/.{4}$/, 'zzzz');
    const told = await status(PEOPLE.outsider, request.id, ELSEWHERE);
    const toldUnknown = await status(PEOPLE.outsider, unknownId, ELSEWHERE);
    expect(told).toBe(toldUnknown.replaceAll(unknownId, request.id));
    expect(told).toContain('I know no request or resource');
    expect(told).not.toMatch(/47\.65\.0\.1|cn-shanghai|U0ASKER|Waiting/);

    // In the request's own channel, anyone there may look; elsewhere, its requester and approvers.
    for (const [user, channel] of [
      [PEOPLE.outsider, CHANNEL],
      [PEOPLE.requester, ELSEWHERE],
      [PEOPLE.requester, 'D0ASKER'],
      [PEOPLE.lead1, ELSEWHERE],
    ] as const) {
      const seen = await status(user, request.id, channel);
      expect(seen, `${user} in ${channel}`).toContain('47.65.0.1');
      expect(seen).not.toContain(ACTION_IDS.approve);
    }
    const list = await e.command(PEOPLE.requester, 'list', ELSEWHERE);
    expect(JSON.stringify(list.body)).not.toContain(request.id);
  });

  it('tells an outsider elsewhere nothing about a created resource by its id either', async () => {
    const request = await pendingCustomerGateway(e, '47.65.0.2');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    const done = await e.waitForState(request.id, ['succeeded']);
    const resourceId = done.cloud.resourceId as string;
    const unknownId = resourceId.replace(/.{4}$/, 'zzzz');
    const told = await status(PEOPLE.outsider, resourceId, ELSEWHERE);
    expect(told).toBe(
      (await status(PEOPLE.outsider, unknownId, ELSEWHERE)).replaceAll(unknownId, resourceId),
    );
    expect(told).not.toContain(request.id);
    expect(await status(PEOPLE.lead2, resourceId, ELSEWHERE)).toContain(request.id);
  });
});

describe('forged clicks: a real request id from another channel or message', () => {
  it('refuses approve, reject and cancel as wrong_message, audits each, and changes nothing', async () => {
    const request = await pendingCustomerGateway(e, '47.65.0.3');
    const decoy = await pendingCustomerGateway(e, '47.65.0.4');
    const opens = e.slack.callsTo('views.open').length;
    const ephemerals = e.slack.workspace.ephemerals.length;
    const attempts: [string, string, string, string][] = [
      [PEOPLE.lead1, ACTION_IDS.approve, ELSEWHERE, request.messageTs],
      [PEOPLE.lead2, ACTION_IDS.approve, CHANNEL, decoy.messageTs],
      [PEOPLE.lead2, ACTION_IDS.reject, ELSEWHERE, request.messageTs],
      [PEOPLE.lead1, ACTION_IDS.reject, CHANNEL, decoy.messageTs],
      [PEOPLE.requester, ACTION_IDS.cancel, ELSEWHERE, request.messageTs],
      [PEOPLE.lead1, ACTION_IDS.cancel, CHANNEL, decoy.messageTs],
    ];
    for (const [user, action, channel, ts] of attempts) {
      const answer = await forgedClick(user, action, request, channel, ts);
      expect(answer.status).toBe(200);
    }
    // The same refusal again by the same person: acknowledged, counted, not answered again.
    expect(
      (await forgedClick(PEOPLE.requester, ACTION_IDS.cancel, request, CHANNEL, decoy.messageTs)).status,
    ).toBe(200);
    const refusals = await e.slack.waitFor(() => {
      const told = e.slack.workspace.ephemerals.slice(ephemerals);
      return told.length >= attempts.length ? told : undefined;
    });
    expect(refusals.map((m) => [m.user, m.channel])).toEqual(
      attempts.map(([user, , channel]) => [user, channel]),
    );
    for (const m of refusals) expect(m.text).toMatch(/does not belong to request .*|不属于请求/);

    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');
    expect((await e.bot.store.mustGet(decoy.id)).state).toBe('pending_approval');
    expect(e.slack.callsTo('views.open')).toHaveLength(opens);
    const trail = await e.bot.store.auditTrail(request.id);
    const refused = trail.filter((x) => x.refused === 'wrong_message');
    expect(
      refused.map((x) => [x.actor, x.action, x.details?.channel, x.details?.message, x.times ?? 1]),
    ).toEqual(
      attempts.map(([user, action, channel, ts], i) => [
        user,
        action.replace('_request', ''),
        channel,
        ts,
        i === 4 ? 2 : 1,
      ]),
    );
    expect(e.slack.workspace.ephemerals.slice(ephemerals)).toHaveLength(attempts.length);
    expect(trail.filter((x) => x.to !== undefined && x.to !== 'pending_approval')).toEqual([]);

    // The button on the request's own message still works.
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, request);
    await e.waitForState(request.id, ['approved', 'creating', 'succeeded']);
  });
});

describe('clicks by someone who may not approve', () => {
  it('answers the same for a real request, a decided one and an id that is none; audits where each came from, once', async () => {
    const request = await pendingCustomerGateway(e, '47.65.9.1');
    const decided = await pendingCustomerGateway(e, '47.65.9.2');
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, decided);
    await e.waitForState(decided.id, ['approved', 'creating', 'succeeded']);
    const none = { ...request, id: 'gw-20260101-nosuchthing' };
    const ephemerals = e.slack.workspace.ephemerals.length;
    const attempts: [string, ResourceRequest, string, string][] = [
      [ACTION_IDS.approve, request, CHANNEL, request.messageTs as string],
      [ACTION_IDS.approve, decided, CHANNEL, decided.messageTs as string],
      [ACTION_IDS.approve, none, CHANNEL, request.messageTs as string],
      [ACTION_IDS.reject, request, ELSEWHERE, decided.messageTs as string],
      [ACTION_IDS.reject, none, CHANNEL, request.messageTs as string],
      // Repeats, on a request and on none: counted, answered no more in either case.
      [ACTION_IDS.approve, request, ELSEWHERE, request.messageTs as string],
      [ACTION_IDS.approve, none, ELSEWHERE, request.messageTs as string],
    ];
    for (const [action, target, channel, ts] of attempts)
      expect((await forgedClick(PEOPLE.outsider, action, target, channel, ts)).status).toBe(200);
    // Then a first refusal of another kind: any answer to a repeat would have come before its.
    expect((await forgedClick(PEOPLE.outsider, ACTION_IDS.reject, decided, CHANNEL, 'x')).status).toBe(200);
    const all = await e.slack.waitFor(() => {
      const sent = e.slack.workspace.ephemerals.slice(ephemerals);
      return sent.length >= 6 ? sent : undefined;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(e.slack.workspace.ephemerals.slice(ephemerals)).toHaveLength(6);
    // Three first refusals of Approve and three of Reject, each kind answered in the same words
    // (a refusal is answered after its click's ack, so the answers may come in another order).
    const texts = all.map((m) => m.text);
    const kinds = [...new Set(texts)];
    expect(kinds.map((k) => texts.filter((t) => t === k).length)).toEqual([3, 3]);
    for (const text of texts) {
      expect(text).not.toContain(request.id);
      expect(text).not.toContain(decided.id);
    }
    const refusals = async (id: string) =>
      (await e.bot.store.auditTrail(id))
        .filter((x) => x.actor === PEOPLE.outsider)
        .map((x) => [x.action, x.refused, x.details?.channel, x.details?.message, x.times ?? 1]);
    expect(await refusals(request.id)).toEqual([
      ['approve', 'not_approver', CHANNEL, request.messageTs, 2],
      ['reject', 'not_approver', ELSEWHERE, decided.messageTs, 1],
    ]);
    expect(await refusals(decided.id)).toEqual([
      ['approve', 'not_approver', CHANNEL, decided.messageTs, 1],
      ['reject', 'not_approver', CHANNEL, 'x', 1],
    ]);
    expect(await e.bot.store.auditTrail(none.id)).toEqual([]);
    expect((await e.bot.store.mustGet(request.id)).state).toBe('pending_approval');
    expect(e.slack.callsTo('views.open').filter((c) => c.params.user === PEOPLE.outsider)).toEqual([]);
  });
});

describe('modal metadata altered, forged or unsigned', () => {
  async function rejectModal(request: ResourceRequest): Promise<Modal> {
    const opens = e.slack.callsTo('views.open').length;
    await e.click(PEOPLE.lead1, ACTION_IDS.reject, request);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opens]);
    return {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
  }

  it('refuses a reject reason for another request than the modal was opened for, as stale', async () => {
    const opened = await pendingCustomerGateway(e, '47.65.0.5');
    const other = await pendingCustomerGateway(e, '47.65.0.6');
    const modal = await rejectModal(opened);
    const raw = modal.view.private_metadata;
    const variants: [string, string | undefined][] = [
      ['another request id, signature kept', altered(raw, (d) => (d.requestId = other.id))],
      ['another channel, signature kept', altered(raw, (d) => (d.channelId = ELSEWHERE))],
      ['unsigned', JSON.stringify({ requestId: other.id, channelId: CHANNEL, locale: 'en' })],
      [
        'signed by another installation',
        metadataSigner('xoxb-another-installation').sign({
          requestId: other.id,
          channelId: CHANNEL,
          locale: 'en',
        }),
      ],
      ['missing', undefined],
      ['the signature alone', `.${String(raw).split('.')[1]}`],
    ];
    for (const [what, metadata] of variants) {
      const answer = await e.submit(PEOPLE.lead1, withMetadata(modal, metadata), {
        reason: 'Not this one, sorry',
      });
      expect(answer.body, what).toEqual({
        response_action: 'errors',
        errors: { reason: 'This form is out of date. Click Reject again.' },
      });
    }
    for (const r of [opened, other]) {
      expect((await e.bot.store.mustGet(r.id)).state).toBe('pending_approval');
      expect((await e.bot.store.auditTrail(r.id)).filter((x) => x.to === 'rejected')).toEqual([]);
    }
    // The modal as the bot made it rejects the request it was opened for.
    expect((await e.submit(PEOPLE.lead1, modal, { reason: 'Not this one, sorry' })).text).toBe('');
    await e.waitForState(opened.id, ['rejected']);
    expect((await e.bot.store.mustGet(other.id)).state).toBe('pending_approval');
  });

  it('refuses a request form whose metadata names another channel, as stale, storing and posting nothing', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const raw = modal.view.private_metadata;
    const values: Record<string, FormValue> = { RegionId: { option: 'cn-shanghai' }, IpAddress: '47.65.0.7' };
    const variants: [string, string | undefined][] = [
      ['another channel, signature kept', altered(raw, (d) => (d.channelId = ELSEWHERE))],
      ['unsigned', JSON.stringify({ channelId: ELSEWHERE, locale: 'en' })],
      [
        'signed by another installation',
        metadataSigner('xoxb-another-installation').sign({ channelId: ELSEWHERE, locale: 'en' }),
      ],
      ['missing', undefined],
    ];
    const stored = await e.bot.store.countInChannel(ELSEWHERE);
    const storedHere = await e.bot.store.countInChannel(CHANNEL);
    for (const [what, metadata] of variants) {
      const answer = await e.submit(PEOPLE.requester, withMetadata(modal, metadata), values);
      expect(answer.body, what).toEqual({
        response_action: 'errors',
        errors: { RegionId: 'This form is out of date. Run the command again.' },
      });
    }
    expect(await e.bot.store.countInChannel(ELSEWHERE)).toBe(stored);
    expect(await e.bot.store.countInChannel(CHANNEL)).toBe(storedHere);
    // A stored request's message would follow at once; none comes.
    await new Promise((r) => setTimeout(r, 300));
    expect(JSON.stringify(e.slack.callsTo('chat.postMessage'))).not.toContain('47.65.0.7');
    // The form as the bot made it posts in the channel it was opened in.
    expect((await e.submit(PEOPLE.requester, modal, values)).text).toBe('');
    const request = await e.requestMessage(
      (await e.bot.store.recentInChannel(CHANNEL, 100)).find((r) => r.params.IpAddress === '47.65.0.7')?.id ??
        '',
    );
    expect(request.channelId).toBe(CHANNEL);
  });
});
