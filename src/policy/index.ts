/**
 * Approval policy as code (docs/policy.md): `POLICY_FILE` is a YAML list of rules whose conditions
 * are CEL expressions over `request.operation`, `request.resource`, `request.params`,
 * `request.channel` and `request.requester`. A rule denies, raises the approvals needed, or
 * narrows who may approve; the environment's approver settings are the base rule beneath them.
 *
 *   loadPolicyFile(path)      read and compile at start; a PolicyError lists every problem
 *   evaluatePolicy(...)       at submission: denied, or how many approvals from whom, and why
 *   approvalCounts(...)       at each click: does this person's approval count, and if not, why
 *   PolicyInForce             the policy a process applies now; reloaded from its file on SIGHUP
 *
 * The CEL evaluator is @marcbachmann/cel-js. Compared on Node 20 with the alternatives:
 * - @bufbuild/cel runs the CEL conformance suite's evaluation tests, but its 0.6 release has no
 *   public type checker (the internal one covers constants and identifiers only): an unknown
 *   variable shows up only when a request is evaluated, and `request.operation == 1` is simply
 *   false. It also pulls in protobuf and an RE2 port.
 * - cel-js has no declared environment to check against, and its unknown-identifier error
 *   prints the whole evaluation context.
 * - @marcbachmann/cel-js type-checks an expression against declared variables before anything
 *   runs (unknown variable or field, no such overload, result type), reports where in the
 *   expression, has no dependencies, is maintained (8.0, 2026), and evaluates the example
 *   policy in microseconds. It implements most of the spec rather than claiming all of it; the
 *   tests pin the parts the policy relies on (has(), int and double comparison, && absorbing
 *   an error).
 *
 * Two things it does not do are added in cel.ts: matches() runs on RE2 (re2js), as CEL specifies,
 * instead of JavaScript's backtracking RegExp; and every evaluation is bounded (limits.ts).
 */

export { EvaluationBudget } from './budget.js';
export {
  PLAIN_WORDS,
  plainMention,
  plainQuote,
  SLACK_WORDS,
  slackMention,
  slackQuote,
} from './describe.js';
export { approvalCounts, type EvaluateOptions, evaluatePolicy } from './evaluate.js';
export { PolicyInForce } from './in-force.js';
export { formatProblem, loadPolicyFile, PolicyError, parsePolicy } from './load.js';
export * from './types.js';
