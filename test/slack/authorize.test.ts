import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleTokenAuthorize } from '../../src/slack/authorize.js';
import { type E2E, PEOPLE, startE2E } from '../support/e2e.js';
import { testRedis } from '../support/redis.js';

function countingClient(answers: ('ok' | 'fail')[]) {
  let calls = 0;
  const client = {
    auth: {
      test: async () => {
        const answer = answers[calls++] ?? 'ok';
        if (answer === 'fail') throw new Error('slack unreachable');
        return { ok: true, bot_id: 'B0BOT', user_id: 'U0BOT' };
      },
    },
  };
  return { client: client as never, calls: () => calls };
}

describe('the bot identity Bolt asks for', () => {
  it('is asked of Slack once, whatever the number of requests', async () => {
    const { client, calls } = countingClient([]);
    const authorize = singleTokenAuthorize(client, 'xoxb-t');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => authorize({ isEnterpriseInstall: false } as never)),
    );
    expect(calls()).toBe(1);
    for (const r of results)
      expect(r).toEqual({
        isEnterpriseInstall: false,
        botToken: 'xoxb-t',
        botId: 'B0BOT',
        botUserId: 'U0BOT',
      });
  });

  it('lets requests through with the token when Slack does not answer, and asks again next time', async () => {
    const { client, calls } = countingClient(['fail', 'ok']);
    const authorize = singleTokenAuthorize(client, 'xoxb-t');
    expect(await authorize({ isEnterpriseInstall: false } as never)).toEqual({
      isEnterpriseInstall: false,
      botToken: 'xoxb-t',
    });
    expect((await authorize({ isEnterpriseInstall: false } as never)).botUserId).toBe('U0BOT');
    await authorize({ isEnterpriseInstall: false } as never);
    expect(calls()).toBe(2);
  });
});

describe('the running bot', () => {
  const t = testRedis('slack-authorize');
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E(t.prefix);
  });
  afterAll(async () => {
    await e.close();
    await t.cleanup();
  });

  it('does not call auth.test for each Slack request it answers', async () => {
    expect((await e.command(PEOPLE.requester, 'help')).status).toBe(200);
    const after = e.slack.callsTo('auth.test').length;
    // One from readiness, one from the first request's authorization.
    expect(after).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) {
      expect((await e.command(PEOPLE.requester, 'help')).status).toBe(200);
      await e.openModal(PEOPLE.requester, 'customer');
    }
    expect(e.slack.callsTo('views.open')).toHaveLength(5);
    expect(e.slack.callsTo('auth.test')).toHaveLength(after);
  });
});
