/**
 * Regular expressions in conditions, run as CEL specifies: with RE2's syntax and semantics, in
 * time linear in the text (re2js, a port of RE2 to JavaScript). JavaScript's own RegExp
 * backtracks: `^([a-z0-9]+-?)+$` against a 32-character name that fails at its last character
 * took over a minute, and each further character doubles that. RE2 refuses what would need
 * backtracking (backreferences, lookahead, lookbehind), with its own reason.
 *
 * What matching costs is counted against the evaluation's budget (limits.ts): the text's length
 * times the compiled pattern's size, and for a pattern computed while the rule runs, compiling
 * it, estimated before it is compiled.
 */
import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';
import { fitText } from '../text/fit.js';
import { POLICY_LIMITS } from './limits.js';

export type CompiledPattern = { ok: true; re: RE2JS } | { ok: false; reason: string };

/** Patterns compiled before, each with its result; emptied when full (patterns are few). */
const compiled = new Map<string, CompiledPattern>();

/** Compiles a pattern with RE2, or says why RE2 cannot run it. */
export function compilePattern(pattern: string): CompiledPattern {
  let found = compiled.get(pattern);
  if (found === undefined) {
    found = compileNow(pattern);
    if (compiled.size >= POLICY_LIMITS.patternCacheSize) compiled.clear();
    compiled.set(pattern, found);
  }
  return found;
}

function compileNow(pattern: string): CompiledPattern {
  try {
    return { ok: true, re: RE2JS.compile(pattern) };
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    const what =
      err instanceof RE2JSSyntaxException
        ? err.input
          ? `${err.error}: ${err.input}`
          : err.error
        : err.message;
    return { ok: false, reason: `RE2 cannot run the pattern ${shown(pattern)} (${fitText(what, 100)})` };
  }
}

/** A pattern as messages show it: quoted, and cut if long (one computed at run time can be). */
function shown(pattern: string): string {
  return JSON.stringify(fitText(pattern, 100));
}

/**
 * Why a pattern written in the policy file cannot be used, if it cannot: RE2 refuses it, or it
 * compiles to more instructions than any text could be matched against within a rule's budget.
 */
export function patternProblem(pattern: string): string | undefined {
  const result = compilePattern(pattern);
  if (!result.ok)
    return `${result.reason}; matches() uses RE2, which has no backreferences, lookahead or lookbehind`;
  const size = result.re.programSize();
  if (size > POLICY_LIMITS.maxPatternSize) {
    return `the pattern ${shown(pattern)} compiles to ${size} RE2 instructions, more than ${POLICY_LIMITS.maxPatternSize}; matching costs its size for every character of the text`;
  }
  return undefined;
}

/**
 * An upper bound of the instructions a pattern compiles to, read from its text without compiling
 * it: each character yields at most a couple, times the counted repetitions around it (`{n}`,
 * `{n,m}`), whose product RE2 refuses beyond 1,000.
 */
export function patternSizeBound(pattern: string): number {
  let repeats = 1;
  // A linear scan: no nested quantifier, so no backtracking whatever the text.
  for (const [, low, high] of pattern.matchAll(/\{(\d{1,4})(?:,(\d{0,4}))?\}/g)) {
    repeats = Math.min(1_000, repeats * Math.max(1, Number(high || low)));
  }
  return 2 * (pattern.length + 1) * repeats;
}

/** Units a match costs: every character of the text (and its end) against every instruction. */
export function matchCost(text: string, re: RE2JS): number {
  return (text.length + 1) * re.programSize() * POLICY_LIMITS.regexUnit;
}
