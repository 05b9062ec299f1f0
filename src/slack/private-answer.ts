/**
 * Private answers (`chat.postEphemeral`) on a short path.
 *
 * A refused click (someone who may not approve, a request already decided) is among the commonest
 * things a busy channel sends the bot, and each is answered privately after the ack. Through
 * `@slack/web-api` every such answer went through fetch, a retry queue and the client's generic
 * handling of any method: about 0.5 ms of CPU, more than the rest of the click together. Here it is
 * one JSON POST on a kept-alive connection of undici's pool, through its handler interface (no
 * stream per answer): about 21 µs of CPU per call, where `node:http`'s client took 50 and undici's
 * `pool.request` 27 (measured apart, a client and a server process on loopback). Whatever that
 * path cannot settle (no answer, a 429, a 5xx) is handed to the Web API client, whose retry policy
 * and Retry-After handling apply as to every other call; Slack's own refusal (`ok: false`) is final
 * either way and is thrown, as the client would throw it. A request sent whose answer never comes
 * may have been posted all the same: handing it on risks showing the person the refusal twice,
 * which is better than not at all.
 */
import type { WebClient } from '@slack/web-api';
import { Pool } from 'undici';

export interface PrivateAnswer {
  channel: string;
  user: string;
  text: string;
}

export interface PrivateAnswerPoster {
  post(answer: PrivateAnswer): Promise<void>;
  /**
   * Closes the kept-alive connections once the answers already on them are sent; an answer posted
   * after that goes through the Web API client.
   */
  close(): Promise<void>;
}

/** Slack's refusal of a call, shaped as `@slack/web-api` shapes it (`data.error`). */
export class SlackRefusal extends Error {
  readonly code = 'slack_webapi_platform_error';
  constructor(readonly data: { ok: false; error: string }) {
    super(`An API error occurred: ${data.error}`);
  }
}

/** How long the short path waits for Slack's headers, and then between parts of its body. */
const ANSWER_TIMEOUT_MS = 10_000;

export function privateAnswerPoster(o: {
  token: string;
  apiUrl?: string;
  client: WebClient;
}): PrivateAnswerPoster {
  const base = o.apiUrl ?? 'https://slack.com/api/';
  const target = new URL('chat.postEphemeral', base.endsWith('/') ? base : `${base}/`);
  const pool = new Pool(target.origin, { connections: 32 });
  const path = `${target.pathname}${target.search}`;
  const headers = {
    authorization: `Bearer ${o.token}`,
    'content-type': 'application/json; charset=utf-8',
  };

  /** True once Slack took the answer; false where the short path cannot tell (see above). */
  const once = (body: string) =>
    new Promise<boolean>((resolve, reject) => {
      let status = 0;
      const chunks: Buffer[] = [];
      pool.dispatch(
        {
          path,
          method: 'POST',
          headers,
          body,
          headersTimeout: ANSWER_TIMEOUT_MS,
          bodyTimeout: ANSWER_TIMEOUT_MS,
        },
        {
          // Present, even empty, so that undici takes this for its current handler interface
          // (without it, a legacy one whose errors would be thrown rather than reported here).
          onRequestStart: () => {},
          onResponseStart: (_controller, statusCode) => {
            status = statusCode;
          },
          onResponseData: (_controller, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => {
            if (status !== 200) return resolve(false);
            let answer: { ok?: unknown; error?: unknown };
            try {
              answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof answer;
            } catch {
              return resolve(false);
            }
            if (answer.ok === true) return resolve(true);
            reject(new SlackRefusal({ ok: false, error: String(answer.error ?? 'unknown_error') }));
          },
          // After a 200 Slack has posted the answer, whatever happens to the rest of its reply:
          // handing it on would post it twice.
          onResponseError: () => resolve(status === 200),
        },
      );
    });

  return {
    async post(answer) {
      if (await once(JSON.stringify(answer))) return;
      await o.client.chat.postEphemeral(answer);
    },
    close: () => pool.close(),
  };
}
