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
 *
 * The short path goes where the client goes and waits no longer: to the client's `slackApiUrl`,
 * within its `timeout`. Where the client's transport is its own (a custom `fetch`, which is where
 * a proxy, an agent or TLS settings are given to `@slack/web-api` 8) or it sends headers of its
 * own, and where the environment names a proxy (which Node's fetch, and so the client, uses under
 * NODE_USE_ENV_PROXY), the short path steps aside and every answer goes through the client.
 */
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { type Dispatcher, Pool } from 'undici';

export interface PrivateAnswer {
  channel: string;
  user: string;
  text: string;
}

export interface PrivateAnswerPoster {
  post(answer: PrivateAnswer): Promise<void>;
  /** Why every answer goes through the Web API client (see above); undefined while the short path is used. */
  readonly steppedAsideFor: string | undefined;
  /**
   * Closes the kept-alive connections once the answers already on them are sent; an answer posted
   * after that goes through the Web API client.
   */
  close(): Promise<void>;
}

export interface PrivateAnswerOptions {
  token: string;
  /** What the short path cannot settle, and every answer when it steps aside. */
  client: WebClient;
  /** The options `client` was made with: where it sends, how long it waits, its own transport. */
  clientOptions?: WebClientOptions;
  /** Slack's Web API. @defaultValue `clientOptions.slackApiUrl`, else https://slack.com/api/ */
  apiUrl?: string;
  /** Where a proxy would be named. @defaultValue process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Slack's refusal of a call, shaped as `@slack/web-api` shapes it (`data.error`). */
export class SlackRefusal extends Error {
  readonly code = 'slack_webapi_platform_error';
  constructor(readonly data: { ok: false; error: string }) {
    super(`An API error occurred: ${data.error}`);
  }
}

/**
 * How long the short path waits for Slack's headers, and then between parts of its body, when the
 * client has no timeout of its own.
 */
const ANSWER_TIMEOUT_MS = 10_000;

/** The variables that name a proxy, as Node's fetch reads them. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/** Why the short path would not go where the client goes; undefined when it would. */
export function shortPathUnusable(
  clientOptions: WebClientOptions,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (clientOptions.fetch) return 'the Web API client has a fetch of its own';
  if (Object.keys(clientOptions.headers ?? {}).length > 0)
    return 'the Web API client sends headers of its own';
  const proxy = PROXY_VARIABLES.find((name) => env[name]);
  if (proxy) return `${proxy} names a proxy`;
  return undefined;
}

/** One JSON call on the pool: true once Slack took the answer; false where it cannot tell (see above). */
function postOnce(
  pool: Pool,
  request: Dispatcher.DispatchOptions,
  timeoutMs: number | undefined,
): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    let controller: Dispatcher.DispatchController | undefined;
    let late = false;
    // The client's own timeout, over the whole call; the answer is then the client's to deliver.
    const timer = timeoutMs
      ? setTimeout(() => {
          late = true;
          controller?.abort(new Error(`no answer within ${timeoutMs}ms`));
        }, timeoutMs)
      : undefined;
    const settle = (taken: boolean) => {
      clearTimeout(timer);
      resolve(taken);
    };
    pool.dispatch(request, {
      // Present, even when nothing is late, so that undici takes this for its current handler
      // interface (without it, a legacy one whose errors would be thrown rather than reported here).
      onRequestStart: (c) => {
        controller = c;
        if (late) c.abort(new Error(`no answer within ${timeoutMs}ms`));
      },
      onResponseStart: (_controller, statusCode) => {
        status = statusCode;
      },
      onResponseData: (_controller, chunk) => {
        chunks.push(chunk);
      },
      onResponseEnd: () => {
        if (status !== 200) return settle(false);
        let answer: { ok?: unknown; error?: unknown };
        try {
          answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof answer;
        } catch {
          return settle(false);
        }
        if (answer.ok === true) return settle(true);
        clearTimeout(timer);
        reject(new SlackRefusal({ ok: false, error: String(answer.error ?? 'unknown_error') }));
      },
      // After a 200 Slack has posted the answer, whatever happens to the rest of its reply:
      // handing it on would post it twice.
      onResponseError: () => settle(status === 200),
    });
  });
}

export function privateAnswerPoster(o: PrivateAnswerOptions): PrivateAnswerPoster {
  const clientOptions = o.clientOptions ?? {};
  const steppedAsideFor = shortPathUnusable(clientOptions, o.env ?? process.env);
  const viaClient = async (answer: PrivateAnswer) => {
    await o.client.chat.postEphemeral(answer);
  };
  if (steppedAsideFor) return { post: viaClient, steppedAsideFor, close: async () => {} };

  const base = o.apiUrl ?? clientOptions.slackApiUrl ?? 'https://slack.com/api/';
  const target = new URL('chat.postEphemeral', base.endsWith('/') ? base : `${base}/`);
  const pool = new Pool(target.origin, { connections: 32 });
  const timeoutMs = clientOptions.timeout && clientOptions.timeout > 0 ? clientOptions.timeout : undefined;
  const request = {
    path: `${target.pathname}${target.search}`,
    method: 'POST' as const,
    headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json; charset=utf-8' },
    headersTimeout: ANSWER_TIMEOUT_MS,
    bodyTimeout: ANSWER_TIMEOUT_MS,
  };
  return {
    async post(answer) {
      if (await postOnce(pool, { ...request, body: JSON.stringify(answer) }, timeoutMs)) return;
      await viaClient(answer);
    },
    steppedAsideFor,
    close: () => pool.close(),
  };
}
