/**
 * Private answers (`chat.postEphemeral`) on a short path.
 *
 * A refused click (someone who may not approve, a request already decided) is among the commonest
 * things a busy channel sends the bot, and each is answered privately after the ack. Through
 * `@slack/web-api` every such answer went through fetch, a retry queue and the client's generic
 * handling of any method: about 0.5 ms of CPU, more than the rest of the click together. Here it is
 * one JSON POST on a kept-alive connection. Whatever that path cannot settle (no answer, a 429,
 * a 5xx) is handed to the Web API client, whose retry policy and Retry-After handling apply as to
 * every other call; Slack's own refusal (`ok: false`) is final either way and is thrown, as the
 * client would throw it.
 */
import http from 'node:http';
import https from 'node:https';
import type { WebClient } from '@slack/web-api';

export interface PrivateAnswer {
  channel: string;
  user: string;
  text: string;
}

export type PostPrivateAnswer = (answer: PrivateAnswer) => Promise<void>;

/** Slack's refusal of a call, shaped as `@slack/web-api` shapes it (`data.error`). */
export class SlackRefusal extends Error {
  readonly code = 'slack_webapi_platform_error';
  constructor(readonly data: { ok: false; error: string }) {
    super(`An API error occurred: ${data.error}`);
  }
}

const ANSWER_TIMEOUT_MS = 10_000;

export function privateAnswerPoster(o: {
  token: string;
  apiUrl?: string;
  client: WebClient;
}): PostPrivateAnswer {
  const base = o.apiUrl ?? 'https://slack.com/api/';
  const target = new URL('chat.postEphemeral', base.endsWith('/') ? base : `${base}/`);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 32 });
  const headers = {
    authorization: `Bearer ${o.token}`,
    'content-type': 'application/json; charset=utf-8',
  };

  const once = (body: string) =>
    new Promise<boolean>((resolve, reject) => {
      const req = transport.request(
        target,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let raw = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            raw += chunk;
          });
          res.on('error', () => resolve(false));
          res.on('end', () => {
            if (res.statusCode !== 200) return resolve(false);
            let answer: { ok?: unknown; error?: unknown };
            try {
              answer = JSON.parse(raw) as typeof answer;
            } catch {
              return resolve(false);
            }
            if (answer.ok === true) return resolve(true);
            reject(new SlackRefusal({ ok: false, error: String(answer.error ?? 'unknown_error') }));
          });
        },
      );
      req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error('no answer in time')));
      req.on('error', () => resolve(false));
      req.end(body);
    });

  return async (answer) => {
    // False: not settled on the short path (no answer, a 429, a 5xx); the client takes it from there.
    if (await once(JSON.stringify(answer))) return;
    await o.client.chat.postEphemeral(answer);
  };
}
