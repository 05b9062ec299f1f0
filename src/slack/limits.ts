/**
 * Slack's limits on what an app sends (Block Kit, message text, modals), written down once, and
 * the one way the bot fits a text into a limit: cut it and end it with an ellipsis. Slack refuses
 * a whole message or view when one text is too long, so a long value someone typed must be cut
 * where the text is built, never left for Slack to refuse.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  /** `text` of chat.postMessage / chat.update: `msg_too_long` beyond it. */
  messageText: 40_000,
  sectionText: 3000,
  headerText: 150,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  actionsElements: 25,
  options: 100,
  optionText: 75,
  /** A plain_text_input's `max_length` must lie in 1…3000. */
  plainTextInputMaxLength: 3000,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  callbackId: 255,
  privateMetadata: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmConfirm: 30,
  confirmDeny: 30,
} as const;

/**
 * The bot's own limit on a reject reason, in the modal (`max_length`) and on the server (a client
 * can send anything): enough to say why, and short enough to sit in a section with the rest.
 */
export const REJECT_REASON_MAX_LENGTH = 500;

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
