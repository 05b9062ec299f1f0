/**
 * Every change of a request, as a named pure function of the stored record: what people decide
 * (approve, reject, cancel), what time decides (expiry), and what the worker learns (created,
 * observed, failed). Each returns a Decision for the store's compare-and-set update, which runs it
 * against the record as really stored and retries it on a lost race; none does any I/O, so each
 * is tested alone. The state machine (state-machine.ts) refuses any move these might get wrong.
 */
import { inBoth } from '../i18n/index.js';
import { type ApprovalCheck, requirementOf } from './approval-requirement.js';
import type { Decision, Refusal } from './store.js';
import type {
  AuditEvent,
  CloudOutcome,
  Person,
  QueuedCall,
  RequestError,
  RequestState,
  ResourceRequest,
  SettleOutcome,
} from './types.js';

export function alreadyDecided(request: ResourceRequest): Refusal {
  return {
    code: 'already_decided',
    message: inBoth((m) => m.refusal.alreadyDecided({ id: request.id, state: m.stateWord[request.state] })),
  };
}

function expiredNow(request: ResourceRequest, now: number): Decision | undefined {
  if (now < request.expiresAt) return undefined;
  return { kind: 'apply', action: 'expired', next: { ...request, state: 'expired', finishedAt: now } };
}

/**
 * An approval click, judged by `check`: the approval policy in force at the click, and whether this
 * person's approval counts under it (both made just before, with group members looked up). Earlier
 * approvals count as they were counted at their own click; the approvals needed are the policy's
 * now, so a policy change applies from the next click on, and is recorded with it.
 */
export function decideApproval(
  request: ResourceRequest,
  approver: Person,
  check: ApprovalCheck,
  now: number,
): Decision {
  if (request.state !== 'pending_approval') return { kind: 'refuse', refusal: alreadyDecided(request) };
  const expired = expiredNow(request, now);
  if (expired) return expired;
  const { decision, standing } = check;
  // The base rule (APPROVERS, APPROVER_USERGROUP) first: an outsider hears what they always did.
  if (!standing.counts && standing.unmet.some((c) => c.rule === undefined)) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'not_approver',
        message: inBoth((m) => m.refusal.notApprover),
      },
    };
  }
  if (decision.outcome === 'denied') {
    return {
      kind: 'refuse',
      details: { rule: decision.rule },
      refusal: {
        code: 'policy_denied',
        message: inBoth((m, locale) =>
          m.refusal.policyDenied({ rule: decision.rule, message: decision.message[locale] }),
        ),
      },
    };
  }
  if (!standing.counts) {
    return {
      kind: 'refuse',
      details: { rules: standing.unmet.map((c) => c.rule ?? '').join(',') },
      refusal: { code: 'not_eligible', message: standing.reason },
    };
  }
  if (approver.userId === request.requester.userId && !decision.allowSelfApproval) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'self_approval',
        message: inBoth((m) => m.refusal.selfApproval),
      },
    };
  }
  const required = decision.requiredApprovals;
  const requirement = requirementOf(decision, now);
  const details = (count: number) => ({
    approver: approver.userId,
    approvals: count,
    required,
    ...(decision.matches.length > 0 ? { rules: decision.matches.map((m) => m.rule).join(',') } : {}),
  });
  if (request.approvals.some((a) => a.userId === approver.userId)) {
    // The policy may have lowered the count since: the approvals given are then enough.
    if (request.approvals.length >= required) {
      return {
        kind: 'apply',
        action: 'approved',
        details: details(request.approvals.length),
        next: { ...request, requirement, state: 'approved', approvedAt: now },
      };
    }
    const left = required - request.approvals.length;
    return {
      kind: 'refuse',
      refusal: {
        code: 'already_approved_by_you',
        message: inBoth((m) => m.refusal.alreadyApprovedByYou({ left })),
      },
    };
  }
  const approvals = [...request.approvals, { ...approver, at: now }];
  const complete = approvals.length >= required;
  return {
    kind: 'apply',
    action: complete ? 'approved' : 'approval_added',
    details: details(approvals.length),
    next: complete
      ? { ...request, approvals, requirement, state: 'approved', approvedAt: now }
      : { ...request, approvals, requirement },
  };
}

