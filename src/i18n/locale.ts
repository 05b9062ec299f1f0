/**
 * The languages the bot speaks and a text in each of them: the vocabulary every catalogue and
 * every declaration shares (kept apart from the catalogues, which use it).
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
