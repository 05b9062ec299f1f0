/**
 * The message catalogues, one per language, and the two ways to read them: `messages(locale)` for
 * a text shown to one reader now, `inBoth(...)` for a text kept in both languages (a refusal, a
 * recorded failure) and shown later in whichever language its reader has.
 */
import type { Locale, Text } from '../locale.js';
import { en, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export type { Messages } from './en.js';

const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, 'zh-CN': zhCN };

export function messages(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** A text in every language, each picked from that language's catalogue. */
export function inBoth(pick: (m: Messages, locale: Locale) => string): Text {
  return { en: pick(en, 'en'), 'zh-CN': pick(zhCN, 'zh-CN') };
}
