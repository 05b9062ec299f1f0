/**
 * The door of `POST /slack/events` (HTTP mode), in front of Bolt's receiver. Slack's requests are
 * small and always signed, so anything else is refused as cheaply as possible, and no request can
 * hold memory or the event loop for long:
 *
 * - no signature headers, or a timestamp outside Slack's 5-minute window in either direction:
 *   401 before a byte of the body is read;
 * - a Content-Length over the body limit: 413 before reading; a body that grows past the limit
 *   while it streams (chunked, or no length given): 413 at that byte;
 * - a signature that does not match the body: 401;
 * - a signed body that is not something Slack sends (`payload=null`, a JSON `null`, an
 *   interaction without a type or user, …): 400.
 *
 * A refused request's connection is closed, so a client does not get to push the rest of a large
 * body. What passes is handed to Bolt with its body already read and its signature checked; the
 * receiver behind the gate does not check it again.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { BufferedIncomingMessage } from '@slack/bolt';
import { readBody } from '../server/body.js';
import { type SlackBodyKind, slackBodyProblem } from './envelope.js';

/**
 * 256 kB. What Slack sends this app echoes only what the app itself sent: a slash command is
 * under 1 kB, and an interaction carries the bot's own message or modal, the largest being the
 * VPN gateway modal submitted with every field filled (about 20 kB URL-encoded). The limit leaves
 * ten times that, and bounds what a forged request can make the bot hold to 256 kB, against
 * Bolt's default of 4 MB.
 */
export const SLACK_BODY_LIMIT_BYTES = 256 * 1024;

/** Slack's own window: a request signed more than 5 minutes ago, or ahead, is a replay or a forgery. */
export const SLACK_TIMESTAMP_WINDOW_SEC = 5 * 60;

export type Refusal = { status: 400 | 401 | 413; reason: string };

