/**
 * Who may approve, reject or cancel, decided on the server at click time. Approvers come from
 * `APPROVERS` and from the members of `APPROVER_USERGROUP`, looked up through an injected
 * function so that a change of the group takes effect at once and tests need no Slack.
 */

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
