/**
 * What Slack refuses, as Slack documents it (Block Kit reference: each block's and element's
 * field limits; chat.postMessage: `msg_too_long`; views.open: a modal's limits). Kept here, apart
 * from the bot's own copy (src/slack/limits.ts): a fake that took its limits from the bot would
 * let the bot's mistakes through. test/sandbox/published-facts.test.ts holds the two together.
 */
export const SLACK_REFUSES_OVER = {
  /** Blocks in a message ("Block Kit: up to 50 blocks in each message"). */
  messageBlocks: 50,
  /** Blocks in a modal or Home tab view (100). */
  modalBlocks: 100,
  /** Blocks in a Home tab view published with views.publish (100). */
  homeBlocks: 100,
  /** chat.postMessage / chat.update `text`: 40,000 characters, then `msg_too_long`. */
  messageText: 40_000,
  /** Section block `text`: 3000 characters. */
  sectionText: 3000,
  /** Header block `text`: 150 characters. */
  headerText: 150,
  /** `block_id`: 255 characters. */
  blockId: 255,
  /** An element's `action_id`: 255 characters. */
  actionId: 255,
  /** Button `text`: 75 characters. */
  buttonText: 75,
  /** Elements in an actions block: 25. */
  actionsElements: 25,
  /** Options in a select or an options answer: 100. */
  options: 100,
  /** An option's `text`: 75 characters. */
  optionText: 75,
  /** plain_text_input `max_length`: at most 3000. */
  plainTextInputMaxLength: 3000,
  /** A modal's `title`, `submit` and `close`: 24 characters each. */
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  /** A view's `callback_id`: 255 characters. */
  callbackId: 255,
  /** A view's `private_metadata`: 3000 characters. */
  privateMetadata: 3000,
  /** A confirmation dialog: title 100, text 300, confirm and deny 30 characters. */
  confirmTitle: 100,
  confirmText: 300,
  confirmConfirm: 30,
  confirmDeny: 30,
} as const;
