/**
 * `npm start` on a machine where no Redis answers, as a new user meets it: the playground runs a
 * private redis-server when one is installed (and stops it with the bot, however the bot stops);
 * otherwise, and always with a real Slack token, one clear message and a non-zero exit.
 *
 * `PLAYGROUND_DEFAULT_REDIS_URL` points the playground's default address at a closed port, so these
 * tests play a machine without a running Redis while the shared one keeps serving the other tests.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { waitForRedis } from '../../src/redis/probe.js';
import { freePort } from '../../src/server/free-port.js';
import { type BotProcess, runNode } from '../support/processes.js';

let closedUrl: string;
const processes: BotProcess[] = [];

function start(env: Record<string, string>): BotProcess {
  const p = runNode('src/main.ts', { PORT: '0', LOG_FORMAT: 'json', ...env });
  processes.push(p);
  return p;
}

beforeAll(async () => {
  closedUrl = `redis://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
});

// Each test starts a bot of its own on its own ports and reads only that bot's output, so they run
// at once: most of their time is the bots waiting (for Redis, for a redis-server to start).
describe.concurrent('npm start with no Redis answering', () => {
  it('runs the playground on a private redis-server, and stops that server with the bot', async ({
    expect,
  }) => {
    const bot = start({ PLAYGROUND_DEFAULT_REDIS_URL: closedUrl });
    const own = await bot.waitForLog(/the playground runs its own redis-server/);
    expect(own.msg).toContain(closedUrl);
    const privateUrl = String(own.redis);
    expect(privateUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const ready = await bot.waitForLog(/playground ready/);
    // The example policy is in force there, so a two-approval rule can be seen at work.
    const example = await bot.waitForLog(/example approval policy is in force/);
    expect(example.rules).toEqual(['100m-needs-both-leads']);
    const base = `http://127.0.0.1:${String(ready.url).split(':').at(-1)}`;
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ ready: true });
    expect((await fetch(`${base}/`)).status).toBe(200);

    expect((await bot.stop('SIGTERM')).code).toBe(0);
    expect((await waitForRedis(privateUrl, 300)).ok).toBe(false);
  }, 60_000);

  it('does not leave the private redis-server behind when the bot is killed', async ({ expect }) => {
    const bot = start({ PLAYGROUND_DEFAULT_REDIS_URL: closedUrl });
    const privateUrl = String((await bot.waitForLog(/the playground runs its own redis-server/)).redis);
    await bot.waitForLog(/playground ready/);
    expect((await waitForRedis(privateUrl, 1_000)).ok).toBe(true);
    await bot.stop('SIGKILL');
    await expect.poll(async () => (await waitForRedis(privateUrl, 200)).ok, { timeout: 10_000 }).toBe(false);
  }, 60_000);

  it('says how to install Redis, and exits, when redis-server is not installed', async ({ expect }) => {
    // An empty PATH: no redis-server to be found (node itself is started by its full path).
    const bot = start({ PLAYGROUND_DEFAULT_REDIS_URL: closedUrl, PATH: '' });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    const out = bot.output();
    expect(out).toContain(`Nothing answers at ${closedUrl}`);
    expect(out).toContain('sudo apt install redis-server');
    expect(out).toContain('brew install redis');
    expect(out).toContain('REDIS_URL');
    expect(out).not.toContain('ECONNREFUSED 127.0.0.1:6379');
    expect(out.trim().split('\n').length).toBeLessThanOrEqual(8);
  }, 30_000);

  it('never starts a private Redis for a real workspace: one message, a non-zero exit', async ({
    expect,
  }) => {
    const bot = start({
      SLACK_BOT_TOKEN: 'xoxb-first-run-test',
      SLACK_SIGNING_SECRET: 'first-run-signing-secret',
      APPROVERS: 'U0LEAD1',
      VPC_SANDBOX: 'true',
      REDIS_URL: closedUrl.replace('redis://', 'redis://:redis-password-42@'),
    });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    const out = bot.output();
    expect(out).toContain('Redis does not answer at');
    expect(out).toContain('ECONNREFUSED');
    expect(out).not.toContain('redis-password-42');
    expect(out).not.toContain('the playground runs its own');
    expect(out.trim().split('\n').length).toBeLessThanOrEqual(4);
  }, 30_000);

  it('does not replace a REDIS_URL someone set, even in the playground', async ({ expect }) => {
    const bot = start({ REDIS_URL: closedUrl });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toContain(`REDIS_URL is ${closedUrl}, and nothing answers there`);
    expect(bot.output()).not.toContain('the playground runs its own');
  }, 30_000);
});