export interface SlackGateOptions {
  signingSecret: string;
  /** @defaultValue {@link SLACK_BODY_LIMIT_BYTES} */
  bodyLimitBytes?: number;
  /** @defaultValue `Date.now` */
  now?: () => number;
  /** Told of every refused request (for a log line); never given the body. */
  onRefused?: (refusal: Refusal, req: IncomingMessage) => void;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
/**
 * What the gate hands on: the request with its body read, that body parsed as Bolt parses it, and
 * when its first byte arrived (`performance.now()`): Slack's 3 s run from then, not from when the
 * body was read or a handler got to it.
 */
export type GatedListener = (
  req: BufferedIncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  receivedAt: number,
) => void;

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The refusal the headers alone earn, before the body is read. */
function refuseByHeaders(req: IncomingMessage, limit: number, nowMs: number): Refusal | undefined {
  const signature = header(req, 'x-slack-signature');
  const timestamp = header(req, 'x-slack-request-timestamp');
  if (!signature || !SIGNATURE.test(signature) || !timestamp || !TIMESTAMP.test(timestamp))
    return { status: 401, reason: 'unsigned' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_TIMESTAMP_WINDOW_SEC)
    return { status: 401, reason: 'timestamp outside the 5-minute window' };
  const length = header(req, 'content-length');
  if (length !== undefined && Number(length) > limit) return { status: 413, reason: 'body over the limit' };
  return undefined;
}

/**
 * The one field of an interaction's form (`payload=…`), decoded; undefined for any other form.
 * Every click, submission and option load is such a form, a modal's up to 20 kB, and node's
 * querystring walks it a character at a time in JavaScript where replacing `+` and
 * decodeURIComponent are native: a few percent of the bot's CPU under a burst. A value whose
 * escapes do not decode is left to querystring, which reads it as it always has.
 */
export function interactionPayload(raw: string): string | undefined {
  if (!raw.startsWith('payload=') || raw.includes('&')) return undefined;
  try {
    return decodeURIComponent(raw.slice('payload='.length).replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/**
 * The body as Bolt reads it (a form; a form's one `payload` field holding JSON; or JSON), parsed
 * once, with which of the three it is.
 */
function parse(req: BufferedIncomingMessage): { body: unknown; kind: SlackBodyKind } {
  const raw = req.rawBody.toString();
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
    return { body: JSON.parse(raw), kind: 'json' };
  const payload = interactionPayload(raw);
  if (payload !== undefined) return { body: JSON.parse(payload), kind: 'interaction' };
  const form = parseQuery(raw);
  return typeof form.payload === 'string'
    ? { body: JSON.parse(form.payload), kind: 'interaction' }
    : { body: form, kind: 'form' };
}

/** The parsed body, or why it is not one Slack sends. */
function parseBody(req: BufferedIncomingMessage): { body: Record<string, unknown> } | { refusal: Refusal } {
  let parsed: { body: unknown; kind: SlackBodyKind };
  try {
    parsed = parse(req);
  } catch {
    return { refusal: { status: 400, reason: 'body does not parse' } };
  }
  const problem = slackBodyProblem(parsed.body, parsed.kind);
  return problem
    ? { refusal: { status: 400, reason: problem } }
    : { body: parsed.body as Record<string, unknown> };
}

/**
 * Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<body>` under the signing secret, compared
 * in constant time. One HMAC per request: Bolt's helper computes two (tsscmp), and the receiver
 * behind this gate does not verify again (see slack/gated-receiver.ts).
 */
export function signatureMatches(
  secret: string,
  timestamp: string,
  body: Buffer,
  signature: string,
): boolean {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  if (res.headersSent) return;
  // `connection: close` makes Node close the socket once this is sent, instead of draining
  // whatever is left of a body nobody will read.
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(JSON.stringify({ error: refusal.status === 400 ? 'malformed_request' : 'refused' }));
}

export function gateSlackRequests(listener: GatedListener, options: SlackGateOptions): Listener {
  const limit = options.bodyLimitBytes ?? SLACK_BODY_LIMIT_BYTES;
  const now = options.now ?? Date.now;
  const refused = (req: IncomingMessage, res: ServerResponse, refusal: Refusal) => {
    options.onRefused?.(refusal, req);
    refuse(res, refusal);
  };
  return (req, res) => {
    const receivedAt = performance.now();
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' });
      res.end('{"error":"method_not_allowed"}');
      return;
    }
    const early = refuseByHeaders(req, limit, now());
    if (early) return refused(req, res, early);
    readBody(req, { limitBytes: limit })
      .then((read) => {
        if (!read.ok) {
          if (read.reason === 'too_large') refused(req, res, { status: 413, reason: 'body over the limit' });
          return;
        }
        const { body } = read;
        const signed = signatureMatches(
          options.signingSecret,
          header(req, 'x-slack-request-timestamp') ?? '',
          body,
          header(req, 'x-slack-signature') ?? '',
        );
        if (!signed) return refused(req, res, { status: 401, reason: 'signature mismatch' });
        const buffered = Object.assign(req, { rawBody: body });
        const parsed = parseBody(buffered);
        if ('refusal' in parsed) return refused(req, res, parsed.refusal);
        listener(buffered, res, parsed.body, receivedAt);
      })
      .catch(() => {
        // Bolt answers its own errors; this is only for a throw before it could.
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
}

/**
 * Logs refused requests without letting a flood of them flood the log: the first of each kind,
 * then one line per `everyMs` saying how many more there were. A wrong signing secret shows up
 * at once as `signature mismatch`; a scan of the endpoint costs a line every ten seconds.
 */
export function logRefusals(
  logger: { warn(fields: Record<string, unknown>, msg: string): void },
  everyMs = 10_000,
  clock: () => number = Date.now,
) {
  const seen = new Map<string, { loggedAt: number; suppressed: number }>();
  return (refusal: Refusal, req: Pick<IncomingMessage, 'socket'>) => {
    // A malformed body's reason names a field the sender chose: keyed by status alone, the map stays small.
    const key = refusal.status === 400 ? '400' : `${refusal.status} ${refusal.reason}`;
    const now = clock();
    const last = seen.get(key);
    if (last && now - last.loggedAt < everyMs) {
      last.suppressed++;
      return;
    }
    seen.set(key, { loggedAt: now, suppressed: 0 });
    logger.warn(
      {
        status: refusal.status,
        reason: refusal.reason,
        remote: req.socket.remoteAddress,
        ...(last?.suppressed ? { alsoRefusedSinceLastLine: last.suppressed } : {}),
      },
      'Slack request refused',
    );
  };
}
