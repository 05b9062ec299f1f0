/**
 * Red team, "a burst of refused clicks", over signed HTTP on two bot processes sharing one Redis
 * (as behind a load balancer): 300 refused clicks by one person on one request, spread over both,
 * are answered once, leave one audit event that counts all 300 and one log line, whatever the
 * button (approve, reject, cancel, reveal_psk, connect_gateways) and whether or not the request
 * exists; a tally lasts two intervals and no more; an approval right after the burst takes effect
 * before its click is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/i18n/index.js';
import { blockActionPayload, interactionBody, postToApp } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { REFUSAL_INTERVAL_MS } from '../../src/workflow/store.js';
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

const t = testRedis('refused-clicks');
/** Every log line of both processes. */
const log = capturedLogger('info');
/** The process with every role, and a second bot process (ROLE=bot) on the same Redis. */
let a: E2E;
let b: E2E;

beforeAll(async () => {
  a = await startE2E(t.prefix, { LOG_LEVEL: 'info' }, { logger: log.logger });
  b = await startE2E(t.prefix, { LOG_LEVEL: 'info', ROLE: 'bot' }, { logger: log.logger });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await t.cleanup();
});

/** One click as Slack sends it, to one process or the other (`via`). */
function click(via: E2E, user: string, actionId: string, requestId: string, messageTs: string) {
  return postToApp(
    via.eventsUrl,
    SIGNING_SECRET,
    interactionBody(
      blockActionPayload({
        user,
        channel: CHANNEL,
        messageTs,
        actionId,
        value: requestId,
        triggerId: via.slack.issueTriggerId(user),
      }),
    ),
  );
}

/** Private answers both processes sent to `user` so far. */
const answersTo = (user: string) =>
  [...a.slack.workspace.ephemerals, ...b.slack.workspace.ephemerals].filter((m) => m.user === user);

/** Log lines about clicks by `user`. */
const linesAbout = (user: string) =>
  log.records().filter((l) => l.user === user && typeof l.refusal === 'string');

/**
 * Sends the clicks all at once, alternating between the processes, and waits for every answer
 * and for what each process does after its answers (a private answer, a log line) to be done.
 */
async function burst(clicks: (() => Promise<{ status: number }>)[]): Promise<number> {
  const started = performance.now();
  const statuses = await Promise.all(clicks.map((send) => send().then((r) => r.status)));
  expect(statuses.every((s) => s === 200)).toBe(true);
  const took = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500));
  return took;
}

