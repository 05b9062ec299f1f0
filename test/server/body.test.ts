/**
 * The one request-body reader (src/server/body.ts), on a real HTTP server: a body read whole,
 * however it is cut into chunks; a body refused at the chunk that crosses the limit, while the
 * client is still sending; a client that goes away before the end.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BodyRead, readBody } from '../../src/server/body.js';

const LIMIT = 64 * 1024;
let server: Server;
let url = '';
/** What each request's read came to, in the order they finished. */
const reads: BodyRead[] = [];
let nextRead: ((read: BodyRead) => void) | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req, { limitBytes: LIMIT }).then((read) => {
      reads.push(read);
      nextRead?.(read);
      if (read.ok) res.end(String(read.body.length));
      else res.writeHead(413, { connection: 'close' }).end(read.reason);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const read = () => new Promise<BodyRead>((resolve) => (nextRead = resolve));

/** Sends `chunks` one by one (chunked transfer); stops sending as soon as an answer arrives. */
function send(chunks: Buffer[], o: { end?: boolean } = {}) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = () => {
      if (answered || req.destroyed) return;
      const chunk = chunks[sent];
      if (!chunk) return void (o.end === false ? undefined : req.end());
      sent++;
      req.write(chunk, () => setTimeout(pump, 5));
    };
    req.flushHeaders();
    pump();
  });
}

describe('reading a request body', () => {
  it('reads a body whole, whatever the chunks, up to the limit itself', async () => {
    const chunks = [Buffer.alloc(1, 'a'), Buffer.alloc(LIMIT - 2, 'b'), Buffer.alloc(1, 'c')];
    const answer = await send(chunks);
    expect(answer).toMatchObject({ status: 200, body: String(LIMIT) });
    const last = reads.at(-1);
    expect(last?.ok && last.body.toString()).toBe(`a${'b'.repeat(LIMIT - 2)}c`);
  });

  it('reads an empty body', async () => {
    expect(await send([])).toMatchObject({ status: 200, body: '0' });
  });

  it('refuses a body at the chunk that crosses the limit, before the client has sent the rest', async () => {
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(16 * 1024, 'x'));
    const answer = await send(chunks);
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('too_large');
    // 64 kB are crossed by the fifth chunk of 16 kB; the answer stopped the sending long before the 40th.
    expect(answer.sent).toBeGreaterThanOrEqual(5);
    expect(answer.sent).toBeLessThan(40);
  });

  it('ends the read when the client goes away before the end', async () => {
    const gone = read();
    const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    req.on('error', () => {});
    req.write('part of a body', () => setTimeout(() => req.destroy(), 20));
    expect(await gone).toEqual({ ok: false, reason: 'gone' });
  });
});
