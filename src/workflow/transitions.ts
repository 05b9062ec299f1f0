/**
 * Every change of a request, as a named pure function of the stored record: what people decide
 * (approve, reject, cancel), what time decides (expiry), and what the worker learns (created,
 * observed, failed). Each returns a Decision for the store's compare-and-set update, which runs it
 * against the record as really stored and retries it on a lost race; none does any I/O, so each
 * is tested alone. The state machine (state-machine.ts) refuses any move these might get wrong.
 */
import { text } from '../i18n/index.js';
import { type ApprovalCheck, requirementOf } from './approval-requirement.js';
import type { Decision, Refusal } from './store.js';
import type {
  CloudOutcome,
  Person,
  RequestError,
  RequestState,
  ResourceRequest,
  SettleOutcome,
} from './types.js';

const STATE_WORDS: Record<RequestState, { en: string; zh: string }> = {
  pending_approval: { en: 'waiting for approval', zh: '等待审批' },
  approved: { en: 'approved', zh: '已批准' },
  creating: { en: 'being created', zh: '正在创建' },
  provisioning: { en: 'provisioning', zh: '正在开通' },
  succeeded: { en: 'done', zh: '已完成' },
  rejected: { en: 'rejected', zh: '已拒绝' },
  cancelled: { en: 'cancelled', zh: '已取消' },
  expired: { en: 'expired', zh: '已过期' },
  failed: { en: 'failed', zh: '已失败' },
};

export function alreadyDecided(request: ResourceRequest): Refusal {
  const word = STATE_WORDS[request.state];
  return {
    code: 'already_decided',
    message: text(
      `Request ${request.id} is ${word.en}; it can no longer be approved, rejected or cancelled.`,
      `请求 ${request.id} ${word.zh}，无法再批准、拒绝或取消。`,
    ),
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
        message: text(
          'Only the team leads configured as approvers can approve requests. Ask one of them in this thread.',
          '只有配置为审批人的团队负责人可以批准请求。请在此讨论串中联系他们。',
        ),
      },
    };
  }
  if (decision.outcome === 'denied') {
    return {
      kind: 'refuse',
      details: { rule: decision.rule },
      refusal: {
        code: 'policy_denied',
        message: text(
          `The approval policy now refuses this request (rule ${decision.rule}): ${decision.message.en} It can no longer be approved; reject it, or the requester can cancel it.`,
          `审批策略现已拒绝该请求（规则 ${decision.rule}）：${decision.message['zh-CN']} 该请求无法再被批准；请拒绝它，或由申请人取消。`,
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
        message: text(
          'You asked for this, so you cannot approve it yourself. Another approver has to.',
          '这是你提交的申请，不能自己批准，需要另一位审批人批准。',
        ),
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
        message: text(
          `You have already approved this request; it needs ${left} more approval(s) from other approvers.`,
          `你已经批准过该请求，还需要其他审批人再批准 ${left} 次。`,
        ),
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
        message: text(
          'Only approvers can reject a request. If you asked for it, use Cancel instead.',
          '只有审批人可以拒绝请求。如果这是你提交的请求，请使用“取消”。',
        ),
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
        message: text(
          'Only the person who asked for this can cancel the request. Approvers can reject it instead.',
          '只有申请人可以取消该请求。审批人可以选择拒绝。',
        ),
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
