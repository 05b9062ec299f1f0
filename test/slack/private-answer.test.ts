/**
 * Private answers on their short path, against the fake Slack Web API: one JSON call when Slack
 * takes it; Slack's refusal thrown as the Web API client throws it; anything unsettled (a 429, a
 * 5xx) handed to the client, whose retries deliver it.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { privateAnswerPoster, SlackRefusal } from '../../src/slack/private-answer.js';

const TOKEN = 'xoxb-private-answer-test';
let slack: FakeSlack;
let poster: ReturnType<typeof privateAnswerPoster>;
const post = (a: Parameters<typeof poster.post>[0]) => poster.post(a);

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
  const client = new WebClient(TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 },
  });
  poster = privateAnswerPoster({ token: TOKEN, apiUrl: slack.apiUrl, client });
});
afterAll(async () => {
  await poster.close();
  await slack.close();
});
beforeEach(() => {
  slack.clearFailures();
});

const answer = { channel: 'C0NETOPS', user: 'U0INTERN', text: 'Only an approver may approve gw-1.' };
const ephemeralCalls = () => slack.calls.filter((c) => c.method === 'chat.postEphemeral');

describe('a private answer', () => {
  it('is one call with the token, the person, the channel and the text', async () => {
    const before = ephemeralCalls().length;
    await post(answer);
    const calls = ephemeralCalls().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.status).toBe(200);
    expect(calls[0]?.params).toMatchObject(answer);
  });

  it('finds the method under an API address given without its final slash', async () => {
    // A client that cannot deliver: only the short path can.
    const client = new WebClient(TOKEN, {
      slackApiUrl: 'http://127.0.0.1:9/api/',
      retryConfig: { retries: 0 },
    });
    const bare = privateAnswerPoster({ token: TOKEN, apiUrl: slack.apiUrl.replace(/\/$/, ''), client });
    const before = ephemeralCalls().length;
    await bare.post(answer);
    await bare.close();
    expect(
      ephemeralCalls()
        .slice(before)
        .map((c) => c.status),
    ).toEqual([200]);
  });

  it('reaches the person through the Web API client when the short path cannot connect', async () => {
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    // Nothing listens on port 9: the short path fails to connect and hands the answer on.
    const unreachable = privateAnswerPoster({ token: TOKEN, apiUrl: 'http://127.0.0.1:9/api/', client });
    const before = ephemeralCalls().length;
    await unreachable.post(answer);
    await unreachable.close();
    const calls = ephemeralCalls().slice(before);
    expect(calls.map((c) => c.status)).toEqual([200]);
    expect(calls[0]?.params).toMatchObject(answer);
  });

  it('goes through the Web API client once the short path is closed', async () => {
    const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const closed = privateAnswerPoster({ token: TOKEN, apiUrl: slack.apiUrl, client });
    await closed.close();
    const before = ephemeralCalls().length;
    await closed.post(answer);
    const calls = ephemeralCalls().slice(before);
    expect(calls.map((c) => c.status)).toEqual([200]);
    expect(calls[0]?.params).toMatchObject(answer);
  });

  it("throws Slack's refusal, shaped as the Web API client's, and is not sent again", async () => {
    const before = ephemeralCalls().length;
    slack.failNext('chat.postEphemeral', { error: 'user_not_in_channel' });
    const refused = await post(answer).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SlackRefusal);
    expect((refused as SlackRefusal).data.error).toBe('user_not_in_channel');
    expect(ephemeralCalls().slice(before)).toHaveLength(1);
  });

  it.each([
    ['a 429 with Retry-After', { status: 429, error: 'ratelimited', retryAfterSec: 0 }],
    ['a 500', { status: 500, error: 'internal_error' }],
  ])('after %s, reaches the person through the Web API client', async (_name, failure) => {
    const before = ephemeralCalls().length;
    slack.failNext('chat.postEphemeral', failure);
    await post(answer);
    const calls = ephemeralCalls().slice(before);
    expect(calls.map((c) => c.status)).toEqual([failure.status, 200]);
    expect(calls[1]?.params).toMatchObject(answer);
  });
});
