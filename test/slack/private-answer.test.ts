/**
 * Private answers on their short path, against the fake Slack Web API: one JSON call when Slack
 * takes it; Slack's refusal thrown as the Web API client throws it; anything unsettled (a 429, a
 * 5xx) handed to the client, whose retries deliver it. The short path goes where the client goes
 * and waits no longer; where the client's transport is its own, it steps aside.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { privateAnswerPoster, SlackRefusal, shortPathUnusable } from '../../src/slack/private-answer.js';

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

/**
 * A Slack that notes how each call came (the short path sends JSON, the Web API client a form)
 * and, if told to, never answers the short path.
 */
interface SeenCall {
  contentType: string;
  headers: IncomingMessage['headers'];
}
let recorder: Server;
let recorderUrl = '';
const seen: SeenCall[] = [];
let holdJson = false;
const held: ServerResponse[] = [];

beforeAll(async () => {
  recorder = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      seen.push({ contentType, headers: req.headers });
      if (holdJson && contentType.startsWith('application/json')) return void held.push(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/api/`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      for (const res of held) res.destroy();
      recorder.close(() => resolve());
      recorder.closeAllConnections();
    }),
);
beforeEach(() => {
  seen.length = 0;
  holdJson = false;
});

/** A client and the options it was made with, as the Slack surface hands them on. */
function clientWith(extra: WebClientOptions = {}) {
  const clientOptions: WebClientOptions = { slackApiUrl: recorderUrl, retryConfig: { retries: 0 }, ...extra };
  return { client: new WebClient(TOKEN, clientOptions), clientOptions };
}
const kinds = () => seen.map((c) => (c.contentType.startsWith('application/json') ? 'short path' : 'client'));

describe("the short path, with the Web API client's settings", () => {
  it("goes to the client's API address", async () => {
    const poster = privateAnswerPoster({ token: TOKEN, ...clientWith(), env: {} });
    await poster.post(answer);
    await poster.close();
    expect(poster.steppedAsideFor).toBeUndefined();
    expect(kinds()).toEqual(['short path']);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("waits no longer than the client's timeout, then hands the answer to the client", async () => {
    holdJson = true;
    const poster = privateAnswerPoster({ token: TOKEN, ...clientWith({ timeout: 300 }), env: {} });
    const started = Date.now();
    await poster.post(answer);
    const waited = Date.now() - started;
    await poster.close().catch(() => {});
    expect(kinds()).toEqual(['short path', 'client']);
    expect(waited).toBeGreaterThanOrEqual(290);
    // Far below the 10 s the short path waits for a client without a timeout.
    expect(waited).toBeLessThan(5_000);
  });

  it.each([
    ['a fetch of its own', { fetch: (url: string | URL, init?: RequestInit) => fetch(url, init) }, /fetch/],
    ['headers of its own', { headers: { 'x-gateway': 'egress' } }, /headers/],
  ])('steps aside for a client with %s: every answer goes through the client', async (_name, extra, why) => {
    const { client, clientOptions } = clientWith(extra as WebClientOptions);
    const poster = privateAnswerPoster({ token: TOKEN, client, clientOptions, env: {} });
    expect(poster.steppedAsideFor).toMatch(why);
    await poster.post(answer);
    await poster.close();
    expect(kinds()).toEqual(['client']);
  });

  it.each(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])(
    'steps aside when %s names a proxy',
    async (name) => {
      const poster = privateAnswerPoster({
        token: TOKEN,
        ...clientWith(),
        env: { [name]: 'http://proxy.example:3128' },
      });
      expect(poster.steppedAsideFor).toBe(`${name} names a proxy`);
      await poster.post(answer);
      expect(kinds()).toEqual(['client']);
    },
  );

  it("is used whatever the client's other settings (retries, rate limits, logging, timeout)", () => {
    const options: WebClientOptions = {
      slackApiUrl: recorderUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 5_000,
      maxRequestConcurrency: 10,
    };
    expect(shortPathUnusable(options, { NO_PROXY: '*', PATH: '/usr/bin' })).toBeUndefined();
    expect(shortPathUnusable({ ...options, headers: {} }, {})).toBeUndefined();
    expect(shortPathUnusable(options, { HTTPS_PROXY: '' })).toBeUndefined();
  });
});
