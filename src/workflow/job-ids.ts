/**
 * Every BullMQ job id, built in one place. Deterministic ids are what make enqueueing idempotent:
 * adding a job whose id exists is a no-op, so a retried click, a reconciler pass and a crashed
 * worker all converge on one job. No id contains `:` (BullMQ refuses it).
 */
import { DEFAULT_ACCOUNT_NAME } from './accounts.js';

/** The provisioning of a request: the request id itself (also the ClientToken). */
export const provisionJobId = (requestId: string): string => requestId;

/** The expiry of a pending request, due when its approval window closes. */
export const expiryJobId = (requestId: string): string => `${requestId}.expire`;

/** The `n`th reminder of a pending request, due `n` reminder intervals after its submission. */
export const reminderJobId = (requestId: string, n: number): string => `${requestId}.remind.${n}`;

/** One notification: `<request>.<event>[.<n>]` for repeated events (progress, approvals). */
export function notificationJobId(n: { requestId: string; event: string; seq?: number }): string {
  return n.seq === undefined ? `${n.requestId}.${n.event}` : `${n.requestId}.${n.event}.${n.seq}`;
}

/** The sweep that watches every provisioning resource of one type in one region. */
export const sweepJobId = (resource: string, regionId: string, account = DEFAULT_ACCOUNT_NAME): string =>
  account === DEFAULT_ACCOUNT_NAME
    ? `sweep.${resource}.${regionId}`
    : `sweep.${resource}.${account}.${regionId}`;

/** The repeatable reconciler's scheduler id. */
export const RECONCILER_ID = 'reconcile';

/** The health sweep's scheduler id (TUNNEL_HEALTH_INTERVAL): one sweep at a time. */
export const HEALTH_ID = 'health';