describe('a burst of refused clicks', () => {
  it('300 reveal_psk clicks by an outsider over two processes: one answer, one event counting 300, one log line; an approval right after takes effect at once', async () => {
    const request = await pendingCustomerGateway(a, '47.66.0.1');
    const took = await burst(
      Array.from(
        { length: 300 },
        (_, i) => () =>
          click(i % 2 ? a : b, PEOPLE.outsider, ACTION_IDS.revealPsk, request.id, request.messageTs),
      ),
    );
    // One interval holds the burst unless the machine took longer than one to send it.
    const intervals = 1 + Math.floor(took / REFUSAL_INTERVAL_MS);
    const told = answersTo(PEOPLE.outsider);
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told.length).toBeLessThanOrEqual(intervals);
    expect(told[0]?.text).toMatch(/Only the person who asked for this connection and the approvers/);

    const events = (await a.bot.store.auditTrail(request.id)).filter((e) => e.actor === PEOPLE.outsider);
    expect(events.map((e) => [e.action, e.refused])).toEqual(events.map(() => ['reveal', 'not_allowed']));
    expect(events.length).toBe(told.length);
    expect(events.reduce((sum, e) => sum + (e.times ?? 1), 0)).toBe(300);
    expect(linesAbout(PEOPLE.outsider)).toHaveLength(told.length);
    console.log(
      `300 refused reveal_psk clicks over two processes in ${took.toFixed(0)} ms: ` +
        `${told.length} private answer(s), ${events.length} audit event(s) counting ` +
        `${events.map((e) => e.times ?? 1).join(' + ')}, ${linesAbout(PEOPLE.outsider).length} log line(s)`,
    );

    // A legitimate click right after: recorded before it is answered, on whichever process.
    const approved = await click(b, PEOPLE.lead1, ACTION_IDS.approve, request.id, request.messageTs);
    expect(approved.status).toBe(200);
    expect((await a.bot.store.mustGet(request.id)).approvals.map((x) => x.userId)).toEqual([PEOPLE.lead1]);
    await a.waitForState(request.id, ['succeeded']);
  });

  it('bounds every refused button alike: approve, reject, cancel, reveal_psk and connect_gateways, 60 each at once', async () => {
    const request = await pendingCustomerGateway(a, '47.66.0.2');
    const user = PEOPLE.outsider;
    const buttons = [
      [ACTION_IDS.approve, 'approve', 'not_approver'],
      [ACTION_IDS.reject, 'reject', 'not_approver'],
      [ACTION_IDS.cancel, 'cancel', 'not_requester'],
      [ACTION_IDS.revealPsk, 'reveal', 'not_allowed'],
      [ACTION_IDS.connect, 'connect', 'nothing_to_connect'],
    ] as const;
    const toldBefore = answersTo(user).length;
    const linesBefore = linesAbout(user).length;
    const took = await burst(
      Array.from({ length: 300 }, (_, i) => {
        const [actionId] = buttons[i % buttons.length] ?? buttons[0];
        return () => click(i % 2 ? a : b, user, actionId, request.id, request.messageTs);
      }),
    );
    const intervals = 1 + Math.floor(took / REFUSAL_INTERVAL_MS);
    const told = answersTo(user).slice(toldBefore);
    expect(told.length).toBeGreaterThanOrEqual(buttons.length);
    expect(told.length).toBeLessThanOrEqual(buttons.length * intervals);
    expect(linesAbout(user).slice(linesBefore)).toHaveLength(told.length);
    const events = (await a.bot.store.auditTrail(request.id)).filter((e) => e.actor === user);
    for (const [, action, refused] of buttons) {
      const mine = events.filter((e) => e.action === action);
      expect(
        mine.map((e) => e.refused),
        action,
      ).toEqual(mine.map(() => refused));
      expect(mine.length, action).toBeLessThanOrEqual(intervals);
      expect(
        mine.reduce((sum, e) => sum + (e.times ?? 1), 0),
        action,
      ).toBe(60);
    }
    expect((await a.bot.store.mustGet(request.id)).state).toBe('pending_approval');
  });

  it('counts an approver’s misplaced clicks and clicks on an id that is none, answering each once and writing nothing for the none; a tally lasts two intervals', async () => {
    const request = await pendingCustomerGateway(a, '47.66.0.3');
    const none = 'gw-20260101-nosuchthing';
    const user = PEOPLE.lead2;
    // Whose Slack speaks Chinese, and is answered in it.
    const zh = messages('zh-CN');
    const toldBefore = answersTo(user).length;
    // An approver's Approve on a misplaced click, and on an id that is none: both refused, each once.
    await burst(
      Array.from(
        { length: 100 },
        (_, i) => () =>
          click(i % 2 ? a : b, user, ACTION_IDS.approve, i < 50 ? none : request.id, 'not-its-message'),
      ),
    );
    const told = answersTo(user).slice(toldBefore);
    expect(told.map((m) => m.text).sort()).toEqual(
      [zh.refusal.notFound({ id: none }), zh.refusal.wrongMessage({ id: request.id })].sort(),
    );
    expect(await t.redis.exists(`${t.prefix}:audit:${none}`, `${t.prefix}:req:${none}`)).toBe(0);
    const events = (await a.bot.store.auditTrail(request.id)).filter((e) => e.actor === user);
    expect(events.map((e) => [e.refused, e.times])).toEqual([['wrong_message', 50]]);
    // What the clicks left in Redis besides the trail: a tally per refusal, gone after two intervals.
    const tallies: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await t.redis.scan(cursor, 'MATCH', `${t.prefix}:refused:*`, 'COUNT', 500);
      cursor = next;
      tallies.push(...keys);
    } while (cursor !== '0');
    expect(tallies.length).toBeGreaterThan(0);
    for (const key of tallies) {
      const ttl = await t.redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * REFUSAL_INTERVAL_MS);
    }
  });
});
