/**
 * /readyz over the real app: it answers within a second, not ready, while Redis is frozen (as on a
 * stuck disk), and ready again once Redis thaws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from '../support/e2e.js';
import { startPrivateRedis } from '../support/private-redis.js';

// A Redis of its own, frozen by this file; nobody else's keys live there. Started before the bot,
// stopped after it.
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
beforeAll(async () => {
  redis = await startPrivateRedis();
}, 60_000);
afterAll(async () => {
  await redis?.close();
});
const e = useE2E({ prefix: '{t-readiness}' }, () => ({ env: { REDIS_URL: redis.url } }));
// Registered after the bot's hooks, so it runs before the bot closes: a frozen Redis would hold the close up.
afterAll(() => {
  redis?.thaw();
});

async function readiness() {
  const begun = performance.now();
  const res = await fetch(`${e.bot.http.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
  return {
    ms: performance.now() - begun,
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('/readyz', () => {
  it('answers within 1 s, not ready, while Redis is frozen, and ready again once it thaws', async () => {
    await expect.poll(async () => (await readiness()).status, { timeout: 10_000 }).toBe(200);
    redis.freeze();
    try {
      for (let i = 0; i < 3; i++) {
        const frozen = await readiness();
        expect(frozen.ms).toBeLessThan(1_000);
        expect(frozen.status).toBe(503);
        expect(frozen.body).toMatchObject({
          ready: false,
          checks: { redis: false, slack: true, worker: true },
          notReady: {
            redis: expect.stringMatching(/^Redis does not answer PING .*\(no answer within 750 ms\)$/),
          },
        });
      }
      expect((await fetch(`${e.bot.http.url}/healthz`)).status).toBe(200);
    } finally {
      redis.thaw();
    }
    await expect.poll(async () => (await readiness()).status, { timeout: 10_000 }).toBe(200);
  }, 30_000);
});
