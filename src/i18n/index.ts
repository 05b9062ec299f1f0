/**
 * Languages the bot speaks. Every text a person reads is a `Text`: one string per locale, so
 * nothing is ever shown in only one language. The bot's own sentences are in one catalogue per
 * language (messages/); a resource type's words are `text(en, zh)` pairs in its declaration.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export type Text = Readonly<Record<Locale, string>>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Maps a Slack user locale (`zh-CN`, `zh-TW`, `en-US`, `ja-JP`, …) to one the bot speaks,
 * falling back to the configured default.
 */
export function pickLocale(userLocale: string | undefined, fallback: Locale): Locale {
  if (!userLocale) return fallback;
  const lower = userLocale.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return fallback;
}

export function text(en: string, zh: string): Text {
  return { en, 'zh-CN': zh };
}

export { inBoth, type Messages, messages } from './messages/index.js';
export { spaced } from './spacing.js';
