/**
 * A modal's `private_metadata` (the channel a request is posted in, the request a reject reason
 * is for) travels through the user's Slack client and comes back with the submission, so it is
 * signed: an HMAC-SHA256 under a key derived from the bot's own configuration. Anything altered,
 * forged or built by another installation is refused as stale.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export interface MetadataSigner {
  sign(data: object): string;
  /** The signed data, or undefined when the signature does not match. */
  verify(raw: string | undefined): unknown;
}

export function metadataSigner(secret: string): MetadataSigner {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'gateway-bot private_metadata', 32));
  const mac = (body: string) => createHmac('sha256', key).update(body).digest().subarray(0, 16);
  return {
    sign(data) {
      const body = Buffer.from(JSON.stringify(data)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(raw) {
      const [body, signature, extra] = (raw ?? '').split('.');
      if (!body || !signature || extra !== undefined) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}
