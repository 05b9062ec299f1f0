/**
 * The work a policy's evaluation of one request may do, counted while it happens (the units are
 * described with POLICY_LIMITS.ruleBudget): each rule may use its own budget, within what the
 * whole policy may use. Going over stops the condition with an error, and its rule applies, as
 * with any condition that fails to evaluate.
 *
 * The overrun is remembered: CEL lets `||`, `&&`, `exists` and `all` absorb an error when the
 * other side decides (`x || true` is true), but a condition that ran out of budget has no result.
 */
import { POLICY_LIMITS } from './limits.js';

/** Thrown inside the evaluator when a rule goes over; one per overrun, thrown again if caught. */
export class BudgetExceeded extends Error {}

export class EvaluationBudget {
  private used = 0;
  private ruleStart = 0;
  private ruleEnd = 0;
  private overrun: BudgetExceeded | undefined;
  /** The request's parameters, read at nearly every step: weighed once, not looked up each time. */
  private params: { map: object; weight: number } | undefined;

  constructor(
    private readonly ruleBudget: number = POLICY_LIMITS.ruleBudget,
    private readonly policyBudget: number = POLICY_LIMITS.policyBudget,
  ) {}

  /** Starts the next rule: it may use a rule's budget, or what is left of the policy's if less. */
  startRule(): void {
    this.ruleStart = this.used;
    this.ruleEnd = Math.min(this.used + this.ruleBudget, this.policyBudget);
    this.overrun = undefined;
  }

  /** Counts `units` of work; throws when the rule is over its budget. */
  charge(units: number): void {
    this.used += units;
    if (this.used > this.ruleEnd) throw this.exceeded();
  }

  /** Counts what a value weighs (see sizeOf). */
  chargeSize(value: unknown): void {
    if (typeof value === 'string') this.charge(value.length);
    else if (typeof value === 'object' && value !== null)
      this.charge(value === this.params?.map ? this.params.weight : sizeOf(value));
  }

  /** What the request's parameters weigh, for every rule (see sizeOf). */
  weighParams(map: object, weight: number): void {
    this.params = { map, weight };
  }

  /** Units counted so far, by every rule. */
  get spent(): number {
    return this.used;
  }

  /** The current rule's overrun, if it went over, even if the condition caught the error. */
  get overrunError(): BudgetExceeded | undefined {
    return this.overrun;
  }

  private exceeded(): BudgetExceeded {
    this.overrun ??= new BudgetExceeded(
      // The policy's budget ends the rule before the rule's own would: it is the one spent.
      this.ruleEnd < this.ruleStart + this.ruleBudget
        ? `the policy's rules together need more work than one request may take (${this.policyBudget} units); simplify the conditions`
        : `the condition needs more work than a rule may do on one request (${this.ruleBudget} units); simplify it`,
    );
    return this.overrun;
  }
}

/**
 * What a value weighs: a string its characters; a list, map or bytes its elements plus what
 * each element weighs, so that a list of long strings or of lists costs what walking over it
 * costs. Lists and maps are weighed once (they do not change once made) and remembered.
 */
const weights = new WeakMap<object, number>();

export function sizeOf(value: object): number {
  const proto: unknown = Object.getPrototypeOf(value);
  const kind =
    proto === Array.prototype
      ? 'list'
      : proto === Map.prototype
        ? 'map'
        : proto === Object.prototype || proto === null
          ? 'object'
          : ArrayBuffer.isView(value)
            ? 'bytes'
            : undefined;
  // Anything else (a timestamp, a duration, the evaluator's view of `request`) is one thing,
  // whose parts are weighed when they are read.
  if (kind === undefined) return 1;
  if (kind === 'bytes') return 1 + (value as ArrayBufferView).byteLength;
  let weight = weights.get(value);
  if (weight !== undefined) return weight;
  weight = 1;
  if (kind === 'list') {
    const list = value as unknown[];
    weight += list.length;
    for (const item of list) weight += elementSize(item);
  } else if (kind === 'map') {
    const map = value as Map<unknown, unknown>;
    weight += map.size;
    map.forEach((item, key) => {
      weight = (weight as number) + elementSize(key) + elementSize(item);
    });
  } else {
    for (const [key, item] of Object.entries(value)) weight += 1 + key.length + elementSize(item);
  }
  weights.set(value, weight);
  return weight;
}

/** What an element of a list or map adds to its weight. */
export function elementSize(item: unknown): number {
  if (typeof item === 'string') return item.length;
  if (typeof item === 'object' && item !== null) return sizeOf(item);
  return 0;
}
