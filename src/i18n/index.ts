/**
 * Languages the bot speaks. Every text a person reads is a `Text`: one string per locale, so
 * nothing is ever shown in only one language. The bot's own sentences are in one catalogue per
 * language (messages/); a resource type's words are `text(en, zh)` pairs in its declaration.
 */
export { isLocale, LOCALES, type Locale, pickLocale, type Text, text } from './locale.js';
export { inBoth, type Messages, messages } from './messages/index.js';
export { spaced } from './spacing.js';
