import { describe, expect, it, vi } from 'vitest';
import { singleTokenAuthorize } from '../../src/slack/authorize.js';
import { PEOPLE, useE2E } from '../support/e2e.js';

function countingClient(answers: ('ok' | 'fail' | 'never')[]) {
  let calls = 0;
  const client = {
    auth: {
      test: () => {
        const answer = answers[calls++] ?? 'ok';
        if (answer === 'never') return new Promise(() => {});
        if (answer === 'fail') return Promise.reject(new Error('slack unreachable'));
        return Promise.resolve({ ok: true, bot_id: 'B0BOT', user_id: 'U0BOT' });
      },
    },
  };
  return { client: client as never, calls: () => calls };
}

const source = { isEnterpriseInstall: false } as never;
const settle = () => new Promise((r) => setImmediate(r));

describe('the bot identity Bolt asks for', () => {
  it('is asked of Slack once, whatever the number of requests', async () => {
    const { client, calls } = countingClient([]);
    const authorize = singleTokenAuthorize(client, 'xoxb-t');
    const first = await Promise.all(Array.from({ length: 20 }, () => authorize(source)));
    expect(calls()).toBe(1);
    // The first requests do not wait for the answer: they go on with the token.
    for (const r of first) expect(r).toEqual({ isEnterpriseInstall: false, botToken: 'xoxb-t' });
    await settle();
    expect(await authorize(source)).toEqual({
      isEnterpriseInstall: false,
      botToken: 'xoxb-t',
      botId: 'B0BOT',
      botUserId: 'U0BOT',
    });
    expect(calls()).toBe(1);
  });

  it('never holds a request while Slack does not answer', async () => {
    const { client, calls } = countingClient(['never']);
    const authorize = singleTokenAuthorize(client, 'xoxb-t');
    const answered = await Promise.race([
      authorize(source).then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('held'), 100)),
    ]);
    expect(answered).toBe('answered');
    await authorize(source);
    // One question in flight at a time.
    expect(calls()).toBe(1);
  });

  it('says when Slack refuses, and asks again at the next request', async () => {
    const { client, calls } = countingClient(['fail', 'ok']);
    const errors: unknown[] = [];
    const authorize = singleTokenAuthorize(client, 'xoxb-t', (err) => errors.push(err));
    expect(await authorize(source)).toEqual({ isEnterpriseInstall: false, botToken: 'xoxb-t' });
    await settle();
    expect(errors).toHaveLength(1);
    await authorize(source);
    await settle();
    expect((await authorize(source)).botUserId).toBe('U0BOT');
    expect(calls()).toBe(2);
  });
});

describe('the running bot', () => {
  const e = useE2E('slack-authorize');

  it('does not call auth.test for each Slack request it answers', async () => {
    expect((await e.command(PEOPLE.requester, 'help')).status).toBe(200);
    // One from readiness, one started in the background by the first request's authorization.
    await vi.waitFor(() => expect(e.slack.callsTo('auth.test')).toHaveLength(2));
    for (let i = 0; i < 5; i++) {
      expect((await e.command(PEOPLE.requester, 'help')).status).toBe(200);
      await e.openModal(PEOPLE.requester, 'customer');
    }
    expect(e.slack.callsTo('views.open')).toHaveLength(5);
    expect(e.slack.callsTo('auth.test')).toHaveLength(2);
  });
});
