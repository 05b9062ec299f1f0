/**
 * The buttons of a finished request: showing an IPsec connection's pre-shared key to the one
 * person allowed to see it, and opening the modal of what naturally follows (an IPsec connection on the
 * gateway just made), filled in from the request.
 */
import { messages } from '../../i18n/index.js';
import { findResource, type ParamValues, type Resource } from '../../resources/index.js';
import { ACCOUNT_FIELD } from '../../workflow/account-choice.js';
import type { ResourceRequest } from '../../workflow/types.js';
import type { ActionArgs, Dispatch } from '../dispatch.js';
import { ACTION_IDS } from '../ids.js';
import { buildResourceModal } from '../modals.js';
import { type ListenerContext, originOf, requestIdOf, tellRefusal, triggerIdOf } from './context.js';

export function listenForFollowUps(on: Dispatch, c: ListenerContext): void {
  on.action(ACTION_IDS.revealPsk, (args) => revealSecrets(args, c));
  on.action(ACTION_IDS.connect, (args) => openFollowUp(args, c));
}

/** The key, privately and in plain text, through the client that logs nothing (it carries a secret). */
async function revealSecrets({ ack, body, action }: ActionArgs, c: ListenerContext): Promise<void> {
  await ack();
  const requestId = requestIdOf(action);
  const channel = body.channel?.id ?? '';
  const who = { userId: body.user.id, name: body.user.name };
  const locale = await c.locales.of(body.user.id);
  const result = await c.workflow.reveal(requestId, who, locale, originOf(body));
  if (!result.ok) {
    const click = { requestId, user: body.user.id, ...(channel ? { channel } : {}) };
    await tellRefusal(c, 'pre-shared key asked for', click, result);
    return;
  }
  c.logger.info({ requestId, user: body.user.id, ok: true }, 'pre-shared key asked for');
  if (!channel) return;
  const m = messages(locale);
  const head = m.command.presharedKey({ target: result.request.cloud.resourceId ?? '' });
  const lines = result.secrets.map((s) => m.pair({ label: s.label, value: s.value }));
  await c.quietClient.chat.postEphemeral({
    channel,
    user: body.user.id,
    ...(body.message?.thread_ts ? { thread_ts: body.message.thread_ts } : {}),
    text: head,
    // Plain text: a key may hold any punctuation, and is shown exactly as the device needs it.
    blocks: [head, ...lines].map((line) => ({
      type: 'section' as const,
      text: { type: 'plain_text' as const, text: line, emoji: false },
    })),
  });
}

/** The follow-up's modal, for a request that succeeded and that the person may see (Workflow.followUp). */
async function openFollowUp({ ack, body, action, client }: ActionArgs, c: ListenerContext): Promise<void> {
  await ack();
  const requestId = requestIdOf(action);
  const channel = body.channel?.id ?? '';
  const who = { userId: body.user.id, name: body.user.name };
  const result = await c.workflow.followUp(requestId, who, channel);
  if (!result.ok) {
    const click = { requestId, user: body.user.id, ...(channel ? { channel } : {}) };
    await tellRefusal(c, 'connect clicked', click, result);
    return;
  }
  c.logger.info({ requestId, user: body.user.id, ok: true }, 'connect clicked');
  const { request } = result;
  const follow = findResource(request.resource)?.followUp;
  const target = follow ? findResource(follow.resource) : undefined;
  // Workflow.followUp has checked both, and that the request made a resource.
  if (!follow || !target || !request.cloud.resourceId) return;
  const locale = await c.locales.of(body.user.id);
  const modal = c.modal(request.channelId, locale);
  // In the account the request was made in: the resource it follows from is there.
  const values = {
    ...follow.values(request.cloud.resourceId, request.params, modal.resources),
    [ACCOUNT_FIELD]: request.account,
  };
  const view = buildResourceModal(target, modal, values, labelsOfMade(request, target, values));
  await client.views.open({ trigger_id: triggerIdOf(body), view });
}

/**
 * The pick-list label of the resource the request made, for the fields the follow-up fills with it
 * (the gateway in a connection's form): as its list would show it, from what the request knows.
 */
function labelsOfMade(
  request: ResourceRequest,
  target: Resource,
  values: ParamValues,
): Record<string, string> {
  const made = findResource(request.resource);
  const id = request.cloud.resourceId;
  if (!made || !id) return {};
  const item = { ...request.params, ...request.cloud.facts, [made.list.idField]: id };
  const labels: Record<string, string> = {};
  for (const param of target.params) {
    const list = param.source?.list;
    const listsMade = typeof list === 'object' && 'resource' in list && list.resource === made.type;
    if (listsMade && values[param.name] === id) labels[param.name] = made.list.label(item);
  }
  return labels;
}