export function decideRejection(
  request: ResourceRequest,
  rejecter: Person,
  mayApprove: boolean,
  reason: string,
  now: number,
): Decision {
  if (request.state !== 'pending_approval') return { kind: 'refuse', refusal: alreadyDecided(request) };
  const expired = expiredNow(request, now);
  if (expired) return expired;
  if (!mayApprove) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'not_approver',
        message: inBoth((m) => m.refusal.rejectNotApprover),
      },
    };
  }
  return {
    kind: 'apply',
    details: { reason },
    next: { ...request, state: 'rejected', rejection: { ...rejecter, reason, at: now }, finishedAt: now },
  };
}

export function decideCancel(request: ResourceRequest, who: Person, now: number): Decision {
  if (request.state !== 'pending_approval') return { kind: 'refuse', refusal: alreadyDecided(request) };
  if (who.userId !== request.requester.userId) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'not_requester',
        message: inBoth((m) => m.refusal.notRequester),
      },
    };
  }
  return {
    kind: 'apply',
    next: { ...request, state: 'cancelled', cancelledBy: { ...who, at: now }, finishedAt: now },
  };
}

export function decideExpiry(request: ResourceRequest, now: number): Decision {
  if (request.state !== 'pending_approval' || now < request.expiresAt) return { kind: 'skip' };
  return { kind: 'apply', next: { ...request, state: 'expired', finishedAt: now } };
}

/** The request message could not be posted in its channel: the request is withdrawn. */
export function withdrawRequest(request: ResourceRequest, slackError: string, now: number): Decision {
  if (request.state !== 'pending_approval') return { kind: 'skip' };
  return {
    kind: 'apply',
    details: { reason: slackError },
    next: {
      ...request,
      state: 'cancelled',
      cancelledBy: { userId: 'system:notifier', at: now },
      finishedAt: now,
    },
  };
}

/** The request message was posted: its ts anchors the thread. */
export function recordMessagePosted(request: ResourceRequest, messageTs: string): Decision {
  if (request.messageTs !== undefined) return { kind: 'skip' };
  return { kind: 'apply', next: { ...request, messageTs }, details: { messageTs } };
}

/** The worker takes an approved request: from here on the cloud may be called. */
export function startCreating(request: ResourceRequest): Decision {
  if (request.state !== 'approved') return { kind: 'skip' };
  return { kind: 'apply', next: { ...request, state: 'creating' } };
}

/** A create or delete call held back by pacing, said once; the request stays where it is. */
export function recordQueued(
  request: ResourceRequest,
  queued: QueuedCall,
  details: NonNullable<AuditEvent['details']>,
): Decision {
  if (request.state !== 'creating' || request.queued) return { kind: 'skip' };
  return { kind: 'apply', details, next: { ...request, queued } };
}

export interface Created {
  resourceId: string;
  requestId?: string;
  facts: Readonly<Record<string, string>>;
}

function withRequestId(cloud: CloudOutcome, requestId: string | undefined): string[] {
  return requestId ? [...cloud.requestIds, requestId] : cloud.requestIds;
}

/**
 * The create call answered: the id is kept before anything else (a crash from here on resumes by
 * watching it), and the request is done, or watched when its resource type watches state. (The
 * store drops the sealed secrets with this write: they are kept only until the create succeeded.)
 */
export function recordCreated(
  request: ResourceRequest,
  created: Created,
  watched: boolean,
  now: number,
): Decision {
  if (request.state !== 'creating') return { kind: 'skip' };
  return {
    kind: 'apply',
    details: {
      resourceId: created.resourceId,
      ...(created.requestId ? { cloudRequestId: created.requestId } : {}),
    },
    next: {
      ...request,
      state: watched ? 'provisioning' : 'succeeded',
      cloud: {
        ...request.cloud,
        resourceId: created.resourceId,
        facts: { ...request.cloud.facts, ...created.facts },
        requestIds: withRequestId(request.cloud, created.requestId),
      },
      ...(watched ? { provisioningStartedAt: now } : { finishedAt: now }),
    },
  };
}

