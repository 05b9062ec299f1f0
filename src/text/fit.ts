/**
 * The one way the bot fits a text into a limit: cut it and end it with an ellipsis.
 */
const ELLIPSIS = '…';

/**
 * `text` if it fits in `max` characters (UTF-16 code units, which never undercount what Slack
 * counts), else its start and an ellipsis, `max` characters in all. A cut never splits a
 * surrogate pair, so an emoji is dropped whole rather than left as half a character.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
}
