/**
 * Reading an HTTP request's body, with its limit enforced while it streams: reading stops at the
 * chunk that crosses the limit (the request is paused there, so a client cannot make the process
 * hold more than the limit), and a client that goes away before the end ends the read. Every HTTP
 * server of the bot and of its sandbox reads bodies here.
 *
 * What is refused is the caller's to answer; its answer should close the connection
 * (`connection: close`), or the rest of an unread body would be taken for the next request.
 */
import type { IncomingMessage } from 'node:http';

export interface ReadBodyOptions {
  /** The most a body may hold, in bytes. */
  limitBytes: number;
}

/** The whole body; or why not: it grew past the limit, or the client went away first. */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'gone' };

export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<BodyRead> {
  const limit = options.limitBytes;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done({ ok: false, reason: 'too_large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => done({ ok: true, body: Buffer.concat(chunks, size) });
    const onGone = () => done({ ok: false, reason: 'gone' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}
