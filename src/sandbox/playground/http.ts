/** The playground routes' small HTTP needs: a JSON body read with a size limit, a JSON or text answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The page sends forms and clicks; nothing it sends comes near this. */
const MAX_BODY = 1_000_000;

/** The request's JSON body (`{}` when empty); rejects a body too large or not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
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
