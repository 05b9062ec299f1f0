/**
 * Alibaba Cloud RPC request signing, SignatureVersion 1.0 (HMAC-SHA1), written from Alibaba's
 * documentation: the simulator checks what clients send with it, exactly as the cloud's gateway
 * does. (The bot itself signs through pop-core.) Known answers from Alibaba's documentation and
 * Apache libcloud are in test/sandbox/simulator/signature.test.ts.
 */
import { createHmac } from 'node:crypto';

/** RFC 3986 percent-encoding as Alibaba specifies: unreserved kept, space %20, `*` %2A, upper-case hex. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `k=v` pairs of every parameter but Signature, sorted by name, percent-encoded, joined by `&`. */
export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
}

/** `METHOD&%2F&<percent-encoded canonical query string>`; the method is upper-cased. */
export function stringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQueryString(params))}`;
}

/** Base64 of HMAC-SHA1 over the string to sign, keyed with the secret followed by `&`. */
export function signRpc(
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params)).digest('base64');
}
