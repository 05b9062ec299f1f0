/**
 * Rule conditions in CEL: the declared environment (`request.*` and nothing else), compiling an
 * expression with a type check, and evaluating it against a request's facts.
 *
 * Compiling refuses what would only fail later: a syntax error, an unknown variable or field
 * (`reqest.params`, `request.param`), an operator with no overload (`request.operation == 1`),
 * and any result that is not certainly a boolean (a bare `request.params.AutoPay` is `dyn`; write
 * `request.params.AutoPay == true`).
 *
 * Integers: CEL keeps `int` (64-bit) and `double` apart, and the evaluator represents an `int`
 * as a JavaScript bigint. The request record stores integers as numbers, so every safe integer
 * parameter is handed to CEL as a bigint: `request.params.Bandwidth >= 500` compares ints, and
 * arithmetic such as `request.params.Period * 2` works. Other numbers stay doubles; CEL compares
 * ints and doubles with each other naturally (`>= 499.5`).
 */
import { Environment } from '@marcbachmann/cel-js';
import type { ConditionResult, ParamValue, RequestFacts } from './types.js';

/** The variables a condition may use; anything else is a compile error. */
const REQUEST_SCHEMA = {
  operation: 'string',
  resource: 'string',
  account: 'string',
  params: 'map<string, dyn>',
  channel: 'string',
  requester: 'string',
} as const;

/** Conditions are short; a pathological one is refused rather than slowing every request. */
const LIMITS = { maxAstNodes: 2_000, maxDepth: 50 };

const environment = new Environment({ limits: LIMITS }).registerVariable({
  name: 'request',
  schema: REQUEST_SCHEMA,
});

export type CompiledCondition = (facts: RequestFacts) => ConditionResult;

export type CompileResult =
  | { ok: true; test: CompiledCondition }
  /** `offset`: where in the expression (0-based character), when the evaluator says. */
  | { ok: false; message: string; offset?: number };

interface CelErrorLike {
  summary?: unknown;
  message?: unknown;
  range?: { start?: unknown };
}

function describeCelError(err: unknown): { message: string; offset?: number } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as CelErrorLike;
  const message =
    typeof e.summary === 'string' ? e.summary : typeof e.message === 'string' ? e.message : String(err);
  const start = e.range?.start;
  return typeof start === 'number' ? { message, offset: start } : { message };
}

export function compileCondition(expression: string): CompileResult {
  let checked: ReturnType<Environment['check']>;
  try {
    checked = environment.check(expression);
  } catch (err) {
    return { ok: false, ...describeCelError(err) };
  }
  if (!checked.valid) return { ok: false, ...describeCelError(checked.error) };
  if (checked.type !== 'bool') {
    return {
      ok: false,
      message: `the condition must be true or false, but its type is ${checked.type ?? 'unknown'}${
        checked.type === 'dyn'
          ? ' (compare a parameter with a value, e.g. request.params.AutoPay == true)'
          : ''
      }`,
    };
  }
  const evaluate = environment.parse(expression);
  return {
    ok: true,
    test(facts) {
      try {
        const value: unknown = evaluate({ request: toCel(facts) });
        if (typeof value !== 'boolean')
          return { error: `the condition returned ${typeof value}, not a boolean` };
        return { matched: value };
      } catch (err) {
        return { error: describeCelError(err).message };
      }
    },
  };
}

function toCelValue(value: ParamValue): string | boolean | number | bigint {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
}

/** A Map, not an object: a parameter called `constructor` must not find Object.prototype's. */
function toCel(facts: RequestFacts) {
  const params = new Map<string, string | boolean | number | bigint>();
  for (const [name, value] of Object.entries(facts.params)) params.set(name, toCelValue(value));
  return {
    operation: facts.operation,
    resource: facts.resource,
    account: facts.account,
    params,
    channel: facts.channel,
    requester: facts.requester,
  };
}
