/**
 * Publishes one person's Home tab: reads what the workflow knows for them (what they may approve
 * now, their requests, the resources down), the channels they are in (only when something waits
 * or is down, kept a minute: member-channels.ts), and keeps of the first two only what is in those
 * channels, the links to their requests' threads, and
 * publishes the view (home.ts). Called when the person opens the tab and after each of their own
 * decisions; a failure is logged and shows them the view they had.
 */
import type { WebClient } from '@slack/web-api';
import type { Locale, Text } from '../i18n/index.js';
import type { Logger } from '../observability/logger.js';
import type { DownResource, Workflow } from '../workflow/service.js';
import type { ResourceRequest } from '../workflow/types.js';
import { HOME_YOURS_SHOWN, renderHome } from './home.js';
import type { MemberChannels } from './member-channels.js';
import type { RenderContext } from './render.js';
import type { UserLocales } from './user-locale.js';

/** Thread links kept (a message's permalink never changes): a Home published again asks only for new ones. */
const LINKS_KEPT = 2_000;

export interface HomePublisherOptions {
  client: WebClient;
  workflow: Workflow;
  locales: UserLocales;
  /** How requests are rendered now; the person's language replaces the channel's. */
  render: () => RenderContext;
  slashCommand: string;
  logger: Logger;
  /** The channels a person is in. */
  channels: MemberChannels;
}

/** A notice for the top of the view: in both languages, or written for the person's language. */
export type HomeNotice = Text | ((locale: Locale) => string);

export class HomePublisher {
  /** Permalinks by channel and message ts, the oldest kept first. */
  private readonly links = new Map<string, string>();

  constructor(private readonly o: HomePublisherOptions) {}

  /** Publishes the person's Home view; never throws (a failure is logged). */
  async publish(userId: string, notice?: HomeNotice): Promise<void> {
    try {
      const locale = await this.o.locales.of(userId);
      const [yours, { waiting, down, channelsUnreadable }] = await Promise.all([
        this.o.workflow.requestsBy(userId, HOME_YOURS_SHOWN),
        this.inChannelsOf(userId),
      ]);
      const threads = await this.threadLinks(yours.requests);
      const view = renderHome(
        {
          waiting,
          yours,
          threads,
          down,
          ...(channelsUnreadable ? { channelsUnreadable } : {}),
          ...(notice ? { notice: typeof notice === 'function' ? notice(locale) : notice[locale] } : {}),
        },
        { ...this.o.render(), locale, slashCommand: this.o.slashCommand },
      );
      await this.o.client.views.publish({ user_id: userId, view });
    } catch (err) {
      this.o.logger.warn({ user: userId, err: { message: (err as Error).message } }, 'home not published');
    }
  }

  /**
   * The requests waiting for the person's approval and the resources with parts down, of the
   * channels this person is in (as a thread's buttons can be clicked only by someone who sees the
   * channel); or, when Slack would not say which channels those are (an install without
   * `channels:read`), its error and neither.
   */
  private async inChannelsOf(
    userId: string,
  ): Promise<{ waiting: ResourceRequest[]; down: DownResource[]; channelsUnreadable?: string }> {
    const [waiting, down] = await Promise.all([
      this.o.workflow.awaitingApproval(userId),
      this.o.workflow.resourcesDown(),
    ]);
    if (waiting.length === 0 && down.length === 0) return { waiting: [], down: [] };
    try {
      const channels = await this.o.channels.of(userId, true);
      return {
        waiting: waiting.filter((r) => channels.has(r.channelId)),
        down: down.filter((d) => channels.has(d.request.channelId)),
      };
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown';
      this.o.logger.warn({ user: userId, error: code }, 'home: the person’s channels could not be read');
      return { waiting: [], down: [], channelsUnreadable: code };
    }
  }

  /** Permalinks to the threads of requests whose message was posted; one that fails is left out. */
  private async threadLinks(requests: readonly ResourceRequest[]): Promise<Map<string, string>> {
    const links = await Promise.all(
      requests.map(async (r) => {
        if (!r.messageTs) return undefined;
        const key = `${r.channelId}/${r.messageTs}`;
        const kept = this.links.get(key);
        if (kept) return [r.id, kept] as const;
        try {
          const answer = await this.o.client.chat.getPermalink({
            channel: r.channelId,
            message_ts: r.messageTs,
          });
          if (!answer.permalink) return undefined;
          this.links.set(key, answer.permalink);
          for (const oldest of this.links.keys()) {
            if (this.links.size <= LINKS_KEPT) break;
            this.links.delete(oldest);
          }
          return [r.id, answer.permalink] as const;
        } catch {
          return undefined;
        }
      }),
    );
    return new Map(links.filter((l) => l !== undefined));
  }
}
