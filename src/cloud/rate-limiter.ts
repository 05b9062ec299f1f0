/**
 * Pacing of cloud calls at Alibaba's rate limits, shared by every bot and worker process through
 * Redis. Each region and action has one key holding its next free slot; a call reserves the
 * earliest slot in one Lua script (lua/reserve-slot.lua; GCRA without burst: slots one interval
 * apart, on Redis's own clock so that processes on different machines agree) and then waits for
 * it. Keys sit under the configured hash-tag prefix, so the script also runs on Redis Cluster.
 *
 * Slots are spaced 10 % wider than the limit allows (`headroom`): a call reaches the cloud a little
 * after its slot, and not always equally late, so at the exact limit one late call would push the
 * next one into Alibaba's count of the previous minute. The headroom absorbs that jitter.
 *
 * Who waits is the caller's choice (`pacer({ maxWaitMs })`): a call whose slot is further away fails
 * at once with the retryable code `Throttling.Local`, so that a worker gives its job back to the
 * queue instead of holding a worker slot, and a Slack pick-list answers in time. A call that carries
 * a ClientToken (creates, deletes) keeps its slot meanwhile, as a ticket under that token: the job
 * comes back when the slot is near (`retryAfterMs`) and takes it, so a burst is held back once per
 * request and runs at the full limit. A ticket used later than half the headroom is void (a crowd
 * of late calls could exceed the limit) and the call takes a new slot.
 *
 * When Redis does not answer, calls go unpaced: the cloud's own limit stays the authority (it
 * answers `Throttling.User`, which is retried safely with the same ClientToken), and few calls run
 * then anyway, since no job can be taken without Redis. Holding them would only add a second
 * outage to the first.
 */
import type { Cluster, Redis } from 'ioredis';
import { luaCommand } from '../redis/index.js';
import { formatRateLimit, limitOf, type RateLimits } from '../units/rate-limits.js';
import { CloudError } from './errors.js';
import type { PaceCall, PacedCall } from './vpc-client.js';

/** The code of a call held back by pacing; "Throttling" makes it retryable like the cloud's own. */
export const LOCAL_THROTTLING_CODE = 'Throttling.Local';

/** One call's reservation, as the script answers it: 1 go, 2 held as a ticket, 0 nothing reserved. */
const reserveSlotCommand = luaCommand({
  name: 'gatewayReserveSlot',
  file: new URL('./lua/reserve-slot.lua', import.meta.url),
  keys: ['slot', 'ticket'],
  args: ['intervalMs', 'maxWaitMs', 'graceMs', 'ticketed'],
  reply: (raw) => {
    const [outcome, wait] = raw as [number, string];
    return { outcome, waitMs: Math.max(0, Number(wait)) };
  },
});

/** How long each kind of caller waits for a slot before its call is held back. */
export const PACING_MAX_WAIT_MS = {
  /**
   * A worker step (create, sweep, preflight): a short wait is cheaper than a retry, but a long one
   * would hold a BullMQ worker slot that jobs of other regions and actions are waiting for.
   */
  worker: 5_000,
  /** A Slack pick-list: Slack's 3 s include the call, and the loader falls back to its cache at 2.3 s. */
  pickList: 2_000,
} as const;

/**
 * `ok`: go after `waitMs`. Otherwise the slot is `waitMs` away: `held` for this call's ClientToken,
 * or not reserved at all.
 */
export type Reservation = { ok: true; waitMs: number } | { ok: false; waitMs: number; held: boolean };

/** How a call was let go: at once, after waiting for its slot, held back, or without pacing. */
export type PaceOutcome = 'immediate' | 'waited' | 'deferred' | 'unpaced';

export interface PaceEvent {
  action: string;
  regionId?: string;
  outcome: PaceOutcome;
  /** Time waited (`waited`) or the wait that was refused (`deferred`). */
  waitMs: number;
  /** Why a call went unpaced. */
  reason?: string;
}

export interface RateLimiterOptions {
  redis: Redis | Cluster;
  /** The hash-tag prefix every key of the bot starts with, e.g. `{gw}`. */
  prefix: string;
  limits: RateLimits;
  /**
   * The account the calls are made in: Alibaba counts per account, so each has slots of its own.
   * @defaultValue none: the one account of a bot without an accounts file (the keys it always had)
   */
  account?: string;
  /**
   * Fraction by which slots are spaced wider than the limit.
   * @defaultValue 0.1
   */
  headroom?: number;
  /**
   * How long Redis may take to answer before the call goes unpaced.
   * @defaultValue 500
   */
  redisTimeoutMs?: number;
}

export interface PacerOptions {
  /** The longest a call waits for its slot; beyond it the call fails at once with `Throttling.Local`. */
  maxWaitMs: number;
  onPace?: (event: PaceEvent) => void;
}

/** Where a held-back call stands: its slot, the calls of its region and action before it, the limit. */
export interface PacingPlace {
  /** How far away its slot (or the next free one) is. */
  slotInMs: number;
  /** Calls of the same action and region that have slots before it. */
  ahead: number;
  /** The limit, as people read it (`60/min`). */
  limit: string;
}

