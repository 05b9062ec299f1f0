/**
 * Requests as Slack sends them to an app: signed (v0, HMAC-SHA256 over `v0:<ts>:<body>`), with
 * `Content-Type` exactly `application/x-www-form-urlencoded` and a pre-encoded body, for slash
 * commands (form fields) and interactions (a `payload` field holding JSON); and the Events API's
 * `event_callback`, a JSON body, signed the same way.
 */
import { createHmac } from 'node:crypto';

export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSec = Math.floor(Date.now() / 1000),
  contentType: 'application/x-www-form-urlencoded' | 'application/json' = 'application/x-www-form-urlencoded',
) {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': signature,
  };
}

function form(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

export interface SlashCommandFields {
  command: string;
  text: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  team_id?: string;
  trigger_id: string;
}

export function slashCommandBody(f: SlashCommandFields): string {
  return form({
    token: 'deprecated-verification-token',
    team_id: f.team_id ?? 'T0GATEWAY',
    team_domain: 'network-team',
    channel_id: f.channel_id,
    channel_name: f.channel_name ?? 'net-ops',
    user_id: f.user_id,
    user_name: f.user_name ?? f.user_id.toLowerCase(),
    command: f.command,
    text: f.text,
    api_app_id: 'A0GATEWAY',
    response_url: 'https://hooks.slack.com/commands/T0GATEWAY/1/x',
    trigger_id: f.trigger_id,
  });
}

export function interactionBody(payload: Record<string, unknown>): string {
  return form({ payload: JSON.stringify(payload) });
}

const team = { id: 'T0GATEWAY', domain: 'network-team' };
const userOf = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: team.id });

/** What every click's payload holds, wherever the button was: who, which app, which trigger. */
function clickBy(user: string, triggerId: string) {
  return {
    type: 'block_actions',
    team,
    user: userOf(user),
    api_app_id: 'A0GATEWAY',
    token: 'deprecated-verification-token',
    trigger_id: triggerId,
  };
}

/** A button as Slack reports it clicked. */
function buttonAction(actionId: string, blockId: string, value: string) {
  return {
    type: 'button',
    action_id: actionId,
    block_id: blockId,
    value,
    text: { type: 'plain_text', text: actionId },
    action_ts: String(Date.now() / 1000),
  };
}

export function blockActionPayload(f: {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  value: string;
  triggerId: string;
  blockId?: string;
}) {
  return {
    ...clickBy(f.user, f.triggerId),
    container: { type: 'message', message_ts: f.messageTs, channel_id: f.channel, is_ephemeral: false },
    channel: { id: f.channel, name: 'net-ops' },
    message: { type: 'message', ts: f.messageTs, text: '' },
    response_url: 'https://hooks.slack.com/actions/T0GATEWAY/1/x',
    actions: [buttonAction(f.actionId, f.blockId ?? 'request_actions', f.value)],
  };
}

/**
 * A choice in a `static_select` of a message, as Slack sends it: the element's action and block
 * ids and the option chosen (a select has no `value`). In an ephemeral message (`ephemeral`) the
 * container says so and there is no `message`: Slack keeps no copy of it.
 */
