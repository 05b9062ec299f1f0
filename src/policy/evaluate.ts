/**
 * Applying a policy to a request, and deciding at a click whether someone's approval counts.
 *
 * How rules combine (docs/policy.md, "How rules combine"): the base rule from the environment is
 * always in force; every
 * matching rule adds to it. Any deny refuses; the approvals needed are the largest count of the
 * base rule and every matching rule; and where rules name approvers, an approval counts only
 * from someone the base rule and every such rule allow (the intersection).
 *
 * A condition that fails while evaluating (a missing parameter read without `has()`, a string
 * compared with a number, a pattern computed at run time that RE2 cannot run, more work than the
 * rule's budget allows) makes its rule apply, with the error shown beside it: a deny then
 * refuses, and an approval rule then asks for more, never less. Failing closed is the safe side
 * of a rule someone wrote to protect something; `npm run policy -- explain` shows such errors.
 */
import type { Text } from '../i18n/index.js';
import { EvaluationBudget } from './budget.js';
import {
  couldNotCheck,
  explainMatch,
  notCountedReason,
  slackMention,
  splitIds,
  summarize,
  unsatisfiableText,
} from './describe.js';
import type {
  ApprovalDecision,
  ApproverConstraint,
  ApproverStanding,
  BaseRule,
  GroupMembers,
  Mention,
  Policy,
  PolicyDecision,
  Quote,
  RequestFacts,
  RuleMatch,
} from './types.js';

export interface EvaluateOptions {
  /** How ids appear in explanations; Slack mentions unless told otherwise. */
  mention?: Mention;
  /**
   * How a condition's evaluation error appears inside an explanation.
   * @defaultValue as is (SLACK_WORDS quotes it for mrkdwn)
   */
  quote?: Quote;
}

/** The decision for one request: denied, or how many approvals from whom. Pure; never throws. */
export function evaluatePolicy(
  policy: Policy | undefined,
  base: BaseRule,
  facts: RequestFacts,
  options: EvaluateOptions = {},
): PolicyDecision {
  const mention = options.mention ?? slackMention;
  const matches: RuleMatch[] = [];
  const constraints: ApproverConstraint[] = [
    { users: [...base.approvers], groups: base.usergroup === undefined ? [] : [base.usergroup] },
  ];
  let denied: { rule: string; message: Text } | undefined;
  let required = base.requiredApprovals;
  let countRules: string[] = [];
  // One budget for the whole policy, of which each rule has a share (limits.ts).
  const input = { facts, budget: new EvaluationBudget() };

  for (const rule of policy?.rules ?? []) {
    const result = rule.test(input);
    if ('matched' in result && !result.matched) continue;
    const error = 'error' in result ? result.error : undefined;
    matches.push({
      rule: rule.name,
      ...(error === undefined ? {} : { error }),
      explanation: explainMatch(rule, error, mention, options.quote),
    });
    if (rule.deny && denied === undefined) {
      denied = {
        rule: rule.name,
        message: error === undefined ? rule.deny : couldNotCheck(rule.name, error),
      };
    }
    if (rule.approvals !== undefined && rule.approvals > base.requiredApprovals) {
      if (rule.approvals > required) countRules = [rule.name];
      else if (rule.approvals === required) countRules.push(rule.name);
      required = Math.max(required, rule.approvals);
    }
    if (rule.approvers) constraints.push({ rule: rule.name, ...splitIds(rule.approvers) });
  }

  if (denied) return { outcome: 'denied', rule: denied.rule, message: denied.message, matches };
  const unsatisfiable = certainlyUnsatisfiable(
    constraints,
    required,
    base.allowSelfApproval,
    facts.requester,
  );
  return {
    outcome: 'approval',
    requiredApprovals: required,
    constraints,
    allowSelfApproval: base.allowSelfApproval,
    matches,
    summary: summarize(required, countRules, constraints, mention),
    ...(unsatisfiable ? { unsatisfiable: unsatisfiableText(required, unsatisfiable.eligible, mention) } : {}),
  };
}

/**
 * With user ids only (no group, whose members change), the people allowed by every constraint
 * are known now; fewer of them than the approvals needed means no one could ever approve.
 */
function certainlyUnsatisfiable(
  constraints: readonly ApproverConstraint[],
  required: number,
  allowSelfApproval: boolean,
  requester: string,
): { eligible: string[] } | undefined {
  if (constraints.some((c) => c.groups.length > 0)) return undefined;
  const [first, ...rest] = constraints;
  let eligible = [...(first?.users ?? [])];
  for (const c of rest) eligible = eligible.filter((id) => c.users.includes(id));
  if (!allowSelfApproval) eligible = eligible.filter((id) => id !== requester);
  return eligible.length < required ? { eligible } : undefined;
}

/**
 * Whether `userId`'s approval counts under a decision, asked at the click so that a change of a
 * group's members applies at once. Group members are looked up only when the user is not named
 * directly, each group at most once. Self-approval and repeated approvals are the workflow's
 * business, as before; this answers only "is this person among those allowed".
 */
export async function approvalCounts(
  decision: ApprovalDecision,
  userId: string,
  members: GroupMembers,
  options: EvaluateOptions = {},
): Promise<ApproverStanding> {
  const lookups = new Map<string, Promise<readonly string[]>>();
  const inGroup = async (group: string) => {
    let found = lookups.get(group);
    if (found === undefined) {
      found = members(group);
      lookups.set(group, found);
    }
    return (await found).includes(userId);
  };
  const unmet: ApproverConstraint[] = [];
  for (const c of decision.constraints) {
    if (c.users.includes(userId)) continue;
    let allowed = false;
    for (const group of c.groups) {
      if (await inGroup(group)) {
        allowed = true;
        break;
      }
    }
    if (!allowed) unmet.push(c);
  }
  if (unmet.length === 0) return { counts: true };
  return { counts: false, unmet, reason: notCountedReason(unmet, options.mention ?? slackMention) };
}
