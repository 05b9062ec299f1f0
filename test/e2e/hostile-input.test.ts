/**
 * Hostile input over HTTP: signed but malformed bodies, buttons and forms the bot does not have,
 * bodies over the limit, missing or wrong signatures and stale timestamps are refused (most before
 * their body is read) and change nothing, while the bot goes on answering.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/sandbox/fake-slack/index.js';
import { SLACK_BODY_LIMIT_BYTES } from '../../src/slack/gate.js';
import { CHANNEL, PEOPLE, SIGNING_SECRET, useE2E } from '../support/e2e.js';

const e = useE2E('hostile');

const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** Sends `body` signed with the right secret, as Slack would, with the content type given. */
async function signed(body: string, contentType = 'application/x-www-form-urlencoded') {
  const res = await fetch(e.eventsUrl, {
    method: 'POST',
    body,
    headers: { ...signSlackRequest(SIGNING_SECRET, body), 'content-type': contentType },
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, text: await res.text() };
}

/**
 * Sends the headers and `bytes` of body, never ending it, and resolves with the answer's status:
 * an answer can only come from a server that decided without waiting for the rest.
 */
function answerBeforeTheEnd(headers: Record<string, string>, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(e.eventsUrl, { method: 'POST', headers }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.flushHeaders();
    const chunk = Buffer.alloc(16 * 1024, 'a');
    let left = bytes;
    const pump = () => {
      while (left > 0 && !answered && !req.destroyed) {
        left -= chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

async function helpStillAnswered() {
  const help = await e.command(PEOPLE.requester, 'help');
  expect(help.status).toBe(200);
  expect((help.body as { text: string }).text).toContain('/gateway vpn');
}

describe('signed but malformed requests get 400 and the bot keeps serving', () => {
  const cases: [string, string, string?][] = [
    ['payload=null', 'payload=null'],
    ['a JSON body null', 'null', 'application/json'],
    ['a JSON body {}', '{}', 'application/json'],
    ['an event without its event', '{"type":"event_callback","event":"x"}', 'application/json'],
    ['a payload that is a number', 'payload=1'],
    ['a payload that is a string', `payload=${encodeURIComponent('"block_actions"')}`],
    ['a payload that is an array', `payload=${encodeURIComponent('[]')}`],
    ['a payload that is not JSON', 'payload=%7Bnot-json'],
    ['a payload without a type', form({ user: { id: PEOPLE.requester } })],
    [
      'an interaction without a user',
      form({ type: 'block_actions', actions: [{ action_id: 'a', type: 'button' }] }),
    ],
    ['a click without actions', form({ type: 'block_actions', user: { id: PEOPLE.lead1 } })],
    ['a submission without a view', form({ type: 'view_submission', user: { id: PEOPLE.requester } })],
    [
      'a submission whose state is not a state',
      form({
        type: 'view_submission',
        user: { id: PEOPLE.requester },
        view: { id: 'V1', callback_id: 'create_customer_gateway', state: { values: { IpAddress: null } } },
      }),
    ],
    [
      'an option load without an action id',
      form({ type: 'block_suggestion', user: { id: PEOPLE.requester }, value: '' }),
    ],
    ['a slash command without a user', `command=%2Fgateway&text=help&channel_id=${CHANNEL}&trigger_id=1`],
    [
      'a slash command with a field given twice',
      `command=%2Fgateway&text=help&text=list&user_id=U0ASKER&channel_id=${CHANNEL}&trigger_id=1`,
    ],
    ['an empty form', ''],
    // Bolt decodes field names: an encoded `payload` is still the interaction, checked as one.
    [
      'an interaction under an encoded field name',
      `%70ayload=${encodeURIComponent('{"type":"block_actions","user":"U0X"}')}`,
    ],
  ];
  it.each(cases)('%s', async (_name, body, contentType) => {
    const answer = await signed(body, contentType);
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain(SIGNING_SECRET);
    await helpStillAnswered();
  });

  it('changes nothing: no request stored, nothing posted', async () => {
    expect(await e.bot.store.recentInChannel(CHANNEL, 10)).toEqual([]);
    expect(e.slack.messages(CHANNEL)).toEqual([]);
  });
});

describe("Slack's own checks, and other methods", () => {
  it('answers ssl_check and url_verification as Slack expects, and anything but POST with 405', async () => {
    expect(await signed('ssl_check=1&token=legacy')).toEqual({ status: 200, text: '' });
    const verification = await signed('{"type":"url_verification","challenge":"c-123"}', 'application/json');
    expect(verification.status).toBe(200);
    expect(JSON.parse(verification.text)).toEqual({ challenge: 'c-123' });
    const get = await fetch(e.eventsUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await helpStillAnswered();
  });

  it("hands Slack's retries to Bolt, which answers them like the first", async () => {
    const body = `command=%2Fgateway&text=help&user_id=${PEOPLE.requester}&channel_id=${CHANNEL}&trigger_id=1`;
    const res = await fetch(e.eventsUrl, {
      method: 'POST',
      body,
      headers: {
        ...signSlackRequest(SIGNING_SECRET, body),
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/gateway vpn');
  });
});

describe('well-formed requests for a button or a form the bot does not have', () => {
  it('acknowledges them at once and does nothing else', async () => {
    const before = e.slack.calls.length;
    const click = await signed(
      form({
        type: 'block_actions',
        user: { id: PEOPLE.lead1 },
        channel: { id: CHANNEL },
        actions: [{ action_id: 'open_runbook_link', type: 'button', value: 'x' }],
      }),
    );
    const submission = await signed(
      form({
        type: 'view_submission',
        user: { id: PEOPLE.requester },
        view: { id: 'V1', callback_id: 'a_form_from_another_version', state: { values: {} } },
      }),
    );
    expect([click.status, click.text]).toEqual([200, '']);
    expect([submission.status, submission.text]).toEqual([200, '']);
    expect(e.slack.calls.slice(before).map((c) => c.method)).toEqual([]);
    expect(await e.bot.store.recentInChannel(CHANNEL, 10)).toEqual([]);
  });
});

describe('requests refused before their body is read', () => {
  it('refuses a request without signature headers before any of its body arrives', async () => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3900000' };
    expect(await answerBeforeTheEnd(headers, 0)).toBe(401);
  });

  it('refuses a Content-Length over the limit with 413 before any of its body arrives', async () => {
    const headers = {
      ...signSlackRequest(SIGNING_SECRET, 'x'),
      'content-length': String(SLACK_BODY_LIMIT_BYTES + 1),
    };
    expect(await answerBeforeTheEnd(headers, 0)).toBe(413);
  });

  it('cuts off a body without a length once it passes the limit', async () => {
    const headers = { ...signSlackRequest(SIGNING_SECRET, 'x'), 'transfer-encoding': 'chunked' };
    expect(await answerBeforeTheEnd(headers, SLACK_BODY_LIMIT_BYTES + 1024 * 1024)).toBe(413);
  });

  it('refuses a request signed with another secret, or changed after it was signed, and does nothing', async () => {
    const opens = e.slack.callsTo('views.open').length;
    const body = `command=%2Fgateway&text=vpn&user_id=${PEOPLE.requester}&channel_id=${CHANNEL}&trigger_id=1`;
    const post = async (headers: Record<string, string>, sent = body) =>
      (await fetch(e.eventsUrl, { method: 'POST', body: sent, headers })).status;
    expect(await post(signSlackRequest('not-the-signing-secret', body))).toBe(401);
    expect(await post(signSlackRequest(SIGNING_SECRET, body), body.replace('vpn', 'customer'))).toBe(401);
    const signature = signSlackRequest(SIGNING_SECRET, body);
    const right = signature['x-slack-signature'];
    const wrong = `${right.slice(0, -1)}${right.endsWith('0') ? '1' : '0'}`;
    expect(await post({ ...signature, 'x-slack-signature': wrong })).toBe(401);
    expect(e.slack.callsTo('views.open').length).toBe(opens);
    // The same request, signed right, is served: the refusals were the signature's doing.
    expect(await post(signSlackRequest(SIGNING_SECRET, body))).toBe(200);
  });

  it('refuses timestamps more than 5 minutes away in either direction, and takes those within', async () => {
    const body = `command=%2Fgateway&text=help&user_id=U0ASKER&channel_id=${CHANNEL}&trigger_id=1`;
    const now = Math.floor(Date.now() / 1000);
    const at = async (ts: number) =>
      (
        await fetch(e.eventsUrl, {
          method: 'POST',
          body,
          headers: signSlackRequest(SIGNING_SECRET, body, ts),
        })
      ).status;
    expect(await at(now + 6 * 60)).toBe(401);
    expect(await at(now + 24 * 3600)).toBe(401);
    expect(await at(now - 6 * 60)).toBe(401);
    expect(await at(now + 4 * 60)).toBe(200);
    expect(await at(now - 4 * 60)).toBe(200);
  });
});
