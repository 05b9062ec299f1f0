/**
 * The buttons of a finished request: showing an IPsec connection's pre-shared key, or its
 * on-premises device's configuration in a format of the person's choice, to the people allowed to
 * see them, and opening the modal of what naturally follows (an IPsec connection on the
 * gateway just made), filled in from the request.
 */
import { messages } from '../../i18n/index.js';
import { findResource, type ParamValues, type Resource } from '../../resources/index.js';
import { PEER_FORMATS, type PeerFormat } from '../../resources/peer-config/index.js';
import { ACCOUNT_FIELD } from '../../workflow/account-choice.js';
import type { ResourceRequest } from '../../workflow/types.js';
import type { ActionArgs, Dispatch } from '../dispatch.js';
import { ACTION_IDS } from '../ids.js';
import { buildResourceModal } from '../modals.js';
import { deliverPeerConfig } from '../peer-config.js';
import { type ListenerContext, originOf, requestIdOf, tellRefusal, triggerIdOf } from './context.js';

export function listenForFollowUps(on: Dispatch, c: ListenerContext): void {
  on.action(ACTION_IDS.revealPsk, (args) => revealSecrets(args, c));
  on.action(ACTION_IDS.connect, (args) => openFollowUp(args, c));
  on.action(ACTION_IDS.peerConfig, (args) =>
    showPeerConfig(args, c, { requestId: requestIdOf(args.action), format: DEFAULT_FORMAT }),
  );
  on.action(ACTION_IDS.peerConfigFormat, (args) => showPeerConfig(args, c, formatChoiceOf(args.action)));
}

const DEFAULT_FORMAT: PeerFormat = PEER_FORMATS[0];

/** The request (the select's block id) and the format chosen in the private answer's select. */
function formatChoiceOf(action: unknown): { requestId: string; format: string } {
  const a = (typeof action === 'object' && action !== null ? action : {}) as {
    block_id?: unknown;
    selected_option?: { value?: unknown };
  };
  return { requestId: String(a.block_id ?? ''), format: String(a.selected_option?.value ?? '') };
}

/**
 * The on-premises device's configuration, read at the click and written in the format asked for,
 * privately (peer-config.ts), through the client that logs nothing. From the person's direct
 * message with the bot (where a long one went) the click is not held to the request's channel:
 * only that person and the bot see it, and who may look is checked all the same.
 */
async function showPeerConfig(
  { ack, body, action }: ActionArgs,
  c: ListenerContext,
  asked: { requestId: string; format: string },
): Promise<void> {
  await ack();
  const { requestId } = asked;
  const channel = body.channel?.id ?? '';
  const who = { userId: body.user.id, name: body.user.name };
  const locale = await c.locales.of(body.user.id);
  // Nowhere to answer privately (no channel: not a button the bot shows): nothing is read.
  if (!channel) return;
  const origin = channel.startsWith('D') ? undefined : originOf(body);
  const result = await c.workflow.peerConfig(requestId, who, asked.format, locale, origin);
  const line = 'device configuration asked for';
  if (!result.ok) {
    const click = { requestId, user: body.user.id, ...(channel ? { channel } : {}) };
    await tellRefusal(c, line, click, result);
    return;
  }
  const threadTs = body.message?.thread_ts ?? threadOf(body);
  const answer = {
    requestId,
    target: result.request.cloud.resourceId ?? '',
    format: result.format,
    text: result.text,
    locale,
  };
  let where: string;
  try {
    where = await deliverPeerConfig(
      c.quietClient,
      { channel, user: body.user.id, ...(threadTs ? { threadTs } : {}) },
      answer,
    );
  } catch (err) {
    // Slack's error code only: nothing of what was sent.
    const code = (err as { data?: { error?: unknown } }).data?.error;
    c.logger.warn(
      {
        requestId,
        user: body.user.id,
        ok: false,
        format: result.format,
        slackError: String(code ?? 'unknown'),
      },
      line,
    );
    return;
  }
  c.logger.info(
    { requestId, user: body.user.id, ok: true, format: result.format, where, action: action.action_id },
    line,
  );
}

/** The thread an ephemeral answer sits in (its container says so; it has no message of its own). */
function threadOf(body: object): string | undefined {
  const container = 'container' in body ? (body.container as { thread_ts?: unknown }) : undefined;
  return typeof container?.thread_ts === 'string' ? container.thread_ts : undefined;
}

/** The key, privately and in plain text, through the client that logs nothing (it carries a secret). */
async function revealSecrets({ ack, body, action }: ActionArgs, c: ListenerContext): Promise<void> {
  await ack();
  const requestId = requestIdOf(action);
  const channel = body.channel?.id ?? '';
  const who = { userId: body.user.id, name: body.user.name };
  // Nowhere to answer privately (no channel: not a button the bot shows): nothing is read.
  if (!channel) return;
  const locale = await c.locales.of(body.user.id);
  const result = await c.workflow.reveal(requestId, who, locale, originOf(body));
  if (!result.ok) {
    const click = { requestId, user: body.user.id, ...(channel ? { channel } : {}) };
    await tellRefusal(c, 'pre-shared key asked for', click, result);
    return;
  }
  c.logger.info({ requestId, user: body.user.id, ok: true }, 'pre-shared key asked for');
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
  // Slack's trigger lasts 3 s from the click: the placeholders read from the account get a second.
  const placeholders = await c.options.suggest(
    {
      resource: target,
      chosen: values,
      locale,
      account: modal.accounts.find((a) => a.name === request.account),
    },
    1_000,
  );
  const view = buildResourceModal(target, modal, values, {
    labels: labelsOfMade(request, target, values),
    placeholders,
  });
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
