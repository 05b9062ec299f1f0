/**
 * Names Slack sees, fixed by the design's contract: operators and acceptance tests rely on them.
 * The modals' callback ids (`create_vpn_gateway`, …) belong to the resource declarations.
 */
export const REJECT_REASON_CALLBACK_ID = 'reject_reason';
export const REJECT_REASON_BLOCK_ID = 'reason';
export const ACTION_IDS = {
  approve: 'approve_request',
  reject: 'reject_request',
  cancel: 'cancel_request',
} as const;
/** Slack metadata event type on every message the bot posts, used to find it again after a crash. */
export const MESSAGE_EVENT_TYPE = 'gateway_request';
