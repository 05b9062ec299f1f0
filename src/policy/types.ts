/**
 * The vocabulary of the approval policy: the facts about a request that conditions see, a rule
 * as the policy file declares it, the base rule from the environment, and the decision that
 * evaluation returns. Types only, so every other policy module (and the workflow) shares them.
 */
import type { Text } from '../i18n/index.js';
import type { EvaluationBudget } from './budget.js';

export const POLICY_OPERATIONS = ['create', 'delete', 'rotate_key', 'adopt'] as const;
export type PolicyOperation = (typeof POLICY_OPERATIONS)[number];

/** A registered resource type (`vpn_gateway`, `customer_gateway`, `vpn_connection`, …). */
export type PolicyResource = string;

/** A normalised API parameter value, as the request record stores it. */
export type ParamValue = string | number | boolean;

/** What a rule's condition sees, as `request.*` in CEL. */
export interface RequestFacts {
  operation: PolicyOperation;
  resource: PolicyResource;
  /** The Alibaba Cloud account it is made in (ACCOUNTS_FILE's name; `default` without one). */
  account: string;
  /** API parameter name → normalised value; an absent parameter is absent (CEL: `has()`). */
  params: Readonly<Record<string, ParamValue>>;
  /** Slack channel id where the request was made. */
  channel: string;
  /** Slack user id of the requester. */
  requester: string;
}

/** A place in the policy file, 1-based, for people fixing it. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One request as every rule's condition is given it, in one evaluation of the policy. */
export interface ConditionInput {
  facts: RequestFacts;
  /** The work the rules may still do on this request (limits.ts); each rule starts its own share. */
  budget: EvaluationBudget;
}

/** The outcome of one condition on one request. */
export type ConditionResult = { matched: boolean } | { error: string };

export interface PolicyRule {
  name: string;
  /** The CEL condition as written. */
  when: string;
  /** Plain text (not mrkdwn) in every language the bot speaks. */
  deny?: Text;
  /** Distinct approvals needed, 1 to 10. */
  approvals?: number;
  /** Slack user ids (`U…`, `W…`) and user group ids (`S…`). */
  approvers?: readonly string[];
  /** Where the rule starts in the file. */
  position: SourcePosition;
  /** Evaluates the compiled condition within the input's budget; never throws. */
  test(input: ConditionInput): ConditionResult;
}

export interface Policy {
  /** Where it was read from (a file path), for messages. */
  source: string;
  /** In file order; rules combine the same whatever the order, but messages follow it. */
  rules: readonly PolicyRule[];
  /** What may not work as meant, though the file is valid (a pattern computed when its rule runs). */
  warnings: readonly PolicyProblem[];
}

/** A problem (or a warning) at a place in a policy file. */
export interface PolicyProblem extends SourcePosition {
  /** The rule's name, or `#3` for the third rule when it has no usable name. */
  rule?: string;
  message: string;
}

/**
 * The rule the environment sets (`APPROVERS`, `APPROVER_USERGROUP`, `REQUIRED_APPROVALS`,
 * `ALLOW_SELF_APPROVAL`), always in force. `Config['approval']` is one.
 */
export interface BaseRule {
  approvers: readonly string[];
  usergroup?: string;
  requiredApprovals: number;
  allowSelfApproval: boolean;
}

/** One "an approval counts only from …" condition: someone listed in `users`, or in a group. */
export interface ApproverConstraint {
  /** The rule that set it; absent for the base rule from the environment. */
  rule?: string;
  users: readonly string[];
  groups: readonly string[];
}

/** A rule that applied to a request, and what it did, for people. */
export interface RuleMatch {
  rule: string;
  /** Set when the condition could not be evaluated; the rule was then applied, to be safe. */
  error?: string;
  /** e.g. "2 approvals from <!subteam^S0LEADS>: rule prepay-needs-two". */
  explanation: Text;
}

export interface DeniedDecision {
  outcome: 'denied';
  /** The first denying rule in file order. */
  rule: string;
  /** What the requester is told (plain text). */
  message: Text;
  matches: readonly RuleMatch[];
}

export interface ApprovalDecision {
  outcome: 'approval';
  /** The largest of the base rule's count and every matching rule's. */
  requiredApprovals: number;
  /** The base rule's first, then one per matching rule that names approvers; all must hold. */
  constraints: readonly ApproverConstraint[];
  allowSelfApproval: boolean;
  matches: readonly RuleMatch[];
  /** How many approvals, from whom, and which rule says so. */
  summary: Text;
  /**
   * Set when it is certain nobody could complete the approvals (only user ids are involved and
   * too few people are allowed by every constraint), so the request can be refused at once.
   */
  unsatisfiable?: Text;
}

export type PolicyDecision = DeniedDecision | ApprovalDecision;

/** Returns the user ids in a user group (for Slack: `usergroups.users.list`). */
export type GroupMembers = (groupId: string) => Promise<readonly string[]>;

/** Whether one person's approval counts, decided at the click. */
export type ApproverStanding =
  | { counts: true }
  | {
      counts: false;
      /** The constraints this person does not meet. */
      unmet: readonly ApproverConstraint[];
      /** Why, for that person (mrkdwn with mentions). */
      reason: Text;
    };

/** How an id is shown in a message: Slack mentions by default, plain ids in the terminal. */
export type Mention = (id: string) => string;

/** How an evaluator's error message is shown inside an explanation (as is, or inert in mrkdwn). */
export type Quote = (error: string) => string;