/** What an adoption learnt of the resource, read right before it was taken over. */
export interface Adopted {
  /** The facts its watch keeps (a connection's tunnels), as its health sweep reads them. */
  facts: Record<string, string>;
  /** Each drift attribute as it was taken over (see ResourceRequest.baseline). */
  baseline: Record<string, string>;
  /** What people read of it, as it was taken over. */
  target: NonNullable<ResourceRequest['target']>;
  status?: string;
}

/** The adoption is done: nothing was sent; the resource is the bot's from now on, as it is now. */
export function recordAdopted(request: ResourceRequest, adopted: Adopted, now: number): Decision {
  if (request.state !== 'creating' || request.operation !== 'adopt') return { kind: 'skip' };
  return {
    kind: 'apply',
    details: { resourceId: request.cloud.resourceId ?? '', ...adopted.baseline },
    next: {
      ...request,
      state: 'succeeded',
      target: adopted.target,
      baseline: adopted.baseline,
      cloud: {
        ...request.cloud,
        facts: adopted.facts,
        ...(adopted.status ? { status: adopted.status } : {}),
      },
      finishedAt: now,
    },
  };
}

export interface Observed {
  status: string;
  ready: boolean;
  attention?: string;
  facts?: Readonly<Record<string, string>>;
  requestId?: string;
}

/**
 * One observation of a watched resource: ready → succeeded (watched on until `settleUntil` when
 * its resource settles later); a new status or attention → recorded (one audit event per change,
 * not per look); nothing new → skip.
 */
export function recordObservation(
  request: ResourceRequest,
  seen: Observed,
  now: number,
  settleUntil?: number,
): Decision {
  if (request.state !== 'provisioning') return { kind: 'skip' };
  const cloud: CloudOutcome = {
    ...request.cloud,
    status: seen.status,
    facts: { ...request.cloud.facts, ...seen.facts },
  };
  if (seen.attention) cloud.attention = seen.attention;
  else delete cloud.attention;
  if (seen.ready) {
    return {
      kind: 'apply',
      action: 'ready',
      details: {
        resourceId: request.cloud.resourceId ?? '',
        status: seen.status,
        ...(seen.requestId ? { cloudRequestId: seen.requestId } : {}),
      },
      next: {
        ...request,
        state: 'succeeded',
        finishedAt: now,
        cloud,
        ...(settleUntil !== undefined ? { settle: { until: settleUntil } } : {}),
      },
    };
  }
  if (seen.status === request.cloud.status && seen.attention === request.cloud.attention)
    return { kind: 'skip' };
  return {
    kind: 'apply',
    action: 'status_seen',
    details: { status: seen.status, ...(seen.attention ? { attention: seen.attention } : {}) },
    next: { ...request, cloud },
  };
}

/**
 * A look at a resource that settles after success: settled, or its window ended (`unsettled`), or
 * still waiting with facts that may have changed (recorded once per change). Once ended, skip.
 */
export function recordSettle(
  request: ResourceRequest,
  outcome: SettleOutcome | undefined,
  facts: Readonly<Record<string, string>>,
  now: number,
): Decision {
  if (request.state !== 'succeeded' || !request.settle || request.settle.outcome) return { kind: 'skip' };
  const merged = { ...request.cloud.facts, ...facts };
  const changed = Object.keys(facts).some((k) => request.cloud.facts[k] !== facts[k]);
  if (!outcome && !changed) return { kind: 'skip' };
  return {
    kind: 'apply',
    ...(outcome ? { action: outcome } : { action: 'settle_seen' }),
    details: { resourceId: request.cloud.resourceId ?? '', ...facts },
    next: {
      ...request,
      cloud: { ...request.cloud, facts: merged },
      settle: outcome ? { ...request.settle, outcome, at: now } : request.settle,
    },
  };
}

/** The request fails, if it is still where the caller saw it (a later state wins). */
export function failRequest(
  request: ResourceRequest,
  from: RequestState,
  error: RequestError,
  now: number,
): Decision {
  if (request.state !== from) return { kind: 'skip' };
  return {
    kind: 'apply',
    details: {
      code: error.code,
      ...(error.requestId ? { cloudRequestId: error.requestId } : {}),
      ...(error.httpStatus ? { httpStatus: error.httpStatus } : {}),
    },
    next: { ...request, state: 'failed', error, finishedAt: now },
  };
}
