/**
 * Slack's limits on what an app sends (Block Kit, message text, modals), written down once. Slack
 * refuses a whole message or view when one text is too long, so a long value someone typed must be
 * cut where the text is built (text/fit.ts), never left for Slack to refuse.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  /** Blocks in a Home tab view (views.publish). */
  homeBlocks: 100,
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
 * Slack's deadline for the answer to an interaction or a command: a modal not answered by then
 * shows the person an error, although what they sent may have been done.
 */
export const SLACK_ANSWER_DEADLINE_MS = 3_000;

/**
 * The bot's own limit on a reject reason, in the modal (`max_length`) and on the server (a client
 * can send anything): enough to say why, and short enough to sit in a section with the rest.
 */
export const REJECT_REASON_MAX_LENGTH = 500;
