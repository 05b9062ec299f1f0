/**
 * The CEL environment conditions are compiled and run in: the declared variables (`request.*`
 * and nothing else), the parser's limits, and two changes to how the evaluator
 * (@marcbachmann/cel-js) runs a condition, for which it has no option:
 *
 * - `matches()` runs on RE2 (regex.ts), as CEL specifies, instead of JavaScript's backtracking
 *   RegExp: as a function, `matches(text, pattern)`, declared here, and as a method,
 *   `text.matches(pattern)`, which the evaluator declares itself and lets nobody redeclare;
 * - every step of an evaluation is counted against the request's budget (budget.ts), and
 *   `duration()`, whose parsing backtracks, is given short texts only.
 *
 * Both rest on how the evaluator works inside, which it does not document: it evaluates every
 * sub-expression through its `run(ast, ctx)` method, and calls a declared function with itself
 * as `this`. This module wraps `run` on this environment's one evaluator (an own property: the
 * class, and anything else in the process, is untouched), and on import checks that all of it
 * took effect, so that an evaluator that works otherwise stops the bot at start rather than run
 * conditions unbounded. The evaluator's version is pinned in package.json for the same reason.
 */
import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { BudgetExceeded, EvaluationBudget } from './budget.js';
import { POLICY_LIMITS } from './limits.js';
import { compilePattern, matchCost, patternSizeBound } from './regex.js';

/** The variables a condition may use; anything else is a compile error. */
const REQUEST_SCHEMA = {
  operation: 'string',
  resource: 'string',
  account: 'string',
  params: 'map<string, dyn>',
  channel: 'string',
  requester: 'string',
} as const;

export const environment = new Environment({
  limits: {
    maxAstNodes: POLICY_LIMITS.maxAstNodes,
    maxDepth: POLICY_LIMITS.maxDepth,
    maxListElements: POLICY_LIMITS.maxListElements,
    maxMapEntries: POLICY_LIMITS.maxMapEntries,
  },
}).registerVariable({ name: 'request', schema: REQUEST_SCHEMA });

/** A parsed node, as the evaluator hands it to `run`: `op` and `args` are its public shape. */
interface Node {
  op: string;
  args: unknown;
  evaluate(ev: Evaluator, ast: Node, ctx: unknown): unknown;
}

interface Evaluator {
  run(ast: Node, ctx: unknown): unknown;
}

/** The budget of the evaluation under way; evaluation is synchronous, so there is one at a time. */
let current: EvaluationBudget | undefined;

function budgetNow(): EvaluationBudget {
  if (current === undefined)
    throw new Error('a policy condition ran without a budget (see prepareCondition)');
  return current;
}

/** Set while this module looks for its evaluator (see installRun). */
let found: ((evaluator: unknown) => void) | undefined;

/** CEL's name for a value's type, for a message about a call that has no overload for it. */
function celType(value: unknown): string {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'object') return value === null ? 'null' : Array.isArray(value) ? 'list' : 'map';
  return typeof value;
}

/**
 * `text.matches(pattern)` and `matches(text, pattern)`: true when RE2 finds the pattern anywhere
 * in the text. A pattern written in the file was checked and compiled at load; one computed by
 * the condition is charged for its compiling, by an estimate made before it.
 */
function re2Matches(text: unknown, pattern: unknown, written: boolean, budget: EvaluationBudget): boolean {
  if (typeof text !== 'string' || typeof pattern !== 'string') {
    throw new EvaluationError({
      code: 'no_matching_overload',
      message: `found no matching overload for '${celType(text)}.matches(${celType(pattern)})'`,
    });
  }
  if (!written) budget.charge(patternSizeBound(pattern) * POLICY_LIMITS.regexCompileUnit);
  const compiled = compilePattern(pattern);
  if (!compiled.ok)
    throw new EvaluationError({ code: 'invalid_regular_expression', message: compiled.reason });
  budget.charge(matchCost(text, compiled.re));
  return compiled.re.test(text);
}

environment.registerFunction(
  'matches(string, string): bool',
  function matches(this: unknown, text: unknown, pattern: unknown) {
    found?.(this);
    return re2Matches(text, pattern, false, budgetNow());
  },
);

/** The `matches()` call a node is, if it is one: the nodes of its text and its pattern. */
function matchesCall(ast: Node): [Node, Node] | undefined {
  if (ast.op === 'rcall') {
    const [name, receiver, args] = ast.args as [string, Node, Node[]];
    if (name === 'matches' && args.length === 1) return [receiver, args[0] as Node];
  } else if (ast.op === 'call') {
    const [name, args] = ast.args as [string, Node[]];
    if (name === 'matches' && args.length === 2) return [args[0] as Node, args[1] as Node];
  }
  return undefined;
}

