/**
 * Slack's mrkdwn as the bot uses it, turned into HTML: mentions, dates, links, `code`, ```preformatted```, *bold*,
 * _italics_ and the emoji the bot's messages contain. The text is escaped first, so whatever a
 * person typed stays text; Slack's own escapes (`&lt;`) show as the characters they stand for.
 */
import { esc } from './dom.js';

const EMOJI: Record<string, string> = {
  alarm_clock: '⏰',
  ballot_box_with_check: '☑️',
  bell: '🔔',
  gear: '⚙️',
  grey_question: '❔',
  heavy_multiplication_x: '✖️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  large_green_circle: '🟢',
  link: '🔗',
  no_entry: '⛔',
  red_circle: '🔴',
  satellite_antenna: '📡',
  tada: '🎉',
  test_tube: '🧪',
  warning: '⚠️',
  wastebasket: '🗑️',
  white_check_mark: '✅',
  x: '❌',
};

/** Slack's three escapes (`&lt;` `&gt;` `&amp;`), already HTML-escaped once, shown as the characters. */
function unescapeSlack(html: string): string {
  return html.replace(/&amp;(lt|gt|amp);/g, '&$1;');
}

function formatted(text: string, userName: (id: string) => string, lang: string | undefined): string {
  return unescapeSlack(
    esc(text)
      // <!date^1700000000^{date_short_pretty} {time}|fallback>: shown in the reader's own time.
      .replace(/&lt;!date\^(\d+)\^[^|]*\|[^&]*&gt;/g, (_, seconds: string) =>
        new Date(Number(seconds) * 1000).toLocaleString(lang),
      )
      .replace(
        /&lt;@([A-Z0-9]+)&gt;/g,
        (_, id: string) => `<span class="mention">@${esc(userName(id))}</span>`,
      )
      // <!subteam^S0LEADS>: a user group, named by its id (the playground has no group names).
      .replace(/&lt;!subteam\^([A-Z0-9]+)&gt;/g, (_, id: string) => `<span class="mention">@${id}</span>`)
      .replace(
        /&lt;(https?:\/\/[^|&\s]+)\|([^&]+)&gt;/g,
        (_, url: string, label: string) => `<a href="${url}" target="_blank" rel="noopener">${label}</a>`,
      )
      .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
      .replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,;:])/g, '$1<i>$2</i>')
      .replace(/:([a-z0-9_+-]+):/g, (match, name: string) => EMOJI[name] ?? match),
  );
}

/** `lang`: the reader's language, for dates (the browser's own when not given). */
export function mrkdwn(text: string, userName: (id: string) => string, lang?: string): string {
  // A ```preformatted``` block is shown as it is, its lines kept.
  return text
    .split(/(```[\s\S]*?```)/g)
    .map((part, i) =>
      i % 2 === 1
        ? `<pre>${unescapeSlack(esc(part.slice(3, -3).replace(/^\n/, '').replace(/\n$/, '')))}</pre>`
        : inline(part, userName, lang),
    )
    .join('');
}

function inline(text: string, userName: (id: string) => string, lang?: string): string {
  // As in Slack, nothing inside a `code span` is formatted: the spans are split off first.
  return text
    .split(/(`[^`\n]+`)/g)
    .map((part, i) =>
      i % 2 === 1 ? `<code>${unescapeSlack(esc(part.slice(1, -1)))}</code>` : formatted(part, userName, lang),
    )
    .join('');
}
