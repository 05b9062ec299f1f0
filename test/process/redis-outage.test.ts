/**
 * A Redis outage under a running bot, as an operator sees it in the logs: one line when Redis is
 * lost, one when it is back, whatever the queues, workers and jobs did in between; and the bot
 * carries on afterwards.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { RequestStore } from '../../src/workflow/store.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { type BotProcess, botEnv, runNode } from '../support/processes.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { slackDriver } from '../support/slack-driver.js';

const TOKEN = 'xoxb-outage-test-token';
const SIGNING_SECRET = 'outage-signing-secret';
let slack: FakeSlack;
let sim: TestSimulator;
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let bot: BotProcess | undefined;

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
  sim = await startTestSimulator({ accessKeyId: 'outage-key', accessKeySecret: 'outage-secret' });
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await slack?.close();
  await sim?.close();
  await redis?.close();
});

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a Redis outage under a running bot', () => {
  it('logs one line when Redis is lost and one when it is back, and then carries on', async () => {
    const cloud = { id: 'outage-key', secret: 'outage-secret', endpoint: sim.url };
    const setting = {
      token: TOKEN,
      signingSecret: SIGNING_SECRET,
      slackApiUrl: slack.apiUrl,
      redisUrl: redis.url,
    };
    bot = runNode(
      'src/main.ts',
      botEnv(
        { ...setting, cloud },
        {
          POLL_INTERVAL: '100ms',
          POLL_MAX_INTERVAL: '200ms',
          LOG_LEVEL: 'info',
          LOG_FORMAT: 'json',
        },
      ),
    );
    const started = await bot.waitForLog(/gateway bot started/);
    const before = logLines(bot.output()).length;

    // Long enough for every worker, queue and the reconciler to notice, several times over.
    await redis.restart(5_000);

    // The bot works again: a request typed now goes through to its gateway.
    const eventsUrl = `http://127.0.0.1:${started.port}/slack/events`;
    const driver = slackDriver(slack, () => eventsUrl, SIGNING_SECRET);
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${started.port}/readyz`)).status, { timeout: 30_000 })
      .toBe(200);
    const client = new Redis(redis.url);
    const store = new RequestStore({ redis: client, prefix: '{gw}' });
    try {
      await driver.request('U0ASKER', 'customer', {
        RegionId: { option: 'cn-hangzhou' },
        IpAddress: '47.72.0.1',
      });
      const [request] = await store.recentInChannel('C0NETOPS', 1);
      if (!request) throw new Error('the request was not stored');
      await expect.poll(async () => (await store.get(request.id))?.messageTs).toBeTruthy();
      const posted = (await store.get(request.id))?.messageTs as string;
      await driver.click('U0LEAD1', 'approve_request', request.id, posted);
      await expect
        .poll(async () => (await store.get(request.id))?.state, { timeout: 20_000 })
        .toBe('succeeded');
    } finally {
      client.disconnect();
    }

    // The line is written before /readyz can answer; give the pipe a moment to deliver it.
    await bot.waitForLog(/Redis connection back/, 5_000).catch(() => undefined);
    const during = logLines(bot.output()).slice(before);
    const about = during.filter((l) => Number(l.level) >= 40 || /Redis/.test(String(l.msg)));
    // On a failure, the unexpected lines are shown whole (their errors say what happened).
    const shown = JSON.stringify(about, null, 1);
    expect(
      about.map((l) => l.msg),
      shown,
    ).toEqual([
      'Redis connection lost: requests wait, nothing is lost, retrying until it is back',
      'Redis connection back: waiting work resumes',
    ]);
    expect(
      during.filter((l) => /job failed|worker error|queue error|will be retried/.test(String(l.msg))),
      shown,
    ).toEqual([]);
  }, 90_000);
});
