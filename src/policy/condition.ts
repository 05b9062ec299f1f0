/**
 * Rule conditions in CEL: compiling an expression with a type check against the declared
 * environment (cel.ts), and evaluating it against a request's facts within a budget.
 *
 * Compiling refuses what would only fail later: a syntax error, an unknown variable or field
 * (`reqest.params`, `request.param`), an operator with no overload (`request.operation == 1`),
 * any result that is not certainly a boolean (a bare `request.params.AutoPay` is `dyn`; write
 * `request.params.AutoPay == true`), a condition longer than the limit, and each pattern written
 * in it that RE2 cannot run. A pattern the condition computes can only be checked when it runs:
 * that is a warning, since its rule then applies if RE2 cannot run it.
 *
 * Integers: CEL keeps `int` (64-bit) and `double` apart, and the evaluator represents an `int`
 * as a JavaScript bigint. The request record stores integers as numbers, so every safe integer
 * parameter is handed to CEL as a bigint: `request.params.Bandwidth >= 500` compares ints, and
 * arithmetic such as `request.params.Period * 2` works. Other numbers stay doubles; CEL compares
 * ints and doubles with each other naturally (`>= 499.5`).
 */
import type { ParseResult } from '@marcbachmann/cel-js';
import { environment, prepareCondition } from './cel.js';
import { POLICY_LIMITS } from './limits.js';
import { patternProblem } from './regex.js';
import type { ConditionInput, ConditionResult, ParamValue, RequestFacts } from './types.js';

export type CompiledCondition = (input: ConditionInput) => ConditionResult;

/** Something to say about a condition; `offset`: where in it (0-based character), when known. */
export interface ConditionNote {
  message: string;
  offset?: number;
}

export type CompileResult =
  | { ok: true; test: CompiledCondition; warnings: ConditionNote[] }
  | { ok: false; problems: ConditionNote[] };

interface CelErrorLike {
  summary?: unknown;
  message?: unknown;
  range?: { start?: unknown };
}

function describeCelError(err: unknown): ConditionNote {
  const e = (typeof err === 'object' && err !== null ? err : {}) as CelErrorLike;
  const message =
    typeof e.summary === 'string' ? e.summary : typeof e.message === 'string' ? e.message : String(err);
  const start = e.range?.start;
  return typeof start === 'number' ? { message, offset: start } : { message };
}

export function compileCondition(expression: string): CompileResult {
  if (expression.length > POLICY_LIMITS.maxConditionLength) {
    return {
      ok: false,
      problems: [
        {
          message: `the condition is ${expression.length} characters long, more than ${POLICY_LIMITS.maxConditionLength}; split it into several rules`,
        },
      ],
    };
  }
  let parsed: ParseResult;
  try {
    parsed = environment.parse(expression);
  } catch (err) {
    return { ok: false, problems: [describeCelError(err)] };
  }
  const { problems, warnings } = checkPatterns(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) problems.push(describeCelError(checked.error));
  else if (checked.type !== 'bool') {
    problems.push({
      message: `the condition must be true or false, but its type is ${checked.type ?? 'unknown'}${
        checked.type === 'dyn'
          ? ' (compare a parameter with a value, e.g. request.params.AutoPay == true)'
          : ''
      }`,
    });
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort(byOffset) };
  const run = prepareCondition(expression);
  return {
    ok: true,
    warnings,
    test(input) {
      input.budget.startRule();
      try {
        const value = run(celContext(input), input.budget);
        if (typeof value !== 'boolean')
          return { error: `the condition returned ${typeof value}, not a boolean` };
        return { matched: value };
      } catch (err) {
        return { error: describeCelError(err).message };
      }
    },
  };
}

const byOffset = (a: ConditionNote, b: ConditionNote) => (a.offset ?? 0) - (b.offset ?? 0);

/** A parsed node: its operator and operands (the evaluator's public AST) and where it starts. */
interface AstNode {
  op: string;
  args: unknown;
  start: number;
}

function isNode(x: unknown): x is AstNode {
  return typeof x === 'object' && x !== null && typeof (x as { op?: unknown }).op === 'string';
}

/** Every node of a condition, `root` included. */
function* nodesOf(root: AstNode): Generator<AstNode> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (isNode(x)) {
      yield x;
      stack.push(x.args);
    } else if (Array.isArray(x)) stack.push(...x);
  }
}

/** The pattern operand of a `matches()` call, as a method or as a function. */
function patternOf(node: AstNode): AstNode | undefined {
  if (node.op === 'rcall') {
    const [name, , args] = node.args as [string, AstNode, AstNode[]];
    return name === 'matches' && args.length === 1 ? args[0] : undefined;
  }
  if (node.op === 'call') {
    const [name, args] = node.args as [string, AstNode[]];
    return name === 'matches' && args.length === 2 ? args[1] : undefined;
  }
  return undefined;
}

/** Patterns written in the condition that cannot be used, and those it computes. */
function checkPatterns(root: AstNode): { problems: ConditionNote[]; warnings: ConditionNote[] } {
  const problems: ConditionNote[] = [];
  const warnings: ConditionNote[] = [];
  for (const node of nodesOf(root)) {
    const pattern = patternOf(node);
    if (pattern === undefined) continue;
    if (pattern.op === 'value' && typeof pattern.args === 'string') {
      const problem = patternProblem(pattern.args);
      if (problem) problems.push({ message: `matches(): ${problem}`, offset: pattern.start });
    } else if (pattern.op !== 'value') {
      warnings.push({
        message:
          'matches(): the pattern is computed when the rule runs, so it cannot be checked now; if RE2 cannot run it then, the rule applies',
        offset: pattern.start,
      });
    }
  }
  return { problems, warnings };
}

function toCelValue(value: ParamValue): string | boolean | number | bigint {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
}

/**
 * The request of the evaluation under way in CEL's values, made at its first rule for all the
 * others: the rules of one evaluation run one after another, synchronously.
 */
let converted: { input: ConditionInput; context: { request: CelRequest } } | undefined;

type CelRequest = ReturnType<typeof toCel>['request'];

function celContext(input: ConditionInput): { request: CelRequest } {
  if (converted?.input !== input) {
    const { request, paramsWeight } = toCel(input.facts);
    input.budget.weighParams(request.params, paramsWeight);
    converted = { input, context: { request } };
  }
  return converted.context;
}

/**
 * The request as CEL sees it, and what its parameters weigh (budget.ts: one for the map, and for
 * each entry one and the characters of its name and of a string value), counted as they are
 * copied. The parameters are a Map, not an object: a parameter called `constructor` must not find
 * Object.prototype's.
 */
function toCel(facts: RequestFacts) {
  const params = new Map<string, string | boolean | number | bigint>();
  let paramsWeight = 1;
  for (const name of Object.keys(facts.params)) {
    const value = facts.params[name] as ParamValue;
    params.set(name, toCelValue(value));
    paramsWeight += 1 + name.length + (typeof value === 'string' ? value.length : 0);
  }
  const { operation, resource, account, channel, requester } = facts;
  return { request: { operation, resource, account, params, channel, requester }, paramsWeight };
}
