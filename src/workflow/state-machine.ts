/**
 * The request lifecycle (docs/architecture.md, "Request lifecycle") as data: which state may follow which.
 * The store refuses any other move, so a bug cannot, say, revive a rejected request.
 */
import type { RequestState } from './types.js';

export const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  pending_approval: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['creating', 'failed'],
  creating: ['provisioning', 'succeeded', 'failed'],
  provisioning: ['succeeded', 'failed'],
  succeeded: [],
  rejected: [],
  cancelled: [],
  expired: [],
  failed: [],
};

export function canMove(from: RequestState, to: RequestState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}
