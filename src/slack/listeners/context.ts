/**
 * What the Slack surface's listeners share: the workflow they call, the person's language, the
 * private answer, the options of a modal and the logger. Made once by `createSlackSurface`; each
 * listener module takes it and registers the listeners of one kind of request.
 */
import type { WebClient } from '@slack/web-api';
import type { Locale, Text } from '../../i18n/index.js';
import type { Logger } from '../../observability/logger.js';
import type { ClickOrigin, Workflow } from '../../workflow/service.js';
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
}

/** Where a click came from (the channel and message it claims), for the workflow's checks. */
export function originOf(body: { channel?: { id?: string }; message?: { ts?: string } }): ClickOrigin {
  return {
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
  };
}

/** The request id a button carries as its value. */
export function requestIdOf(action: unknown): string {
  return typeof action === 'object' && action !== null && 'value' in action ? String(action.value) : '';
}

/** The trigger id of a click, which opens a modal once within 3 s. */
export function triggerIdOf(body: object): string {
  return 'trigger_id' in body ? String(body.trigger_id) : '';
}
