/**
 * Rate limits as people write them: N calls per period, by action. One grammar, read by the bot
 * (`VPC_RATE_LIMITS`, over its defaults in cloud/rate-limits.ts) and by the simulator
 * (`SIMULATOR_RATE_LIMITS`, over its own table of Alibaba's limits):
 *
 *   spec   = entry ("," entry)*
 *   entry  = "off"                      no limit at all from here on (clears what came before)
 *          | preset                     a named set, where the caller offers one (`published`)
 *          | Action "=" count "/" period
 *          | Action "=" "off"           this action is not limited
 *   period = "s" | "min" | "h" | a duration such as 6s, 500ms, 2m (Alibaba's "60 s" works too)
 *
 * Entries apply in order over the base set, so `CreateCustomerGateway=240/min` changes one
 * limit and keeps the others.
 */
import { parseDuration } from './duration.js';

export interface RateLimit {
  /** Calls allowed per period. */
  limit: number;
  periodMs: number;
}

/** Limits by action name; an action that is absent is not limited. */
export type RateLimits = Readonly<Record<string, RateLimit>>;

const MINUTE = 60_000;

/** The limit of an action, if it has one (own keys only: a name like "toString" is not an action). */
export function limitOf(limits: RateLimits, action: string): RateLimit | undefined {
  return Object.hasOwn(limits, action) ? limits[action] : undefined;
}

const PERIOD_UNITS: Readonly<Record<string, number>> = {
  s: 1_000,
  sec: 1_000,
  min: MINUTE,
  m: MINUTE,
  h: 3_600_000,
};
const MAX_LIMIT = 1_000_000;
const MAX_PERIOD_MS = 24 * 3_600_000;

export interface ParseRateLimitsOptions {
  /** The variable's name, for messages. */
  variable: string;
  /** What the entries apply over. */
  base: RateLimits;
  /** Action names an entry may use; anything else is refused (a typo would silently do nothing). */
  known: readonly string[];
  /** Named sets an entry may use on its own, replacing everything before it. */
  presets?: Readonly<Record<string, RateLimits>>;
}

export type ParsedRateLimits = { ok: true; limits: RateLimits } | { ok: false; problems: string[] };

/** `120/min`, `120/6s`: a period written the way the grammar reads it back. */
export function formatRateLimit(limit: RateLimit): string {
  const period =
    limit.periodMs === MINUTE
      ? 'min'
      : limit.periodMs === 1_000
        ? 's'
        : limit.periodMs === 3_600_000
          ? 'h'
          : `${limit.periodMs}ms`;
  return `${limit.limit}/${period}`;
}

function parsePeriod(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '').toLowerCase();
  return Object.hasOwn(PERIOD_UNITS, compact) ? PERIOD_UNITS[compact] : parseDuration(compact);
}

/** Reads a spec over the base set; every malformed entry is reported, each on its own. */
export function parseRateLimits(text: string | undefined, options: ParseRateLimitsOptions): ParsedRateLimits {
  const { variable, known, presets = {} } = options;
  const limits: Record<string, RateLimit> = { ...options.base };
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries = (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const example = 'CreateCustomerGateway=120/min';
  for (const entry of entries) {
    const preset = Object.hasOwn(presets, entry) ? presets[entry] : undefined;
    if (entry === 'off' || preset) {
      for (const action of Object.keys(limits)) delete limits[action];
      Object.assign(limits, preset ?? {});
      continue;
    }
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      const words = ['off', ...Object.keys(presets)].join(', ');
      problems.push(
        `${variable}: "${entry}" is not Action=count/period (such as ${example}) or one of: ${words}`,
      );
      continue;
    }
    const action = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (!known.includes(action)) {
      problems.push(`${variable}: ${action} is not an action it knows (known: ${known.join(', ')})`);
      continue;
    }
    if (seen.has(action)) {
      problems.push(`${variable}: ${action} is given twice`);
      continue;
    }
    seen.add(action);
    if (value === 'off') {
      delete limits[action];
      continue;
    }
    const slash = value.indexOf('/');
    const countText = slash > 0 ? value.slice(0, slash).trim() : '';
    const periodText = slash > 0 ? value.slice(slash + 1) : '';
    const count = Number(countText);
    const periodMs = parsePeriod(periodText);
    if (!/^\d+$/.test(countText) || count < 1 || count > MAX_LIMIT) {
      problems.push(
        `${variable}: ${action}=${value}: the count must be a whole number from 1 to ${MAX_LIMIT}, as in ${example}`,
      );
    } else if (periodMs === undefined || periodMs <= 0 || periodMs > MAX_PERIOD_MS) {
      problems.push(
        `${variable}: ${action}=${value}: the period must be s, min, h or a duration up to 24h such as 6s, as in ${example}`,
      );
    } else {
      limits[action] = { limit: count, periodMs };
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, limits };
}
