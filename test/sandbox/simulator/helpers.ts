/**
 * Shared by the simulator's tests: pop-core failures as typed errors, and hand-signed raw requests
 * for what pop-core never sends (stale timestamps, reused nonces, missing parameters).
 */
import { randomUUID } from 'node:crypto';
import { signRpc } from '../../../src/sandbox/simulator/signature.js';
import { isPopError, type PopError } from '../../support/simulator.js';

/** The error a pop-core call fails with (the test fails if it succeeds or throws something else). */
export async function popFailure(call: Promise<unknown>): Promise<PopError & { status: number | undefined }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err === undefined) throw new Error('expected the call to fail, it succeeded');
  if (!isPopError(err)) throw err;
  return Object.assign(err, { status: err.entry?.response?.statusCode });
}

/**
 * Whatever a call rejects with: a timeout, a reset socket… Not always an Error: pop-core parses with
 * json-bigint, whose SyntaxError is a plain object `{ name, message, at, text }`.
 */
export async function rejection(
  call: Promise<unknown>,
): Promise<{ name?: string; code?: string; message?: string; text?: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (typeof err !== 'object' || err === null)
    throw new Error(`expected the call to fail, got ${String(err)}`);
  return err as { name?: string; code?: string; message?: string; text?: string };
}

export const timestamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The common parameters pop-core sends, for a raw request. */
export function commonParams(accessKeyId: string, action: string): Record<string, string> {
  return {
    AccessKeyId: accessKeyId,
    Action: action,
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID(),
    SignatureVersion: '1.0',
    Timestamp: timestamp(),
    Version: '2016-04-28',
  };
}

export interface RawAnswer {
  status: number;
  contentType: string | null;
  text: string;
  body: Record<string, unknown>;
}

/** Signs `params` with `secret` (unless `sign` is false) and POSTs them as a form, or GETs them. */
export async function rawRequest(
  url: string,
  params: Record<string, string>,
  secret: string,
  opts: { method?: 'GET' | 'POST'; sign?: boolean } = {},
): Promise<RawAnswer> {
  const method = opts.method ?? 'POST';
  const signed = opts.sign === false ? params : { ...params, Signature: signRpc(method, params, secret) };
  const form = new URLSearchParams(signed).toString();
  const res =
    method === 'POST'
      ? await fetch(`${url}/`, {
          method,
          body: form,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      : await fetch(`${url}/?${form}`);
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the caller looks at `text`.
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, body };
}
