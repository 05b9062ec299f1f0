/**
 * The channels a person is in (public and private, `users.conversations`), kept a short while: the
 * Home tab shows only requests of those channels, and a click from Home acts only on them, as a
 * click in a thread can come only from someone who sees the channel.
 */
import type { WebClient } from '@slack/web-api';

/** Pages of 200 channels read at the most: a person in more is rare, and the rest is left out. */
const PAGES_MAX = 5;
const PAGE_SIZE = 200;
/** How long a person's channels are kept: a click right after the Home tab opened asks Slack nothing. */
const KEPT_MS = 60_000;
/** People whose channels are kept at once, the oldest dropped first. */
const PEOPLE_KEPT = 1_000;

export interface MemberChannels {
  /**
   * The person's channels; throws Slack's error when they cannot be read (a missing scope).
   * `fresh`: asked of Slack now (the Home tab opened), and kept for the clicks that follow.
   */
  of(userId: string, fresh?: boolean): Promise<ReadonlySet<string>>;
}

export function memberChannels(client: WebClient, now: () => number = Date.now): MemberChannels {
  const kept = new Map<string, { at: number; channels: Promise<ReadonlySet<string>> }>();
  async function read(userId: string): Promise<ReadonlySet<string>> {
    const channels = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < PAGES_MAX; page++) {
      const answer = await client.users.conversations({
        user: userId,
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of answer.channels ?? []) if (c.id) channels.add(c.id);
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return channels;
  }
  return {
    of(userId, fresh = false) {
      const hit = kept.get(userId);
      if (!fresh && hit && now() - hit.at < KEPT_MS) return hit.channels;
      const channels = read(userId);
      kept.delete(userId);
      kept.set(userId, { at: now(), channels });
      if (kept.size > PEOPLE_KEPT) kept.delete(kept.keys().next().value as string);
      // A failed read is not kept: the next look asks again.
      channels.catch(() => kept.delete(userId));
      return channels;
    },
  };
}