/** A call held back by pacing: retryable, and says when to try again and where it stands. */
export class PacingDeferredError extends CloudError {
  /** When to come back: shortly before the held slot, or when the next slot was free. */
  readonly retryAfterMs: number;
  /** Whether a slot is held for the call's ClientToken. */
  readonly held: boolean;
  readonly regionId: string | undefined;
  readonly place: PacingPlace;
  constructor(call: PacedCall, place: PacingPlace, retryAfterMs: number, held: boolean) {
    const { limit, slotInMs } = place;
    super({
      code: LOCAL_THROTTLING_CODE,
      action: call.action,
      cloudMessage: `held back to stay within Alibaba Cloud's rate limit of ${limit}${
        call.regionId ? ` in ${call.regionId}` : ''
      }; ${held ? 'its slot is' : 'the next free slot is'} ${(slotInMs / 1000).toFixed(1)}s away`,
    });
    this.retryAfterMs = retryAfterMs;
    this.held = held;
    this.regionId = call.regionId;
    this.place = place;
  }
}

/** Connection states in which Redis is known to be unreachable (a first connection is waited for). */
const DOWN = new Set(['reconnecting', 'close', 'end']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RateLimiter {
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  private readonly limits: RateLimits;
  /** `<account>/` before the region in a slot's key, or nothing. */
  private readonly scope: string;
  private readonly headroom: number;
  private readonly redisTimeoutMs: number;

  constructor(options: RateLimiterOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.limits = options.limits;
    this.scope = options.account === undefined ? '' : `${encodeURIComponent(options.account)}/`;
    this.headroom = options.headroom ?? 0.1;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 500;
    reserveSlotCommand.defineOn(this.redis);
  }

  /** Time between two calls of an action in one region, or undefined when it is not limited. */
  intervalMs(action: string): number | undefined {
    const limit = limitOf(this.limits, action);
    return limit ? (limit.periodMs * (1 + this.headroom)) / limit.limit : undefined;
  }

  /**
   * How late a held slot may still be used: half the headroom of a period. Calls sent up to that
   * late still number fewer than the limit in any period, with the other half left for jitter.
   */
  graceMs(action: string): number {
    const limit = limitOf(this.limits, action);
    return limit ? (limit.periodMs * this.headroom) / 2 : 0;
  }

  /** The key of one region and action in the account; calls without a region (DescribeRegions) share `global`. */
  key(action: string, regionId: string | undefined): string {
    return `${this.prefix}:pace:${this.scope}${encodeURIComponent(regionId ?? 'global')}:${action}`;
  }

  /** The key of the slot held for one call while it is away. */
  ticketKey(action: string, clientToken: string): string {
    return `${this.prefix}:pace-ticket:${action}:${encodeURIComponent(clientToken)}`;
  }

  /**
   * Reserves the next slot if it is at most `maxWaitMs` away, holds it for the call's ClientToken if
   * it is further, or (without one) reserves nothing. Undefined when the action is not limited.
   */
  async reserve(call: PacedCall, maxWaitMs: number): Promise<Reservation | undefined> {
    const interval = this.intervalMs(call.action);
    if (interval === undefined) return undefined;
    const { outcome, waitMs } = await reserveSlotCommand.run(this.redis, {
      keys: {
        slot: this.key(call.action, call.regionId),
        // Never written without a ClientToken, but a key of the same hash tag either way.
        ticket: this.ticketKey(call.action, call.clientToken ?? ''),
      },
      args: {
        intervalMs: String(interval),
        maxWaitMs: String(maxWaitMs),
        graceMs: String(this.graceMs(call.action)),
        ticketed: call.clientToken ? '1' : '0',
      },
    });
    return outcome === 1 ? { ok: true, waitMs } : { ok: false, waitMs, held: outcome === 2 };
  }

  /** The VPC client's `pace` hook for one kind of caller. */
  pacer(options: PacerOptions): PaceCall {
    const report = options.onPace ?? (() => {});
    // A held slot is taken up again a little before it is due, well within the wait allowed.
    const lead = Math.min(1_000, options.maxWaitMs / 2);
    return async (call) => {
      const { action, regionId } = call;
      const limit = limitOf(this.limits, action);
      if (!limit) return;
      const where = { action, ...(regionId ? { regionId } : {}) };
      const unpaced = (reason: string) => report({ ...where, outcome: 'unpaced', waitMs: 0, reason });
      // Known to be down: do not queue the script behind a reconnection.
      if (DOWN.has(this.redis.status)) return unpaced(`Redis is ${this.redis.status}`);
      let timer: NodeJS.Timeout | undefined;
      let reservation: Reservation | undefined;
      try {
        reservation = await Promise.race([
          this.reserve(call, options.maxWaitMs),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`Redis did not answer within ${this.redisTimeoutMs}ms`)),
              this.redisTimeoutMs,
            );
          }),
        ]);
      } catch (err) {
        return unpaced(err instanceof Error ? err.message : String(err));
      } finally {
        clearTimeout(timer);
      }
      if (!reservation) return;
      if (!reservation.ok) {
        const { waitMs, held } = reservation;
        report({ ...where, outcome: 'deferred', waitMs });
        // Slots are one interval apart, so the calls before this one fill the time to its slot.
        const place = {
          slotInMs: waitMs,
          ahead: Math.floor(waitMs / (this.intervalMs(action) ?? waitMs)),
          limit: formatRateLimit(limit),
        };
        throw new PacingDeferredError(call, place, held ? Math.max(0, waitMs - lead) : waitMs, held);
      }
      if (reservation.waitMs > 0) await sleep(reservation.waitMs);
      report({
        ...where,
        outcome: reservation.waitMs > 0 ? 'waited' : 'immediate',
        waitMs: reservation.waitMs,
      });
    };
  }
}
