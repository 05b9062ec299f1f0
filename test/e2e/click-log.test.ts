/**
 * Every click is one log line, with the request, the person and whether it took effect: approve,
 * cancel, reject (the click that asks for a reason, and the reason sent), connect, and refusals of
 * each; over signed HTTP, against the fake Slack, the simulator and real Redis.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { formatAuditEvent } from '../../src/tools/audit-format.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { PEOPLE, pendingCustomerGateway, useE2E } from '../support/e2e.js';
import { capturedLogger } from '../support/logs.js';

const log = capturedLogger('info');
const e = useE2E('click-log', { env: { LOG_LEVEL: 'info' }, overrides: { logger: log.logger } });

/**
 * The lines about clicks on a request: what was clicked, by whom, and whether it took effect; sorted,
 * since a refusal's line follows its private answer and may come after a later click's.
 */
const linesAbout = (request: ResourceRequest) =>
  log
    .records()
    .filter((l) => l.requestId === request.id && typeof l.ok === 'boolean')
    .map((l) => `${String(l.msg)} · ${String(l.user)} · ${l.ok ? 'ok' : String(l.refusal)}`)
    .sort();

describe('one log line per click', () => {
  it('says each decision once, taken or refused', async () => {
    const cancelled = await pendingCustomerGateway(e, '47.60.0.1');
    await e.click(PEOPLE.outsider, ACTION_IDS.cancel, cancelled);
    await e.click(PEOPLE.requester, ACTION_IDS.cancel, cancelled);
    await e.waitForState(cancelled.id, ['cancelled']);
    await expect
      .poll(() => linesAbout(cancelled))
      .toEqual(
        [
          `cancel clicked · ${PEOPLE.outsider} · not_requester`,
          `cancel clicked · ${PEOPLE.requester} · ok`,
        ].sort(),
      );

    // The trail names everyone by the name their click gave, outsiders refused included.
    const trail = await e.bot.store.auditTrail(cancelled.id);
    const refusal = trail.find((x) => x.actor === PEOPLE.outsider);
    expect(refusal?.actorName).toBe(PEOPLE.outsider.toLowerCase());
    expect(refusal && formatAuditEvent(refusal)).toContain(
      `${PEOPLE.outsider.toLowerCase()} (${PEOPLE.outsider})`,
    );
    expect(trail.find((x) => x.actor === PEOPLE.requester && x.to === 'cancelled')?.actorName).toBe(
      PEOPLE.requester.toLowerCase(),
    );

    const rejected = await pendingCustomerGateway(e, '47.60.0.2');
    await e.click(PEOPLE.outsider, ACTION_IDS.reject, rejected);
    const opens = e.slack.callsTo('views.open').length;
    await e.click(PEOPLE.lead1, ACTION_IDS.reject, rejected);
    const call = await e.slack.waitFor(() => e.slack.callsTo('views.open')[opens]);
    const modal = {
      view: call.params.view as Record<string, unknown>,
      viewId: String((call.response.view as { id: string }).id),
    };
    await e.submit(PEOPLE.lead1, modal, { reason: 'Use the shared gateway instead' });
    await e.waitForState(rejected.id, ['rejected']);
    await expect
      .poll(() => linesAbout(rejected))
      .toEqual(
        [
          `reject clicked · ${PEOPLE.outsider} · not_approver`,
          `reject clicked: asked for a reason · ${PEOPLE.lead1} · ok`,
          `reject reason submitted · ${PEOPLE.lead1} · ok`,
        ].sort(),
      );

    const approved = await pendingCustomerGateway(e, '47.60.0.3');
    await e.click(PEOPLE.requester, ACTION_IDS.approve, approved);
    await e.click(PEOPLE.lead1, ACTION_IDS.approve, approved);
    const done = await e.waitForState(approved.id, ['succeeded']);
    await e.click(PEOPLE.requester, ACTION_IDS.connect, done);
    await expect
      .poll(() => linesAbout(approved))
      .toEqual(
        [
          `approve clicked · ${PEOPLE.requester} · not_approver`,
          `approve clicked · ${PEOPLE.lead1} · ok`,
          `connect clicked · ${PEOPLE.requester} · ok`,
        ].sort(),
      );
  });
});
