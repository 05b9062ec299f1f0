/**
 * Names Slack sees, fixed in docs/architecture.md ("Names Slack sees"): operators and acceptance
 * tests rely on them.
 * The modals' callback ids (`create_vpn_gateway`, …) belong to the resource declarations.
 */
export const REJECT_REASON_CALLBACK_ID = 'reject_reason';
export const REJECT_REASON_BLOCK_ID = 'reason';
export const ACTION_IDS = {
  approve: 'approve_request',
  reject: 'reject_request',
  cancel: 'cancel_request',
  /**
   * On a successful result: open the modal of the resource type it leads to
   * (docs/requests.md, "IPsec connection").
   */
  connect: 'connect_gateways',
  /**
   * On an IPsec connection's result: show its pre-shared key, privately
   * (docs/requests.md, "The pre-shared key").
   */
  revealPsk: 'reveal_psk',
  /**
   * On an IPsec connection's result: the on-premises device's configuration, privately
   * (docs/requests.md, "The peer's configuration").
   */
  peerConfig: 'peer_config',
  /** The select in that private answer that writes it in another format (its block id: the request id). */
  peerConfigFormat: 'peer_config_format',
} as const;
/** Slack metadata event type on every message the bot posts, used to find it again after a crash. */
export const MESSAGE_EVENT_TYPE = 'gateway_request';