export function selectActionPayload(f: {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  blockId: string;
  selected: { value: string; text: string };
  triggerId: string;
  ephemeral?: boolean;
  threadTs?: string;
}) {
  const thread = f.threadTs ? { thread_ts: f.threadTs } : {};
  return {
    ...clickBy(f.user, f.triggerId),
    container: {
      type: 'message',
      message_ts: f.messageTs,
      channel_id: f.channel,
      is_ephemeral: f.ephemeral ?? false,
      ...thread,
    },
    channel: { id: f.channel, name: f.channel.startsWith('D') ? 'directmessage' : 'net-ops' },
    ...(f.ephemeral ? {} : { message: { type: 'message', ts: f.messageTs, text: '', ...thread } }),
    response_url: 'https://hooks.slack.com/actions/T0GATEWAY/1/x',
    actions: [
      {
        type: 'static_select',
        action_id: f.actionId,
        block_id: f.blockId,
        selected_option: { text: { type: 'plain_text', text: f.selected.text }, value: f.selected.value },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/**
 * A button clicked on the app's Home tab, as Slack sends it: in a `view` container, with the view
 * (type `home`) and no channel, message or `response_url`.
 */
export function homeActionPayload(f: {
  user: string;
  view: Record<string, unknown>;
  viewId: string;
  hash: string;
  actionId: string;
  value: string;
  triggerId: string;
  blockId?: string;
}) {
  return {
    ...clickBy(f.user, f.triggerId),
    container: { type: 'view', view_id: f.viewId },
    view: { ...f.view, id: f.viewId, team_id: team.id, type: 'home', state: { values: {} }, hash: f.hash },
    actions: [buttonAction(f.actionId, f.blockId ?? 'home', f.value)],
  };
}

/** A form value as a user leaves it: text, one option value, or several (checkboxes). */
export type FormValue = string | string[] | { option: string };

/** `view.state.values` from a simple map, shaped by each input's element type in the view. */
export function viewState(view: Record<string, unknown>, values: Record<string, FormValue>) {
  const blocks = (view.blocks ?? []) as {
    type: string;
    block_id?: string;
    element?: { type: string; action_id: string };
  }[];
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const { type, action_id } = block.element;
    const value = values[block.block_id];
    let element: Record<string, unknown>;
    if (type === 'checkboxes') {
      const selected = Array.isArray(value) ? value : [];
      element = {
        type,
        selected_options: selected.map((v) => ({ value: v, text: { type: 'plain_text', text: v } })),
      };
    } else if (type.endsWith('select') || type === 'radio_buttons') {
      const chosen =
        typeof value === 'object' && !Array.isArray(value)
          ? value.option
          : typeof value === 'string'
            ? value
            : undefined;
      element = {
        type,
        selected_option:
          chosen === undefined ? null : { value: chosen, text: { type: 'plain_text', text: chosen } },
      };
    } else {
      element = { type, value: typeof value === 'string' ? value : null };
    }
    state[block.block_id] = { [action_id]: element };
  }
  return { values: state };
}

export function viewSubmissionPayload(f: {
  user: string;
  view: Record<string, unknown>;
  viewId: string;
  values: Record<string, FormValue>;
  triggerId?: string;
}) {
  return {
    type: 'view_submission',
    team,
    user: userOf(f.user),
    api_app_id: 'A0GATEWAY',
    token: 'deprecated-verification-token',
    trigger_id: f.triggerId ?? `${Date.now()}.1.submit`,
    view: { ...f.view, id: f.viewId, team_id: team.id, state: viewState(f.view, f.values), hash: 'h' },
  };
}

/**
 * A change in a modal input that dispatches an action (`dispatch_action: true`): a select, radio
 * or checkbox of block `actionId` set to `value`, with the form as it stands in `values`.
 */
export function viewActionPayload(f: {
  user: string;
  view: Record<string, unknown>;
  viewId: string;
  hash: string;
  actionId: string;
  values: Record<string, FormValue>;
  triggerId?: string;
}) {
  const state = viewState(f.view, f.values);
  const element = state.values[f.actionId]?.[f.actionId] ?? { type: 'static_select' };
  return {
    ...clickBy(f.user, f.triggerId ?? `${Date.now()}.1.action`),
    container: { type: 'view', view_id: f.viewId },
    view: { ...f.view, id: f.viewId, team_id: team.id, state, hash: f.hash },
    actions: [
      { ...element, action_id: f.actionId, block_id: f.actionId, action_ts: String(Date.now() / 1000) },
    ],
  };
}

export function blockSuggestionPayload(f: {
  user: string;
  actionId: string;
  typed: string;
  view: Record<string, unknown>;
  viewId: string;
  values: Record<string, FormValue>;
}) {
  return {
    type: 'block_suggestion',
    team,
    user: userOf(f.user),
    api_app_id: 'A0GATEWAY',
    token: 'deprecated-verification-token',
    action_id: f.actionId,
    block_id: f.actionId,
    value: f.typed,
    container: { type: 'view', view_id: f.viewId },
    view: { ...f.view, id: f.viewId, state: viewState(f.view, f.values) },
  };
}

/**
 * An Events API delivery (`type: event_callback`) around one event, as Slack posts it to the
 * Request URL: the workspace and app it is for, a unique event id and the time of the event.
 */
export function eventCallbackBody(
  event: Record<string, unknown>,
  o: { eventId?: string; eventTime?: number; botUserId?: string } = {},
): string {
  const eventTime = o.eventTime ?? Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: team.id,
    api_app_id: 'A0GATEWAY',
    event,
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${eventTime}${Math.floor(Math.random() * 1e6)}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: team.id,
        user_id: o.botUserId ?? 'U0GWBOT',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
}

export interface AppAnswer {
  status: number;
  body: unknown;
  text: string;
}

/** Sends a signed request to an app's `/slack/events`, exactly as Slack would. */
export async function postToApp(
  url: string,
  signingSecret: string,
  body: string,
  timestampSec?: number,
): Promise<AppAnswer> {
  return post(url, body, signSlackRequest(signingSecret, body, timestampSec));
}

/** Sends a signed Events API body (`eventCallbackBody`) to an app, as JSON, exactly as Slack would. */
export function postEventToApp(url: string, signingSecret: string, body: string): Promise<AppAnswer> {
  return post(url, body, signSlackRequest(signingSecret, body, undefined, 'application/json'));
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<AppAnswer> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : '';
  } catch {
    // Plain text answers (an empty ack) stay text.
  }
  return { status: res.status, body: parsed, text };
}
