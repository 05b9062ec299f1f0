/**
 * Who may approve, reject or cancel, decided on the server at click time. Approvers come from
 * `APPROVERS` and from the members of `APPROVER_USERGROUP`, looked up through an injected
 * function so that a change of the group takes effect at once and tests need no Slack.
 */
import { text } from '../i18n/index.js';
import type { Decision, Refusal } from './store.js';
import type { GatewayRequest, Person } from './types.js';

export interface ApprovalPolicy {
  approvers: readonly string[];
  usergroup?: string;
  allowSelfApproval: boolean;
  requiredApprovals: number;
}

/** Returns the user ids in a user group (for Slack: `usergroups.users.list`). */
export type GroupMembers = (usergroupId: string) => Promise<readonly string[]>;

export async function isApprover(
  userId: string,
  policy: ApprovalPolicy,
  members?: GroupMembers,
): Promise<boolean> {
  if (policy.approvers.includes(userId)) return true;
  if (policy.usergroup === undefined || members === undefined) return false;
  return (await members(policy.usergroup)).includes(userId);
}

const STATE_WORDS: Record<GatewayRequest['state'], { en: string; zh: string }> = {
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

export function alreadyDecided(request: GatewayRequest): Refusal {
  const word = STATE_WORDS[request.state];
  return {
    code: 'already_decided',
    message: text(
      `Request ${request.id} is ${word.en}; it can no longer be approved, rejected or cancelled.`,
      `请求 ${request.id} ${word.zh}，无法再批准、拒绝或取消。`,
    ),
  };
}

function expiredNow(request: GatewayRequest, now: number): Decision | undefined {
  if (now < request.expiresAt) return undefined;
  return { kind: 'apply', action: 'expired', next: { ...request, state: 'expired', finishedAt: now } };
}

/** The decision for an approval click; `approver` has already been checked by `isApprover`. */
export function decideApproval(
  request: GatewayRequest,
  approver: Person,
  mayApprove: boolean,
  policy: ApprovalPolicy,
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
          'Only the team leads configured as approvers can approve gateway requests. Ask one of them in this thread.',
          '只有配置为审批人的团队负责人可以批准网关请求。请在此讨论串中联系他们。',
        ),
      },
    };
  }
  if (approver.userId === request.requester.userId && !policy.allowSelfApproval) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'self_approval',
        message: text(
          'You asked for this gateway, so you cannot approve it yourself. Another approver has to.',
          '该网关是你申请的，不能自己批准，需要另一位审批人批准。',
        ),
      },
    };
  }
  if (request.approvals.some((a) => a.userId === approver.userId)) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'already_approved_by_you',
        message: text(
          `You have already approved this request; it needs ${policy.requiredApprovals - request.approvals.length} more approval(s) from other approvers.`,
          `你已经批准过该请求，还需要其他审批人再批准 ${policy.requiredApprovals - request.approvals.length} 次。`,
        ),
      },
    };
  }
  const approvals = [...request.approvals, { ...approver, at: now }];
  const complete = approvals.length >= policy.requiredApprovals;
  return {
    kind: 'apply',
    action: complete ? 'approved' : 'approval_added',
    details: { approver: approver.userId, approvals: approvals.length, required: policy.requiredApprovals },
    next: complete
      ? { ...request, approvals, state: 'approved', approvedAt: now }
      : { ...request, approvals },
  };
}

export function decideRejection(
  request: GatewayRequest,
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

export function decideCancel(request: GatewayRequest, who: Person, now: number): Decision {
  if (request.state !== 'pending_approval') return { kind: 'refuse', refusal: alreadyDecided(request) };
  if (who.userId !== request.requester.userId) {
    return {
      kind: 'refuse',
      refusal: {
        code: 'not_requester',
        message: text(
          'Only the person who asked for this gateway can cancel the request. Approvers can reject it instead.',
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

export function decideExpiry(request: GatewayRequest, now: number): Decision {
  if (request.state !== 'pending_approval' || now < request.expiresAt) return { kind: 'skip' };
  return { kind: 'apply', next: { ...request, state: 'expired', finishedAt: now } };
}
