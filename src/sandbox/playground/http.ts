/** The playground routes' small HTTP needs: a JSON body read with a size limit, a JSON or text answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../server/body.js';

/** The page sends forms and clicks; nothing it sends comes near this. */
const MAX_BODY = 1_000_000;

/**
 * The request's JSON body (`{}` when empty); rejects a body too large (the connection is closed
 * after the answer) or not JSON.
 */
export async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const read = await readBody(req, { limitBytes: MAX_BODY });
  if (!read.ok) {
    res.setHeader('connection', 'close');
    throw new Error(read.reason === 'too_large' ? 'request body too large' : 'request body did not arrive');
  }
  const text = read.body.toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}

/** Answers with `body` as it is when it is a string, as JSON otherwise. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
