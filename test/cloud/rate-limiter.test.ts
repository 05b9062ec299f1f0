/**
 * The rate limiter on real Redis: slots reserved atomically one interval apart per region and
 * action, shared between connections, refused (not reserved) beyond a caller's wait bound, and
 * calls let go unpaced when Redis is down or does not answer.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  CloudError,
  LOCAL_THROTTLING_CODE,
  type PaceEvent,
  PacingDeferredError,
  RateLimiter,
} from '../../src/cloud/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { testRedis } from '../support/redis.js';

const t = testRedis('pace');
afterAll(() => t.cleanup());

const CGW = 'CreateCustomerGateway';
const REGION = 'cn-hangzhou';
/** 120/min with the default 10 % headroom: one slot every 550 ms. */
const LIMITS = { [CGW]: { limit: 120, periodMs: 60_000 }, DescribeVpcs: { limit: 10, periodMs: 1_000 } };
const INTERVAL = 550;
const AT = { action: CGW, regionId: REGION };

let n = 0;
/** A limiter whose keys no other test touches. */
function limiter(redis: RedisClient = t.redis, prefix = `${t.prefix.slice(0, -1)}-${++n}}`) {
  return new RateLimiter({ redis, prefix, limits: LIMITS });
}
const nextFree = async (l: RateLimiter, action = CGW, region: string | undefined = REGION) =>
  Number(await t.redis.get(l.key(action, region)));

