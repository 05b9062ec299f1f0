/**
 * The request record and its vocabulary. A request is one gateway a person asked for; its id is
 * also the BullMQ job id and the Alibaba ClientToken, which is what makes duplicates impossible.
 */
import type { Locale, Text } from '../i18n/index.js';

export type GatewayKind = 'vpn' | 'customer';

export const REQUEST_STATES = [
  'pending_approval',
  'approved',
  'creating',
  'provisioning',
  'succeeded',
  'rejected',
  'cancelled',
  'expired',
  'failed',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const FINAL_STATES: ReadonlySet<RequestState> = new Set([
  'succeeded',
  'rejected',
  'cancelled',
  'expired',
  'failed',
]);

/** States in which the worker owns the request and a job must exist. */
export const ACTIVE_STATES: ReadonlySet<RequestState> = new Set(['approved', 'creating', 'provisioning']);

export type ApiParams = Readonly<Record<string, string | number | boolean>>;

export interface Person {
  userId: string;
  /** Display name when known, for audit readers; never used for decisions. */
  name?: string;
}

export interface Approval extends Person {
  at: number;
}

export interface PreflightCheck {
  id: 'vpc' | 'vswitch' | 'ip_unique' | 'quota';
  outcome: 'pass' | 'fail' | 'unknown';
  detail: Text;
}

export interface PreflightResult {
  ok: boolean;
  checkedAt: number;
  checks: PreflightCheck[];
}

export interface RequestError {
  code: string;
  httpStatus?: number;
  requestId?: string;
  retryable: boolean;
  what: Text;
  todo: Text;
}

export interface CloudOutcome {
  gatewayId?: string;
  orderId?: string;
  status?: string;
  businessStatus?: string;
  internetIp?: string;
  spec?: string;
  /** Every cloud RequestId seen for this request, oldest first, for support tickets. */
  requestIds: string[];
}

export interface GatewayRequest {
  id: string;
  kind: GatewayKind;
  /** Normalised API parameters, exactly what will be sent (ClientToken aside). */
  params: ApiParams;
  paramsHash: string;
  requester: Person;
  channelId: string;
  /** The request message in the channel, once posted; its thread carries the conversation. */
  messageTs?: string;
  locale: Locale;
  state: RequestState;
  /** Bumped by every write; compare-and-set is on this number. */
  version: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  approvals: Approval[];
  rejection?: Person & { reason: string; at: number };
  cancelledBy?: Person & { at: number };
  preflight?: PreflightResult;
  cloud: CloudOutcome;
  error?: RequestError;
  approvedAt?: number;
  provisioningStartedAt?: number;
  finishedAt?: number;
}

export interface AuditEvent {
  requestId: string;
  at: number;
  /** A Slack user id, or `system:<component>` for the worker, reconciler and expiry. */
  actor: string;
  action: string;
  from?: RequestState;
  to?: RequestState;
  /** Set when the action was refused; nothing changed then. */
  refused?: string;
  details?: Record<string, string | number | boolean>;
}
