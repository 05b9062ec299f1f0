import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeSlack,
  postToApp,
  slashCommandBody,
  startFakeSlack,
} from '../../src/sandbox/fake-slack/index.js';
import { type BotProcess, runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';

const t = testRedis('guard');
const TOKEN = 'xoxb-guard-test-token-1a2b3c';
const SIGNING_SECRET = 'guard-signing-secret-4d5e6f';
let slack: FakeSlack;
let bot: BotProcess;

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await slack.close();
  await t.cleanup();
});

describe('errors nobody caught, in the bot process', () => {
  it('logs an unhandled rejection and keeps serving; logs an uncaught exception, shuts down and exits 1', async () => {
    bot = runNode(
      'src/main.ts',
      {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        REDIS_URL,
        REDIS_PREFIX: t.prefix,
        APPROVERS: 'U0LEAD1',
        VPC_SANDBOX: 'true',
      },
      [],
      ['--import', './test/fixtures/uncaught-errors.ts'],
    );
    const started = await bot.waitForLog(/gateway bot started/);
    const url = `http://127.0.0.1:${started.port}`;
    const help = () =>
      postToApp(
        `${url}/slack/events`,
        SIGNING_SECRET,
        slashCommandBody({
          command: '/gateway',
          text: 'help',
          user_id: 'U0ASKER',
          channel_id: 'C0NETOPS',
          trigger_id: slack.issueTriggerId('U0ASKER'),
        }),
      );
    expect((await help()).status).toBe(200);

    bot.child.kill('SIGUSR2');
    const rejection = await bot.waitForLog(/unhandled promise rejection/);
    expect(rejection).toMatchObject({ level: 50, err: { message: 'injected rejection' } });
    expect((await help()).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    bot.child.kill('SIGHUP');
    const fatal = await bot.waitForLog(/uncaught exception/);
    expect(fatal).toMatchObject({ level: 60, err: { message: 'injected exception' } });
    await bot.waitForLog(/^stopped$/);
    expect(await bot.exited).toEqual({ code: 1, signal: null });
  }, 60_000);
});
