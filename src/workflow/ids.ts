/**
 * Request ids: generated once at submission and used as the record key, the BullMQ job id and
 * the Alibaba ClientToken. URL-safe, no `:` (BullMQ refuses it in job ids), at most 64 ASCII
 * characters (the ClientToken limit), and short enough to type in `/gateway status`.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32: no i, l, o, u.
const ID_PATTERN = /^gw-\d{8}-[0-9a-hjkmnp-tv-z]{10}$/;

/**
 * A new id; with a seed (such as the Slack view id of a submission) the same seed always gives
 * the same id, so a retried delivery of one submission cannot create a second request.
 */
export function newRequestId(now: Date = new Date(), seed?: string): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const bytes =
    seed === undefined ? randomBytes(10) : createHash('sha256').update(seed).digest().subarray(0, 10);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % 32];
  return `gw-${day}-${suffix}`;
}

export function isRequestId(value: string): boolean {
  return ID_PATTERN.test(value);
}
