/** The simulator's HTTP answers: JSON as Alibaba's gateway sends it, its error body, and request bodies read with a limit. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimError } from './errors.js';

const HOST_ID = 'vpc.aliyuncs.com';
const MAX_BODY = 1_000_000;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY
        ? reject(new SimError('InvalidParameter', 400, 'The request body is too large.'))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Alibaba's error body. */
export function sendError(res: ServerResponse, err: SimError): void {
  const requestId = randomUUID().toUpperCase();
  json(res, err.status, {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Vpc&requestId=${requestId}`,
  });
}
