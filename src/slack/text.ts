/**
 * Text that goes into Slack messages. What a person typed is data, never formatting: it is shown
 * in an inline code span that mrkdwn cannot escape (backticks replaced, `& < >` escaped, line
 * breaks shown as ⏎), so it cannot add a line, a mention, a link or bold text that looks like the
 * bot's own. And everything fits Slack's limits: long texts are cut with an ellipsis.
 */

/** Cuts a text to at most `max` characters (code points), ending with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Escapes the three characters mrkdwn treats as control (`<@U…>`, `<!here>`, links). */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * A typed value shown inline in mrkdwn: in a code span (no bold, italics, links or mentions
 * inside), with backticks replaced so the span cannot be closed early, and line breaks visible.
 */
export function inertInline(value: string, max = 300): string {
  const flat = value.replace(/\r\n?|\n/g, ' ⏎ ').replaceAll('`', 'ˋ');
  return `\`${escapeMrkdwn(cut(flat, max))}\``;
}

/** Slack's limits (docs/slack.md): section text, plain-text input, button text, option text. */
export const LIMITS = {
  sectionText: 3000,
  contextText: 2000,
  buttonText: 75,
  optionText: 75,
  header: 150,
  messageText: 40_000,
} as const;