describe('RateLimiter.reserve', () => {
  it('admits the first call at once and gives the next ones slots exactly one interval apart', async () => {
    const l = limiter();
    expect(l.intervalMs(CGW)).toBeCloseTo(INTERVAL, 6);
    const first = await l.reserve(AT, 60_000);
    expect(first).toEqual({ ok: true, waitMs: 0 });
    const start = (await nextFree(l)) - INTERVAL;
    const waits: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const r = await l.reserve(AT, 60_000);
      if (!r?.ok) throw new Error('not reserved');
      waits.push(r.waitMs);
      // The key holds the next free slot, on Redis's clock: the first slot plus one interval per call.
      expect(await nextFree(l)).toBeCloseTo(start + (i + 1) * INTERVAL, 3);
    }
    // Waits grow by one interval per call, less the little time that passed between the calls.
    for (let i = 1; i < waits.length; i++) {
      const step = (waits[i] as number) - (waits[i - 1] as number);
      expect(step).toBeGreaterThan(INTERVAL - 100);
      expect(step).toBeLessThanOrEqual(INTERVAL);
    }
  });

  it('keeps each region and action apart, and a call without a region under "global"', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) await l.reserve(AT, 60_000);
    expect(await l.reserve({ action: CGW, regionId: 'cn-shanghai' }, 60_000)).toEqual({
      ok: true,
      waitMs: 0,
    });
    expect(await l.reserve({ action: 'DescribeVpcs', regionId: REGION }, 60_000)).toEqual({
      ok: true,
      waitMs: 0,
    });
    expect(await l.reserve({ action: CGW }, 60_000)).toEqual({ ok: true, waitMs: 0 });
    expect(l.key(CGW, undefined)).toMatch(/^\{t-pace-[0-9a-f]+-\d+\}:pace:global:CreateCustomerGateway$/);
    expect(await t.redis.exists(l.key(CGW, undefined))).toBe(1);
  });

  it('keeps each account apart (Alibaba counts per main account), and shares one account among its clients', async () => {
    const prefix = `${t.prefix.slice(0, -1)}-${++n}}`;
    const production = new RateLimiter({ redis: t.redis, prefix, limits: LIMITS, account: 'production' });
    const alsoProduction = new RateLimiter({ redis: t.redis, prefix, limits: LIMITS, account: 'production' });
    const staging = new RateLimiter({ redis: t.redis, prefix, limits: LIMITS, account: 'staging' });
    expect(await production.reserve(AT, 60_000)).toEqual({ ok: true, waitMs: 0 });
    const second = await alsoProduction.reserve(AT, 60_000);
    expect(second?.ok && second.waitMs).toBeGreaterThan(INTERVAL - 100);
    expect(await staging.reserve(AT, 60_000)).toEqual({ ok: true, waitMs: 0 });
    expect(production.key(CGW, REGION)).toMatch(/:pace:production\/cn-hangzhou:CreateCustomerGateway$/);
  });

  it('does not reserve a slot further away than the caller will wait, and says how far it is', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) await l.reserve(AT, 60_000); // slots at 0, 550, 1100
    const before = await nextFree(l);
    const refused = await l.reserve(AT, 1_000);
    expect(refused).toEqual({ ok: false, held: false, waitMs: expect.any(Number) });
    if (refused?.ok !== false) throw new Error('reserved');
    expect(refused.waitMs).toBeGreaterThan(1_000);
    expect(refused.waitMs).toBeLessThanOrEqual(3 * INTERVAL);
    expect(await nextFree(l)).toBe(before);
    // The refused slot is still free for the next caller who will wait for it.
    const taken = await l.reserve(AT, 5_000);
    expect(taken?.ok).toBe(true);
    expect(await nextFree(l)).toBeCloseTo(before + INTERVAL, 3);
  });

  it('holds the slot of a call with a ClientToken while it is away, for that call only', async () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) await l.reserve(AT, 60_000); // slots at 0, 550, 1100
    const one = { ...AT, clientToken: 'gw-one' };
    const held = await l.reserve(one, 1_000);
    expect(held).toEqual({ ok: false, held: true, waitMs: expect.any(Number) });
    expect(held?.waitMs).toBeGreaterThan(1_000);
    const afterTicket = await nextFree(l);
    const ticket = Number(await t.redis.get(l.ticketKey(CGW, 'gw-one')));
    expect(ticket).toBeCloseTo(afterTicket - INTERVAL, 3);
    // Kept for as long as the slot plus the grace (half the headroom of a minute), then forgotten.
    expect(l.graceMs(CGW)).toBe(3_000);
    const ttl = await t.redis.pttl(l.ticketKey(CGW, 'gw-one'));
    expect(ttl).toBeGreaterThan(3_000);
    expect(ttl).toBeLessThanOrEqual(3 * INTERVAL + 3_000 + 1_001);

    // Coming back too early keeps the ticket and takes no other slot; another token gets the next one.
    expect(await l.reserve(one, 1_000)).toMatchObject({ ok: false, held: true });
    expect(await nextFree(l)).toBe(afterTicket);
    expect(await l.reserve({ ...AT, clientToken: 'gw-two' }, 1_000)).toMatchObject({ ok: false, held: true });
    expect(await nextFree(l)).toBeCloseTo(afterTicket + INTERVAL, 3);

    // Within its wait, the call takes its own slot, and the ticket is spent.
    const taken = await l.reserve(one, 5_000);
    expect(taken).toEqual({ ok: true, waitMs: expect.any(Number) });
    expect(taken?.waitMs).toBeGreaterThan(1_000);
    expect(await t.redis.exists(l.ticketKey(CGW, 'gw-one'))).toBe(0);
    expect(await nextFree(l)).toBeCloseTo(afterTicket + INTERVAL, 3);
  });

  it('voids a ticket used later than its grace: the call takes a new slot', async () => {
    const l = limiter();
    const fast = { action: 'DescribeVpcs', regionId: REGION, clientToken: 'gw-late' };
    // 10 per second: one slot every 110 ms, a grace of 50 ms.
    expect(l.graceMs('DescribeVpcs')).toBe(50);
    for (let i = 0; i < 3; i++) await l.reserve(fast, 5_000);
    const held = await l.reserve(fast, 100);
    expect(held).toMatchObject({ ok: false, held: true });
    const slot = Number(await t.redis.get(l.ticketKey('DescribeVpcs', 'gw-late')));
    // Late by far more than the grace: the held slot has gone by.
    await new Promise((resolve) => setTimeout(resolve, (held?.waitMs ?? 0) + 300));
    const taken = await l.reserve(fast, 5_000);
    expect(taken).toEqual({ ok: true, waitMs: 0 });
    expect(await nextFree(l, 'DescribeVpcs')).toBeGreaterThan(slot + 300);
    expect(await t.redis.exists(l.ticketKey('DescribeVpcs', 'gw-late'))).toBe(0);
  });

  it('shares the slots between connections: concurrent callers never get the same slot', async () => {
    const prefix = `${t.prefix.slice(0, -1)}-shared}`;
    const [one, two] = [t.connect(), t.connect()];
    // Both connected first, so that their calls reach Redis together, interleaved.
    await Promise.all([one.ping(), two.ping()]);
    const a = limiter(one, prefix);
    const b = limiter(two, prefix);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).reserve(AT, 60_000)),
    );
    const waits = results.map((r) => (r?.ok ? r.waitMs : Number.NaN)).sort((x, y) => x - y);
    expect(waits.every(Number.isFinite)).toBe(true);
    expect(waits[0]).toBe(0);
    for (let i = 1; i < waits.length; i++) {
      const step = (waits[i] as number) - (waits[i - 1] as number);
      expect(step).toBeGreaterThan(INTERVAL - 50);
      expect(step).toBeLessThanOrEqual(INTERVAL + 0.001);
    }
    const start = (await nextFree(a)) - 40 * INTERVAL;
    expect(await nextFree(b)).toBeCloseTo(start + 40 * INTERVAL, 3);
  });

  it('lets a key expire a second after its last reserved slot', async () => {
    const l = limiter();
    await l.reserve(AT, 60_000);
    await l.reserve(AT, 60_000);
    const ttl = await t.redis.pttl(l.key(CGW, REGION));
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(2 * INTERVAL + 1_001);
  });

  it('does not pace an action it has no limit for', async () => {
    const l = limiter();
    expect(l.intervalMs('DescribeRegions')).toBeUndefined();
    expect(await l.reserve({ action: 'DescribeRegions' }, 0)).toBeUndefined();
    expect(await t.redis.exists(l.key('DescribeRegions', undefined))).toBe(0);
  });
});

