/**
 * The Slack side of the notification queue: posts the request message, edits it as the request
 * moves, and posts each event in its thread. Slack has no idempotency key for messages, so every
 * post carries the notification id in its metadata; when a try may have posted before it failed
 * (a timeout, a crash, a 5xx), the next try looks for that metadata before posting again.
 * Rate limits come back as RetryLaterError with Slack's Retry-After, so the queue waits exactly
 * as long as Slack asked and a message is never lost or shown twice.
 */

import type { KnownBlock } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import {
  type DeliveryContext,
  type DeliveryResult,
  type Notification,
  type Notifier,
  RetryLaterError,
} from '../workflow/notifications.js';
import type { ResourceRequest } from '../workflow/types.js';
import { MESSAGE_EVENT_TYPE } from './ids.js';
import { type RenderContext, renderRequestMessage, renderThreadMessage } from './render.js';

export interface SlackNotifierOptions {
  client: WebClient;
  context: () => Omit<RenderContext, 'now'>;
  now?: () => number;
  /**
   * The request message cannot be posted in its channel (the bot is not a member, the channel is
   * archived or gone): retrying would not help, so the request is withdrawn and its requester told.
   */
  onChannelUnusable?: (request: ResourceRequest, slackError: string) => Promise<void>;
}

/** Slack answers that no retry can fix: the channel itself cannot take the bot's message. */
export const CHANNEL_UNUSABLE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

function platformError(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

interface SlackMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

function metadataFor(notificationId: string, requestId: string) {
  return {
    event_type: MESSAGE_EVENT_TYPE,
    event_payload: { request_id: requestId, notification_id: notificationId },
  };
}

function isOurs(message: SlackMessage, notificationId: string): boolean {
  return (
    message.metadata?.event_type === MESSAGE_EVENT_TYPE &&
    message.metadata.event_payload?.notification_id === notificationId
  );
}

/** Turns Slack's rate-limit answer into a retry after the delay it asked for. */
async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; retryAfter?: number };
    if (e.code === ErrorCode.RateLimitedError) {
      throw new RetryLaterError(`Slack rate-limited ${what}`, Math.max(1, e.retryAfter ?? 1) * 1000);
    }
    throw err;
  }
}

export class SlackNotifier implements Notifier {
  private readonly now: () => number;

  constructor(private readonly options: SlackNotifierOptions) {
    this.now = options.now ?? Date.now;
  }

  private ctx(): RenderContext {
    return { ...this.options.context(), now: this.now() };
  }

  async deliver(
    notification: Notification,
    request: ResourceRequest,
    context: DeliveryContext,
  ): Promise<DeliveryResult | undefined> {
    const { client } = this.options;
    const ctx = this.ctx();
    const root = renderRequestMessage(request, ctx);

    if (notification.event === 'submitted' && request.messageTs === undefined) {
      const earlier = context.attempt > 0 ? await this.findRoot(request, context.notificationId) : undefined;
      if (earlier) return { messageTs: earlier };
      let posted: Awaited<ReturnType<WebClient['chat']['postMessage']>>;
      try {
        posted = await call('chat.postMessage', () =>
          client.chat.postMessage({
            channel: request.channelId,
            text: root.text,
            blocks: root.blocks,
            metadata: metadataFor(context.notificationId, request.id),
            unfurl_links: false,
          }),
        );
      } catch (err) {
        const slackError = platformError(err);
        if (slackError && CHANNEL_UNUSABLE.has(slackError) && this.options.onChannelUnusable) {
          await this.options.onChannelUnusable(request, slackError);
          return undefined;
        }
        throw err;
      }
      if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
      return { messageTs: posted.ts };
    }
    const messageTs = request.messageTs;
    if (messageTs === undefined) throw new Error(`request message for ${request.id} is not posted yet`);

    const thread = renderThreadMessage(notification, request, ctx);
    if (thread) {
      const already =
        context.attempt > 0 && (await this.inThread(request, messageTs, context.notificationId));
      if (!already) {
        await call('chat.postMessage', () =>
          client.chat.postMessage({
            channel: request.channelId,
            thread_ts: messageTs,
            text: thread.text,
            blocks: thread.blocks as KnownBlock[],
            reply_broadcast: thread.broadcast,
            metadata: metadataFor(context.notificationId, request.id),
            unfurl_links: false,
          }),
        );
      }
    }
    // Editing is idempotent: it always shows the state as stored now.
    await call('chat.update', () =>
      client.chat.update({ channel: request.channelId, ts: messageTs, text: root.text, blocks: root.blocks }),
    );
    return undefined;
  }

  private async findRoot(request: ResourceRequest, notificationId: string): Promise<string | undefined> {
    const history = await call('conversations.history', () =>
      this.options.client.conversations.history({
        channel: request.channelId,
        oldest: String(Math.floor(request.createdAt / 1000) - 1),
        include_all_metadata: true,
        limit: 200,
      }),
    );
    const messages = (history.messages ?? []) as SlackMessage[];
    return messages.find((m) => isOurs(m, notificationId))?.ts;
  }

  private async inThread(
    request: ResourceRequest,
    threadTs: string,
    notificationId: string,
  ): Promise<boolean> {
    const replies = await call('conversations.replies', () =>
      this.options.client.conversations.replies({
        channel: request.channelId,
        ts: threadTs,
        include_all_metadata: true,
        limit: 200,
      }),
    );
    return ((replies.messages ?? []) as SlackMessage[]).some((m) => isOurs(m, notificationId));
  }
}
