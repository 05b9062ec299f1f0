/**
 * The playground started again on a Redis that kept an earlier start's requests: its simulated
 * account lives in memory, so each start keeps its requests under a key prefix of its own (said in
 * its log, with the command that reads them) and never meets the earlier start's requests, which
 * stay readable. REDIS_PREFIX, when set, is used as it is.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { connectRedis } from '../../src/redis/index.js';
import { type BotProcess, runNode } from '../support/processes.js';
import { REDIS_URL } from '../support/redis.js';

const redis = connectRedis(loadConfig({ REDIS_URL }).redis);
const prefixes: string[] = [];
const processes: BotProcess[] = [];

async function keysUnder(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

/** A playground on the shared Redis; its prefix, from its log. */
async function startPlayground(
  env: Record<string, string> = {},
): Promise<{ bot: BotProcess; prefix: string }> {
  const bot = runNode('src/main.ts', { PORT: '0', LOG_FORMAT: 'json', REDIS_URL, ...env });
  processes.push(bot);
  const kept = await bot.waitForLog(/this start's requests are kept under REDIS_PREFIX=/);
  const prefix = String(kept.prefix);
  prefixes.push(prefix);
  expect(kept.msg).toContain(`REDIS_PREFIX='${prefix}' npm run audit`);
  await bot.waitForLog(/playground ready/);
  return { bot, prefix };
}

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  // Only the keys these playgrounds wrote.
  for (const prefix of prefixes) {
    const keys = await keysUnder(prefix);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

describe('the playground started again on the same Redis', () => {
  it('keeps each start under a prefix of its own, the earlier one still there to read', async () => {
    const first = await startPlayground();
    expect(first.prefix).toMatch(/^\{gw-playground-\d{8}T\d{9}\}$/);
    expect((await first.bot.stop('SIGTERM')).code).toBe(0);
    const kept = await keysUnder(first.prefix);
    expect(kept.length).toBeGreaterThan(0);

    const second = await startPlayground();
    expect(second.prefix).not.toBe(first.prefix);
    // The second start wrote nothing there (keys with a time to live, such as locks, may have gone).
    const after = await keysUnder(first.prefix);
    expect(after.filter((k) => !kept.includes(k))).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    await second.bot.stop('SIGTERM');
  }, 60_000);

  it('uses REDIS_PREFIX as it is when it is set', async () => {
    const chosen = `{t-playground-chosen-${process.pid}}`;
    const { bot, prefix } = await startPlayground({ REDIS_PREFIX: chosen });
    expect(prefix).toBe(chosen);
    await bot.stop('SIGTERM');
  }, 60_000);
});
