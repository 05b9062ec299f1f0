/**
 * The base rule of who may approve, reject or cancel, decided on the server at click time.
 * Approvers come from `APPROVERS` and from the members of `APPROVER_USERGROUP`, looked up through
 * an injected function so that a change of the group takes effect at once and tests need no
 * Slack. The approval policy file (src/policy) adds rules on top of this one; the types are the
 * policy module's, so there is one of each.
 */
import type { BaseRule, GroupMembers } from '../policy/index.js';

export type { GroupMembers } from '../policy/index.js';

/** `APPROVERS`, `APPROVER_USERGROUP`, `REQUIRED_APPROVALS`, `ALLOW_SELF_APPROVAL`. */
export type ApprovalPolicy = BaseRule;

export async function isApprover(
  userId: string,
  policy: ApprovalPolicy,
  members?: GroupMembers,
): Promise<boolean> {
  if (policy.approvers.includes(userId)) return true;
  if (policy.usergroup === undefined || members === undefined) return false;
  return (await members(policy.usergroup)).includes(userId);
}
