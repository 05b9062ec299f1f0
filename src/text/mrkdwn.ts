/**
 * Text that goes into Slack messages. What a person typed is data, never formatting: it is shown
 * in an inline code span that mrkdwn cannot escape (backticks replaced, `& < >` escaped, line
 * breaks shown as ⏎), so it cannot add a line, a mention, a link or bold text that looks like the
 * bot's own. Invisible and direction-changing characters (which typed fields refuse, but an echo
 * of a command can hold) are shown by name. Long values are cut with an ellipsis (fit.ts).
 */

import { fitText } from './fit.js';
import { nameHiddenCharacters } from './hidden-characters.js';

/** Escapes the three characters mrkdwn treats as control (`<@U…>`, `<!here>`, links). */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * A typed value shown inline in mrkdwn: in a code span (no bold, italics, links or mentions
 * inside), with backticks replaced so the span cannot be closed early, and line breaks visible.
 */
export function inertInline(value: string, max = 300): string {
  const flat = nameHiddenCharacters(value.replace(/\r\n?|\n/g, ' ⏎ ')).replaceAll('`', 'ˋ');
  return `\`${escapeMrkdwn(fitText(flat, max))}\``;
}