describe('RateLimiter.pacer', () => {
  it('lets each call go when its slot comes, and reports how long it waited', async () => {
    const l = limiter();
    const events: PaceEvent[] = [];
    const pace = l.pacer({ maxWaitMs: 5_000, onPace: (e) => events.push(e) });
    const started = performance.now();
    const released: number[] = [];
    await Promise.all(
      [0, 1, 2].map(() =>
        pace({ action: 'DescribeVpcs', regionId: REGION }).then(() =>
          released.push(performance.now() - started),
        ),
      ),
    );
    // 10 per second with 10 % headroom: 110 ms apart.
    expect(Math.max(...released)).toBeGreaterThanOrEqual(2 * 110 - 5);
    expect(events.map((e) => e.outcome).sort()).toEqual(['immediate', 'waited', 'waited']);
    expect(Math.max(...events.map((e) => e.waitMs))).toBeGreaterThan(200);
    expect(events.every((e) => e.action === 'DescribeVpcs' && e.regionId === REGION)).toBe(true);
  });

  it('holds a call back with a retryable Throttling.Local when its slot is beyond the bound, reserving nothing', async () => {
    const l = limiter();
    for (let i = 0; i < 4; i++) await l.reserve(AT, 60_000);
    const before = await nextFree(l);
    const events: PaceEvent[] = [];
    const pace = l.pacer({ maxWaitMs: 1_000, onPace: (e) => events.push(e) });
    const started = performance.now();
    const err = await pace(AT).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(500);
    expect(err).toBeInstanceOf(PacingDeferredError);
    expect(err).toBeInstanceOf(CloudError);
    const deferred = err as PacingDeferredError;
    expect(deferred.code).toBe(LOCAL_THROTTLING_CODE);
    expect(deferred.retryable).toBe(true);
    expect(deferred.held).toBe(false);
    expect(deferred.retryAfterMs).toBeGreaterThan(1_000);
    expect(deferred.message).toContain('120/min in cn-hangzhou; the next free slot is');
    // Four slots taken, the first of them now: three calls still wait before this one.
    expect(deferred.place).toEqual({ slotInMs: expect.any(Number), ahead: 3, limit: '120/min' });
    expect(deferred.regionId).toBe('cn-hangzhou');
    expect(events).toEqual([expect.objectContaining({ outcome: 'deferred', action: CGW })]);
    expect(await nextFree(l)).toBe(before);

    // With a ClientToken the slot is held, and the call is told to come back a little before it.
    const heldErr = (await pace({ ...AT, clientToken: 'gw-paced' }).catch(
      (e: unknown) => e,
    )) as PacingDeferredError;
    expect(heldErr.held).toBe(true);
    expect(heldErr.message).toContain('its slot is');
    expect(heldErr.place.ahead).toBe(3);
    const ticket = Number(await t.redis.get(l.ticketKey(CGW, 'gw-paced')));
    expect(ticket).toBeCloseTo(before, 3);
    const [seconds, micros] = await t.redis.time();
    const slotIn = ticket - (Number(seconds) * 1000 + Number(micros) / 1000);
    // The lead is half the 1 s this caller waits at most.
    expect(Math.abs(heldErr.retryAfterMs - (slotIn - 500))).toBeLessThan(100);
  });

  it('lets calls go unpaced while Redis is down or does not answer, and paces again once it is back', async () => {
    const server = await startPrivateRedis();
    // Slow reconnection attempts, so that the test sees Redis "reconnecting" between them.
    const redis = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 1_000 });
    redis.on('error', () => {}); // expected while the server is down
    try {
      await vi.waitFor(() => expect(redis.status).toBe('ready'));
      const l = new RateLimiter({ redis, prefix: '{pace-down}', limits: LIMITS, redisTimeoutMs: 200 });
      const events: PaceEvent[] = [];
      const pace = l.pacer({ maxWaitMs: 5_000, onPace: (e) => events.push(e) });
      await pace({ action: CGW, regionId: REGION });
      expect(events.at(-1)?.outcome).toBe('immediate');

      // Down: a call does not wait for the reconnection.
      const restarted = server.restart(2_000);
      await vi.waitFor(() => expect(redis.status).toBe('reconnecting'), { timeout: 5_000 });
      const started = performance.now();
      await pace({ action: CGW, regionId: REGION });
      expect(performance.now() - started).toBeLessThan(100);
      expect(events.at(-1)).toMatchObject({
        outcome: 'unpaced',
        reason: 'Redis is reconnecting',
      });
      await restarted;
      await vi.waitFor(() => expect(redis.status).toBe('ready'), { timeout: 10_000 });

      // Up but not answering (writes paused): the call goes after the timeout.
      const admin = new Redis(server.url);
      await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
      const paused = performance.now();
      await pace({ action: CGW, regionId: REGION });
      expect(performance.now() - paused).toBeGreaterThanOrEqual(190);
      expect(performance.now() - paused).toBeLessThan(1_400);
      expect(events.at(-1)).toMatchObject({
        outcome: 'unpaced',
        reason: 'Redis did not answer within 200ms',
      });
      admin.disconnect();

      // Back to normal.
      await vi.waitFor(
        async () => {
          await pace({ action: 'DescribeVpcs', regionId: 'cn-beijing' });
          expect(events.at(-1)?.outcome).not.toBe('unpaced');
        },
        { timeout: 5_000, interval: 300 },
      );
    } finally {
      redis.disconnect();
      await server.close();
    }
  });
});