/** The evaluator's `run`, counting each step and what it produces. */
function run(this: Evaluator, ast: Node, ctx: unknown): unknown {
  const budget = budgetNow();
  budget.charge(1);
  const call = matchesCall(ast);
  if (call) {
    const [textNode, patternNode] = call;
    const text = this.run(textNode, ctx);
    const pattern = this.run(patternNode, ctx);
    return re2Matches(text, pattern, patternNode.op === 'value', budget);
  }
  if (ast.op === 'call') refuseLongDuration(this, ast, ctx);
  const value = ast.evaluate(this, ast, ctx);
  // A comprehension's list is not weighed while it grows (each weighing would walk it again, and
  // it changes after), but once complete, as the value of the comprehension.
  if (ast.op !== 'accuPush' && ast.op !== 'accuValue') budget.chargeSize(value);
  return value;
}

/**
 * `duration(text)` with a text longer than any duration: refused before the evaluator parses it.
 * A shorter text is evaluated again by the evaluator's own call, which is simpler than calling its
 * parser from here, and cheap: durations are rare in conditions, and short.
 */
function refuseLongDuration(ev: Evaluator, ast: Node, ctx: unknown): void {
  const [name, args] = ast.args as [string, Node[]];
  if (name !== 'duration' || args.length !== 1) return;
  const text = ev.run(args[0] as Node, ctx);
  if (typeof text === 'string' && text.length > POLICY_LIMITS.maxDurationText) {
    throw new EvaluationError({
      code: 'invalid_duration',
      message: `duration() takes a duration such as "1h30m", of at most ${POLICY_LIMITS.maxDurationText} characters (got ${text.length})`,
    });
  }
}

export type RunCondition = (context: Record<string, unknown>, budget: EvaluationBudget) => unknown;

/**
 * Prepares a condition that has type-checked for running under a budget. It runs inside
 * `(…) == true`, so that the condition itself, not only its parts, goes through `run`.
 */
export function prepareCondition(expression: string): RunCondition {
  const evaluate = environment.parse(`(\n${expression}\n) == true`);
  const checked = evaluate.check();
  if (!checked.valid) throw checked.error ?? new Error(`the condition does not check: ${expression}`);
  return (context, budget) => {
    const outer = current;
    current = budget;
    try {
      const value: unknown = evaluate(context);
      // An overrun the condition absorbed (`x || true`) still leaves it without a result.
      if (budget.overrunError) throw budget.overrunError;
      return value;
    } finally {
      current = outer;
    }
  };
}

/**
 * Finds this environment's evaluator (through `this` in the function declared above) and puts
 * the counting `run` on it; then checks that matches() runs on RE2 in both forms and that the
 * budget stops an evaluation. Throws when any of it does not hold.
 */
function installRun(): void {
  let evaluator: unknown;
  found = (ev) => {
    evaluator ??= ev;
  };
  current = new EvaluationBudget();
  current.startRule();
  try {
    environment.evaluate('matches("", "")', {});
  } finally {
    found = undefined;
    current = undefined;
  }
  const ev = evaluator as Partial<Evaluator> | undefined;
  if (typeof ev?.run !== 'function') throw unsafe('no evaluator with a run method was found');
  ev.run = run;

  const context = { request: { operation: '', resource: '', params: new Map(), channel: '', requester: '' } };
  const outcome = (condition: string, budget: EvaluationBudget): unknown => {
    budget.startRule();
    try {
      return prepareCondition(condition)(context, budget);
    } catch (err) {
      return err;
    }
  };
  // (?i) is RE2's syntax and an error in JavaScript: true means both forms run on RE2.
  const re2 = outcome('"ABC".matches("(?i)abc") && matches("ABC", "(?i)abc")', new EvaluationBudget());
  if (re2 !== true) throw unsafe(`matches() does not run on RE2 (${String(re2)})`);
  const loops = '[1, 2, 3, 4, 5, 6, 7, 8].all(a, [1, 2, 3, 4, 5, 6, 7, 8].all(b, a * b > 0))';
  const bounded = outcome(loops, new EvaluationBudget(100, 100));
  if (!(bounded instanceof BudgetExceeded))
    throw unsafe('the budget did not stop an evaluation that exceeds it');
}

function unsafe(why: string): Error {
  return new Error(
    `the CEL evaluator (@marcbachmann/cel-js) no longer works as src/policy/cel.ts expects (${why}): policy conditions cannot be run safely with this version`,
  );
}

installRun();
