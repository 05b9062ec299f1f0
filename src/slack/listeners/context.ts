/**
 * What the Slack surface's listeners share: the workflow they call, the person's language, the
 * private answer, the options of a modal and the logger. Made once by `createSlackSurface`; each
 * listener module takes it and registers the listeners of one kind of request.
 */
import type { WebClient } from '@slack/web-api';
import type { Locale, Text } from '../../i18n/index.js';
import type { Logger } from '../../observability/logger.js';
import type { ClickOrigin, Refused, Workflow } from '../../workflow/service.js';
import type { MemberChannels } from '../member-channels.js';
import type { MetadataSigner } from '../metadata.js';
import type { ModalOptions } from '../modals.js';
import type { OptionsLoader } from '../options/index.js';
import type { RenderContext } from '../render.js';
import type { UserLocales } from '../user-locale.js';

/** A message for one person: in both languages, or written for the language given. */
export type PrivateMessage = Text | ((locale: Locale) => string);

export interface ListenerContext {
  workflow: Workflow;
  logger: Logger;
  /** The command the app answers, `/gateway` unless configured otherwise. */
  slashCommand: string;
  locales: UserLocales;
  /** Signs and checks modal metadata (the key is derived from the bot token). */
  signer: MetadataSigner;
  /** The options every modal of a channel is built with, in one person's language. */
  modal(channelId: string, locale: Locale): ModalOptions;
  /** How a request is rendered now (the channel's language, the approvals required, the time). */
  render(): RenderContext;
  /** Pick-list options (regions, VPCs, vSwitches, …) of a modal's inputs. */
  options: OptionsLoader;
  /** An ephemeral answer in the language of the one person who sees it. */
  tellOnly(channel: string, user: string, message: PrivateMessage): Promise<void>;
  /** A client that logs nothing below warnings: for calls that carry a secret. */
  quietClient: WebClient;
  /** Slack said a user group changed: its kept members are dropped in every bot process. */
  usergroupChanged(usergroup: string): Promise<void>;
  /**
   * Publishes the person's Home tab again (home-publisher.ts), with a notice at the top when given:
   * what their last click did, or why it did nothing. Never throws.
   */
  publishHome(userId: string, notice?: PrivateMessage): Promise<void>;
  /** The channels a person is in (kept a minute): a click from Home acts only on requests of those. */
  channels: MemberChannels;
}

/** What of a click's body tells where it came from. */
export interface ClickPlace {
  channel?: { id?: string };
  message?: { ts?: string };
  /** The view the button was in, for a click in a view (a Home tab: `type` `home`). */
  view?: { type?: string };
}

/**
 * A click on a button of the person's Home tab: Slack sends it with the view and no channel,
 * message or response_url, so it is answered on the Home tab itself.
 */
export function fromHome(body: ClickPlace): boolean {
  return body.view?.type === 'home' && !body.channel?.id;
}

/** Where a click came from (the channel and message it claims), for the workflow's checks. */
export function originOf(body: ClickPlace): ClickOrigin {
  if (fromHome(body)) return { ownPage: true };
  return {
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
  };
}

/**
 * Where a decision's click came from, with, for a click from Home, the channels its person is in
 * (none known when Slack would not say: the click then acts on nothing).
 */
export async function decisionOrigin(
  body: ClickPlace & { user: { id: string } },
  c: ListenerContext,
): Promise<ClickOrigin> {
  const origin = originOf(body);
  if (!origin.ownPage) return origin;
  const memberOf = await c.channels.of(body.user.id).catch(() => new Set<string>());
  return { ...origin, memberOf };
}

/** The request id a button carries as its value. */
export function requestIdOf(action: unknown): string {
  return typeof action === 'object' && action !== null && 'value' in action ? String(action.value) : '';
}

/** The trigger id of a click, which opens a modal once within 3 s. */
export function triggerIdOf(body: object): string {
  return 'trigger_id' in body ? String(body.trigger_id) : '';
}

/** Who clicked what, and where, as a refusal's answer and log line name it. */
export interface Click {
  requestId: string;
  user: string;
  /** The channel to answer in; no answer without one, unless the click came from Home. */
  channel?: string;
  /** The click came from the person's Home tab: the answer is the tab published again, with it on top. */
  home?: boolean;
}

/**
 * A refused click's private answer and log line (`line`), for the first refusal of its interval
 * only: the repeats of the same refusal by the same person on the same request were counted in
 * that one's audit event (RequestStore.refuse), and answering or logging each would let a burst of
 * clicks cost Slack calls and log lines in proportion to its length. The line of an interval says
 * how many the one before it held beyond its own line.
 */
export async function tellRefusal(
  c: ListenerContext,
  line: string,
  click: Click,
  result: Refused,
): Promise<void> {
  const { first, before } = result.tally;
  if (!first) return;
  if (click.channel) {
    // Requests already waiting are answered first: a private answer has no 3 s deadline.
    await new Promise((resolve) => setImmediate(resolve));
    await c.tellOnly(click.channel, click.user, result.refusal.message);
  } else if (click.home) {
    await c.publishHome(click.user, result.refusal.message);
  }
  c.logger.info(
    {
      requestId: click.requestId,
      user: click.user,
      ok: false,
      refusal: result.refusal.code,
      ...(before
        ? { alsoRefusedSinceLastLine: before.times - 1, since: new Date(before.since).toISOString() }
        : {}),
    },
    line,
  );
}
