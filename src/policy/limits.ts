/**
 * Every bound on an approval policy, in one place, each with what it protects against. A policy
 * file is configuration, but its conditions run on what people type into a form at every
 * submission and every click, in the process that answers Slack: no rule may be able to hold that
 * process up, whatever it is given.
 *
 * At load a file beyond these bounds is refused like any other invalid policy (the bot does not
 * start; a reload keeps the policy in force). At evaluation a condition that needs more than its
 * budget stops with an error, and its rule applies, as with any condition that fails.
 */
export const POLICY_LIMITS = {
  /** Reading and parsing the file at start and on SIGHUP: a file is a few kilobytes. */
  maxFileBytes: 256 * 1024,
  /** Every request is checked against every rule: the number of rules multiplies each cost below. */
  maxRules: 100,
  /**
   * Characters in one condition: the parser's time, and the largest literal (a string to split,
   * a pattern) a condition can start from.
   */
  maxConditionLength: 4_000,
  /** Parsed nodes in one condition: the type checker's and the evaluator's work per pass. */
  maxAstNodes: 2_000,
  /** Nesting in one condition: the parser, checker and evaluator recurse, and must not overflow the stack. */
  maxDepth: 50,
  /** Elements of one list literal, entries of one map literal: what one literal can build. */
  maxListElements: 1_000,
  maxMapEntries: 1_000,
  /**
   * The work one condition may do on one request, in units of about the time of one step of
   * evaluation. Each step costs one; each value a step produces costs its size (a string's
   * characters, a list's or map's elements, counted through nested lists, maps and strings), so
   * that what later walks over it is paid for; a regular expression costs regexUnit for each
   * character of the text and instruction of the compiled pattern (regex.ts). Comprehensions
   * (`all`, `exists`, `map`, `filter`), `cel.bind` and concatenation could otherwise make the work
   * grow exponentially with the length of the condition. A rule that spends its whole budget
   * takes a few milliseconds (`npm run bench -- policy` measures it: rule_budget_ms); a realistic
   * rule uses a few thousand units, one matching a 128-character name against
   * `^[a-z][a-z0-9_-]{1,99}$` (202 instructions) about 100,000.
   */
  ruleBudget: 200_000,
  /** The work all rules together may do on one request: a few rules' budgets, not a hundred. */
  policyBudget: 1_000_000,
  /**
   * Units per character of text and instruction of pattern: RE2 runs in time linear in the text,
   * but where a pattern leaves many ways open (`(?:a?){300}a{300}`) each character costs up to
   * the pattern's size, and the first time more than a step for each instruction.
   */
  regexUnit: 4,
  /**
   * Instructions a pattern in the file may compile to: matching costs that many times regexUnit
   * for each character of the text, and a realistic pattern has tens or hundreds.
   */
  maxPatternSize: 1_000,
  /**
   * Units per instruction of a pattern a condition computes while it runs, charged before it is
   * compiled (from an estimate, regex.ts): compiling costs about a hundred times a step per
   * instruction.
   */
  regexCompileUnit: 100,
  /** Compiled patterns kept for reuse: those of the file and those a condition computes. */
  patternCacheSize: 500,
  /**
   * Characters `duration()` reads: the evaluator parses a duration with a backtracking regular
   * expression whose time grows with the cube of the length (2,000 digits: 16 s); a duration
   * such as "1h30m" is a few characters.
   */
  maxDurationText: 32,
} as const;
