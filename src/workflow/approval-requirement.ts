/**
 * The approval policy (src/policy) applied to one request: the facts its rules see, the verdict at
 * submission (refused, or what the approvers must satisfy, recorded on the request so its message
 * can say it), and the check of one person at a click, made with the policy in force at that
 * moment. The decisions themselves stay pure (transitions.ts); this module gathers what they need.
 */
import type { Text } from '../i18n/index.js';
import {
  type ApprovalDecision,
  type ApproverStanding,
  approvalCounts,
  type BaseRule,
  evaluatePolicy,
  type GroupMembers,
  PLAIN_WORDS,
  type Policy,
  type PolicyDecision,
  type PolicyResource,
  type RequestFacts,
  SLACK_WORDS,
} from '../policy/index.js';
import type { ApprovalRequirement, ResourceRequest } from './types.js';

/** What a click needs decided before the pure transition runs. */
export interface ApprovalCheck {
  /** The policy in force at the click, applied to the request. */
  decision: PolicyDecision;
  /**
   * Whether the person's approval counts. When the decision is a deny, judged by the base rule
   * alone, so that an outsider still hears they are not an approver.
   */
  standing: ApproverStanding;
}

type RequestSide = Pick<
  ResourceRequest,
  'operation' | 'resource' | 'account' | 'params' | 'secretNames' | 'channelId' | 'requester'
>;

/**
 * The facts a rule's condition sees. A secret parameter is there as `true` when it was given: a
 * rule can ask whether it is set, never what it is (its value is not in the record anyway).
 */
export function requestFacts(request: RequestSide): RequestFacts {
  const params: Record<string, string | number | boolean> = { ...request.params };
  for (const name of request.secretNames ?? []) params[name] = true;
  return {
    operation: request.operation,
    // Every registered resource type is one of the policy's resource words
    // (docs/policy.md, "What a condition sees").
    resource: request.resource as PolicyResource,
    account: request.account,
    params,
    channel: request.channelId,
    requester: request.requester.userId,
  };
}

export function requirementOf(decision: ApprovalDecision, now: number): ApprovalRequirement {
  const { outcome: _outcome, unsatisfiable: _unsatisfiable, ...rest } = decision;
  return { ...rest, decidedAt: now };
}

export type SubmissionVerdict = { ok: true; requirement: ApprovalRequirement } | { ok: false; reason: Text };

/**
 * At submission: a deny refuses, with the rule's message; so does a request the rules make certain
 * nobody could ever approve (only people named, too few of them). The base rule alone never
 * refuses a request here, as before policies existed.
 */
export function judgeSubmission(
  policy: Policy | undefined,
  base: BaseRule,
  request: RequestSide,
  now: number,
): SubmissionVerdict {
  const facts = requestFacts(request);
  const decision = evaluatePolicy(policy, base, facts, SLACK_WORDS);
  if (decision.outcome === 'denied') return { ok: false, reason: decision.message };
  if (decision.unsatisfiable && decision.matches.length > 0) {
    // A modal shows plain text: ids as they are, not as mentions it cannot render.
    const plain = evaluatePolicy(policy, base, facts, PLAIN_WORDS);
    if (plain.outcome === 'approval' && plain.unsatisfiable)
      return { ok: false, reason: plain.unsatisfiable };
  }
  return { ok: true, requirement: requirementOf(decision, now) };
}

/**
 * At a click: the policy in force now, applied to the request, and whether this person's approval
 * counts under it (group members looked up only for someone not named directly).
 */
export async function checkApprover(
  policy: Policy | undefined,
  base: BaseRule,
  request: RequestSide,
  userId: string,
  members: GroupMembers = async () => [],
): Promise<ApprovalCheck> {
  const facts = requestFacts(request);
  const decision = evaluatePolicy(policy, base, facts, SLACK_WORDS);
  const judged =
    decision.outcome === 'approval' ? decision : evaluatePolicy(undefined, base, facts, SLACK_WORDS);
  if (judged.outcome !== 'approval') throw new Error('the base rule alone never denies');
  return { decision, standing: await approvalCounts(judged, userId, members, SLACK_WORDS) };
}
