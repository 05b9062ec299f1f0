/**
 * The request record and its vocabulary. A request is one operation on one resource a person
 * asked for (docs/architecture.md, "Resource types"); its id is also the BullMQ job id and the
 * Alibaba ClientToken, which is
 * what makes duplicates impossible.
 */
import type { Locale, Text } from '../i18n/index.js';
import type { ApprovalDecision } from '../policy/index.js';
import type { CheckOutcome, RequestParams } from '../resources/index.js';

export type { RequestParams } from '../resources/index.js';

export const OPERATIONS = ['create', 'delete', 'rotate_key', 'adopt'] as const;
export type Operation = (typeof OPERATIONS)[number];
/** An operation on a resource that exists already, named by its cloud id (`/gateway delete <id>`). */
export type OnExisting = Exclude<Operation, 'create'>;

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

/** `settled`; `unsettled`: the window ran out first; `gone`: deleted meanwhile (nothing is said). */
export type SettleOutcome = 'settled' | 'unsettled' | 'gone';

/**
 * What the approvers of a request must satisfy, as the policy decided: how many approvals, who
 * counts (every constraint must hold), which rules applied and why (mrkdwn, in both languages,
 * people as `<@U…>` and user groups as `<!subteam^S…>`). Recorded at submission and again with
 * each approval, so the request message shows the requirement the latest click was judged by.
 */
export type ApprovalRequirement = Omit<ApprovalDecision, 'outcome' | 'unsatisfiable'> & {
  /** When the policy was applied. */
  decidedAt: number;
};

export interface Person {
  userId: string;
  /** Display name when known, for audit readers; never used for decisions. */
  name?: string;
}

export interface Approval extends Person {
  at: number;
}

export type PreflightCheck = CheckOutcome;

export interface PreflightResult {
  /** No check failed (some may not have run: `unknown`). */
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
  /** The checks that failed, when the preflight right before the create call stopped the request. */
  checks?: PreflightCheck[];
}

export interface CloudOutcome {
  /** The id the cloud gave the resource (`vpn-…`, `cgw-…`), or, for a delete, the one deleted. */
  resourceId?: string;
  /** The cloud's status word while watched (`provisioning`, `active`). */
  status?: string;
  /** Something a person must act on while watched (`FinancialLocked`: an unpaid order). */
  attention?: string;
  /** Facts for the result: public IPs, the spec, the order id. */
  facts: Record<string, string>;
  /** Every cloud RequestId seen for this request, oldest first, for support tickets. */
  requestIds: string[];
}

/** A call waiting for its slot under Alibaba's rate limit, as first reported. */
export interface QueuedCall {
  regionId?: string;
  /** Calls of the same action and region (in this account) with slots before it. */
  ahead: number;
  /** When its slot is due. */
  sendAt: number;
  at: number;
}

export interface ResourceRequest {
  id: string;
  operation: Operation;
  /** A registered resource type (`vpn_gateway`, `customer_gateway`). */
  resource: string;
  /** The Alibaba Cloud account it is made in (ACCOUNTS_FILE; `default` without one). */
  account: string;
  /** Normalised API parameters, exactly what will be sent (ClientToken and secrets aside). */
  params: RequestParams;
  /** Secret parameters, sealed (workflow/secrets.ts), kept only until the create call succeeded. */
  secrets?: Record<string, string>;
  /** Names of the secret parameters given, so people see "set" after the values are gone. */
  secretNames?: string[];
  paramsHash: string;
  requester: Person;
  channelId: string;
  /** The request message in the channel, once posted; its thread carries the conversation. */
  messageTs?: string;
  /**
   * The requester's language when they asked: for what is said to them alone. What is posted in
   * the channel is read by several people and speaks the configured LOCALE.
   */
  locale: Locale;
  state: RequestState;
  /** Bumped by every write; compare-and-set is on this number. */
  version: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  approvals: Approval[];
  /** What the approvers must satisfy (approval policy); absent on records from before policies. */
  requirement?: ApprovalRequirement;
  rejection?: Person & { reason: string; at: number };
  cancelledBy?: Person & { at: number };
  preflight?: PreflightResult;
  /**
   * An operation on an existing resource: what the approvers were shown of it, as the cloud listed
   * it at submission (an adoption's, once done: as it was taken over).
   */
  target?: { label: Text; value: string; typed?: boolean }[];
  /**
   * An adoption, once done: each drift attribute of its type as the resource had it when taken over
   * (what it was never asked for through the bot, so `params` cannot say), by attribute key.
   */
  baseline?: Record<string, string>;
  cloud: CloudOutcome;
  error?: RequestError;
  approvedAt?: number;
  /**
   * The create or delete call held back by the bot's own pacing for long enough to say so (once):
   * where it stood then. Time held back never counts toward `PROVISION_TIMEOUT`.
   */
  queued?: QueuedCall;
  provisioningStartedAt?: number;
  finishedAt?: number;
  /**
   * Watching on after success, for a resource that settles later (an IPsec connection's tunnels):
   * until when, and how it ended.
   */
  settle?: { until: number; outcome?: SettleOutcome; at?: number };
  /** Its parts followed for the resource's whole life, after the settle window (health.ts). */
  health?: HealthRecord;
  /** How the resource differs from what was approved, as the health sweep last saw it (drift-look.ts). */
  drift?: DriftRecord;
}

/** One approved attribute that differs now; `key` `gone`: the resource is no longer in the account. */
export interface DriftDifference {
  key: string;
  label: Text;
  approved: string;
  now: string;
}

/** Differences announced together (`drift`, `seq`). */
export interface DriftChange {
  seq: number;
  at: number;
  differences: DriftDifference[];
}

export interface DriftRecord {
  /** What differs now, by attribute. */
  differs: Record<string, DriftDifference>;
  /** The latest announcements, newest last. */
  changes: DriftChange[];
  seq: number;
}

/** One part's state as last confirmed (seen so on two looks in a row), and a new one seen once. */
export interface HealthPartState {
  up: boolean;
  /** When it was first seen in that state. */
  since: number;
  /** Seen otherwise on the last look, at that time: one more look confirms it. */
  seen?: { up: boolean; at: number };
}

/** A confirmed change of a part, announced once (`tunnel_down` / `tunnel_up`, `seq`). */
export interface HealthChange {
  seq: number;
  part: string;
  label: Text;
  up: boolean;
  /** When it was first seen in its new state. */
  at: number;
  /**
   * When the look that confirmed it was made (an interval or more after `at`): what "young enough
   * to announce again" counts from. Unset on changes recorded before it was kept.
   */
  confirmedAt?: number;
  /** Back up: since when it had been down. */
  downSince?: number;
}

export interface HealthRecord {
  parts: Record<string, HealthPartState>;
  /** The latest confirmed changes, newest last (the thread messages read theirs by `seq`). */
  changes: HealthChange[];
  /** The number of changes confirmed so far. */
  seq: number;
}

export interface AuditEvent {
  requestId: string;
  at: number;
  /** A Slack user id, or `system:<component>` for the worker, reconciler and expiry. */
  actor: string;
  /** The person's display name as their click gave it, for audit readers; never used for decisions. */
  actorName?: string;
  action: string;
  from?: RequestState;
  to?: RequestState;
  /** Set when the action was refused; nothing changed then. */
  refused?: string;
  /**
   * A refusal repeated within its interval (the same person, action and reason): how many times it
   * was refused in all, this event's included, the last of them at `lastAt`. Absent: once.
   */
  times?: number;
  lastAt?: number;
  details?: Record<string, string | number | boolean>;
}
