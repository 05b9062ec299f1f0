/**
 * The simulator's HTTP answers: JSON as Alibaba's gateway sends it, its error body (for the VPC
 * API, or another service such as the STS), and request bodies read with a limit.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../server/body.js';
import { SimError } from './errors.js';

/** The service an error body names: its host (`HostId`) and product (in `Recommend`). */
export interface ServiceName {
  host: string;
  product: string;
}

export const VPC_SERVICE: ServiceName = { host: 'vpc.aliyuncs.com', product: 'Vpc' };
/** The simulator's own bound: far beyond any call of the VPC API. */
const MAX_BODY = 1_000_000;

/**
 * The body as text. One past MAX_BODY is refused at the byte that crosses it, as a bad parameter
 * (how Alibaba's gateway answers one), and the connection is closed after the answer.
 */
export async function readText(req: IncomingMessage, res: ServerResponse): Promise<string> {
  const read = await readBody(req, { limitBytes: MAX_BODY });
  if (read.ok) return read.body.toString('utf8');
  res.setHeader('connection', 'close');
  throw new SimError(
    'InvalidParameter',
    400,
    read.reason === 'too_large' ? 'The request body is too large.' : 'The request body did not arrive.',
  );
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Alibaba's error body: `{RequestId, HostId, Code, Message, Recommend}`. */
export function sendError(res: ServerResponse, err: SimError, service: ServiceName = VPC_SERVICE): void {
  const requestId = randomUUID().toUpperCase();
  json(res, err.status, {
    RequestId: requestId,
    HostId: service.host,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${service.product}&requestId=${requestId}`,
  });
}

/** The call's parameters: the query string's, and a POST's form body's over them. */
export function paramsOf(req: IncomingMessage, method: string, body: string): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(
    new URL(req.url ?? '/', 'http://simulator').searchParams,
  );
  if (method === 'POST') for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  return params;
}
