/**
 * The approver's buttons: Approve and Cancel (written before Slack is answered), Reject (which asks
 * for a reason in a modal, after checking the person may reject) and the reason's submission. The
 * same buttons on the Home tab come here too, checked alike; after each of their own decisions the
 * person's Home tab is published again, saying what the click did (or, from Home, why it did
 * nothing: a Home click has no channel to answer in).
 */
import { messages } from '../../i18n/index.js';
import { hiddenCharacter } from '../../text/hidden-characters.js';
import type { ActionResult, Refusing } from '../../workflow/service.js';
import type { ResourceRequest } from '../../workflow/types.js';
import type { Dispatch, ViewArgs } from '../dispatch.js';
import { ACTION_IDS, REJECT_REASON_BLOCK_ID, REJECT_REASON_CALLBACK_ID } from '../ids.js';
import { REJECT_REASON_MAX_LENGTH } from '../limits.js';
import { buildRejectModal, parseRejectMetadata } from '../modals.js';
import { readViewValues, type ViewStateValues } from '../view-state.js';
import {
  type ClickPlace,
  decisionOrigin,
  fromHome,
  type ListenerContext,
  type PrivateMessage,
  requestIdOf,
  tellRefusal,
  triggerIdOf,
} from './context.js';

/** How long a click may take to be written before Slack is answered (Slack allows 3 s in all). */
const ACK_BUDGET_MS = 2_500;

type ClickBody = ClickPlace & { user: { id: string } };

/** What the Home tab says on top after a decision the person made. */
const DONE: Record<'approve' | 'cancel' | 'reject', (request: ResourceRequest) => PrivateMessage> = {
  approve: (r) => (locale) => messages(locale).home.approved({ id: r.id }),
  cancel: (r) => (locale) => messages(locale).home.cancelled({ id: r.id }),
  reject: (r) => (locale) => messages(locale).home.rejected({ id: r.id }),
};

export function listenForDecisions(on: Dispatch, c: ListenerContext): void {
  on.action(ACTION_IDS.approve, async ({ ack, body, action }) => {
    const requestId = requestIdOf(action);
    const who = { userId: body.user.id, name: body.user.name };
    await decideThenAck('approve', ack, body, requestId, c, (refusing) =>
      decisionOrigin(body, c).then((origin) => c.workflow.approve(requestId, who, origin, refusing)),
    );
  });

  on.action(ACTION_IDS.cancel, async ({ ack, body, action }) => {
    const requestId = requestIdOf(action);
    const who = { userId: body.user.id, name: body.user.name };
    await decideThenAck('cancel', ack, body, requestId, c, (refusing) =>
      decisionOrigin(body, c).then((origin) => c.workflow.cancel(requestId, who, origin, refusing)),
    );
  });

  on.action(ACTION_IDS.reject, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = requestIdOf(action);
    const channelId = body.channel?.id ?? '';
    // Refuse before asking for a reason: an outsider should not fill a form to be told no.
    const check = await c.workflow.checkCanReject(requestId, body.user.id, await decisionOrigin(body, c));
    if (!check.ok) {
      const click = {
        requestId,
        user: body.user.id,
        ...(channelId ? { channel: channelId } : {}),
        home: fromHome(body),
      };
      await tellRefusal(c, 'reject clicked', click, check);
      return;
    }
    c.logger.info({ requestId, user: body.user.id, ok: true }, 'reject clicked: asked for a reason');
    const locale = await c.locales.of(body.user.id);
    await client.views.open({
      trigger_id: triggerIdOf(body),
      // The channel is the request's own, whatever the click claimed.
      view: buildRejectModal({ requestId, channelId: check.request.channelId, locale }, c.signer),
    });
  });

  on.view(REJECT_REASON_CALLBACK_ID, (args) => submitRejectReason(args, c));
}

/**
 * Approve and Cancel change the request before Slack is answered, so an acknowledged click is
 * never lost to a crash right after the answer. The write is one Redis round trip (and, for an
 * approver found only in a user group, one cached Slack lookup), far inside Slack's 3 s; should
 * it take longer than ACK_BUDGET_MS, Slack is not answered and shows the person an error, so
 * they know to look (the click may still take effect, and a second one is harmless). A click known
 * to change nothing (an outsider's, a button out of place) is answered before its refusal is
 * recorded: there is nothing to lose.
 */
async function decideThenAck(
  what: 'approve' | 'cancel',
  ack: () => Promise<void>,
  body: ClickBody,
  requestId: string,
  c: ListenerContext,
  decide: (refusing: Refusing) => Promise<ActionResult>,
): Promise<void> {
  let acked: Promise<void> | undefined;
  const ackOnce = () => {
    acked ??= ack();
    return acked;
  };
  const work = decide(() => void ackOnce());
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ACK_BUDGET_MS);
  });
  const first = await Promise.race([work, budget]);
  clearTimeout(timer);
  if (first !== 'late' || acked) await ackOnce();
  else c.logger.warn({ requestId, user: body.user.id }, `${what}: not answered within the budget`);
  const result = await work;
  if (result.ok) {
    c.logger.info({ requestId, user: body.user.id, ok: true }, `${what} clicked`);
    await c.publishHome(body.user.id, DONE[what](result.request));
    return;
  }
  const channel = body.channel?.id;
  await tellRefusal(
    c,
    `${what} clicked`,
    { requestId, user: body.user.id, ...(channel ? { channel } : {}), home: fromHome(body) },
    result,
  );
}

/** The reason's modal: checked as any field is (length, hidden characters), then the rejection. */
async function submitRejectReason({ ack, body, view }: ViewArgs, c: ListenerContext): Promise<void> {
  const meta = parseRejectMetadata(view.private_metadata, c.signer);
  const values = readViewValues(view.state.values as ViewStateValues);
  const reason = String(values[REJECT_REASON_BLOCK_ID] ?? '').trim();
  const locale = meta?.locale ?? (await c.locales.of(body.user.id));
  const m = messages(locale);
  const refuse = (error: string) =>
    ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK_ID]: error } });
  const problem = (what: string) => refuse(m.field.problem({ label: m.modal.reason, problem: what }));
  if (!meta) return refuse(m.modal.rejectStale);
  const length = [...reason].length;
  if (length < 3) return problem(m.modal.reasonTooShort);
  const hidden = hiddenCharacter(reason, true);
  if (hidden) return problem(m.field.hidden({ character: hidden }));
  if (length > REJECT_REASON_MAX_LENGTH)
    return problem(m.field.length({ length, range: `3–${REJECT_REASON_MAX_LENGTH}` }));
  const result = await c.workflow.reject(
    meta.requestId,
    { userId: body.user.id, name: body.user.name },
    reason,
  );
  const line = 'reject reason submitted';
  if (!result.ok) {
    // Counted as any refusal: one line an interval, however often it is sent.
    if (result.tally.first)
      c.logger.info(
        { requestId: meta.requestId, user: body.user.id, ok: false, refusal: result.refusal.code },
        line,
      );
    return refuse(result.refusal.message[locale]);
  }
  c.logger.info({ requestId: meta.requestId, user: body.user.id, ok: true }, line);
  await ack();
  await c.publishHome(body.user.id, DONE.reject(result.request));
}
