/**
 * The language of the person in front of the screen: their Slack locale when Slack reports it
 * (`users.info` with `include_locale`), else the configured default. Cached for an hour so the
 * lookup stays off the path of every click.
 */
import type { WebClient } from '@slack/web-api';
import { type Locale, pickLocale } from '../i18n/index.js';

const TTL_MS = 3_600_000;
const LOOKUP_TIMEOUT_MS = 800;
/** People kept at most: those kept longest go first, so a crowd of people cannot grow the process. */
const MAX_PEOPLE = 10_000;

export class UserLocales {
  /** In the order Slack was asked, longest kept first. */
  private readonly cache = new Map<string, { locale: Locale; until: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly fallback: Locale,
    private readonly now: () => number = Date.now,
    private readonly maxPeople = MAX_PEOPLE,
  ) {}

  /** How many people's languages are kept. */
  get size(): number {
    return this.cache.size;
  }

  async of(userId: string): Promise<Locale> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > this.now()) return hit.locale;
    let slackLocale: string | undefined;
    try {
      const answer = await Promise.race([
        this.client.users.info({ user: userId, include_locale: true }),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), LOOKUP_TIMEOUT_MS).unref()),
      ]);
      slackLocale = answer?.user?.locale;
    } catch {
      // A missing scope or a Slack hiccup must not block the user: speak the default language.
    }
    const locale = pickLocale(slackLocale, this.fallback);
    this.cache.delete(userId);
    this.cache.set(userId, { locale, until: this.now() + TTL_MS });
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.maxPeople) break;
      this.cache.delete(oldest);
    }
    return locale;
  }
}
