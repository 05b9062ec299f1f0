/**
 * Rate limits as the cloud enforces them: per main account, region and action, a call beyond the
 * limit is answered `Throttling.User` (HTTP 400) and has no effect. Configured as `SIMULATOR_RATE_LIMITS`
 * in the grammar of src/units/rate-limits.ts, e.g. `published` (Alibaba's published limits)
 * or `CreateCustomerGateway=120/min,DescribeVpnGateway=600/min`; nothing is limited by default.
 *
 * The window slides: at most N admitted calls in any period, on real time whatever the simulator's
 * gateway clock says. Alibaba counts per minute (ECS documents whole minutes); a sliding window is
 * the stricter reading, so a client that passes here passes there. Refused calls do not count.
 *
 * Alibaba publishes no limit for the IPsec-VPN connection actions or DeleteVpnGateway, so
 * `published` leaves them free; limit them by name (`published,CreateVpnConnection=60/min`), as
 * every implemented action can be.
 */
import { limitOf, parseRateLimits, type RateLimits } from '../../units/rate-limits.js';
import { PUBLISHED_LIMITS_PER_MINUTE } from './alibaba.js';
import { SimError } from './errors.js';

/** Alibaba's published limits (alibaba.ts), as the grammar's `published` preset. */
export const PUBLISHED_LIMITS: RateLimits = Object.fromEntries(
  Object.entries(PUBLISHED_LIMITS_PER_MINUTE).map(([action, limit]) => [action, { limit, periodMs: 60_000 }]),
);

/** Throttled calls of one region and action. */
export interface ThrottleCount {
  regionId: string;
  action: string;
  count: number;
}

/** Reads a SIMULATOR_RATE_LIMITS text; throws an Error listing every problem. */
export function parseSimulatorRateLimits(text: string | undefined, actions: readonly string[]): RateLimits {
  const parsed = parseRateLimits(text, {
    variable: 'SIMULATOR_RATE_LIMITS',
    base: {},
    known: actions,
    presets: { published: PUBLISHED_LIMITS },
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.limits;
}

export const throttlingError = () =>
  new SimError('Throttling.User', 400, 'Request was denied due to user flow control.');

/** Throttled calls of one account, region and action. */
type AccountThrottleCount = ThrottleCount & { account: string };

export class RateLimitEnforcer {
  /** Admission times per `account region action`, oldest first. */
  private readonly windows = new Map<string, number[]>();
  private readonly throttled = new Map<string, AccountThrottleCount>();

  constructor(
    private limits: RateLimits = {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  get current(): RateLimits {
    return this.limits;
  }

  set(limits: RateLimits): void {
    this.limits = limits;
    this.windows.clear();
  }

  /**
   * Admits a call of the account (it counts from now on) or throws `Throttling.User`. Each account
   * has windows of its own: Alibaba counts per main account.
   */
  admit(action: string, regionId: string | undefined, account = ''): void {
    const limit = limitOf(this.limits, action);
    if (!limit) return;
    const region = regionId ?? 'global';
    const key = `${account}\n${region} ${action}`;
    const now = this.now();
    let times = this.windows.get(key);
    if (!times) {
      times = [];
      this.windows.set(key, times);
    }
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= now - limit.periodMs) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= limit.limit) {
      const seen = this.throttled.get(key) ?? { account, regionId: region, action, count: 0 };
      seen.count++;
      this.throttled.set(key, seen);
      throw throttlingError();
    }
    times.push(now);
  }

  /**
   * Every region and action that was throttled, with how often: the account's calls, or every
   * account's added up when none is named.
   */
  throttles(account?: string): ThrottleCount[] {
    const counts = new Map<string, ThrottleCount>();
    for (const t of this.throttled.values()) {
      if (account !== undefined && t.account !== account) continue;
      const key = `${t.regionId} ${t.action}`;
      const sum = counts.get(key) ?? { regionId: t.regionId, action: t.action, count: 0 };
      sum.count += t.count;
      counts.set(key, sum);
    }
    return [...counts.values()];
  }

  reset(): void {
    this.windows.clear();
    this.throttled.clear();
  }
}
