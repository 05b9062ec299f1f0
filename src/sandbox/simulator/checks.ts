/**
 * The checks Alibaba's API gateway makes before any action runs, in its order: common parameters
 * present, timestamp well-formed and within 15 minutes, AccessKeyId known, signature matching,
 * security token (when the key requires one) matching and not expired, nonce unused, version and
 * action known. Each failure is the gateway's own error code and HTTP status. The VPC API and the
 * STS (sts/) are both checked here: they sign and refuse alike, and differ in version and actions.
 */

import { SimError } from './errors.js';
import type { AccessKey } from './keys.js';
import { signRpc } from './signature.js';

/** Alibaba refuses a request whose Timestamp is further than this from its own time. */
export const MAX_SKEW_MS = 15 * 60_000;
export const API_VERSION = '2016-04-28';

/** The API a request is for: its one version, and the actions it has. */
export interface ApiSpec {
  version: string;
  known(action: string): boolean;
}

/** What passed the checks: the action asked for, and the key that signed it (its account answers). */
export interface CheckedRequest {
  action: string;
  key: AccessKey;
}

/** `Format` is optional (Alibaba defaults it to XML; the simulator always answers JSON). */
const REQUIRED = [
  'AccessKeyId',
  'Action',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
  'Version',
  'Signature',
] as const;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Milliseconds for an ISO 8601 UTC timestamp without fractions, or undefined (a 30 February too). */
function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(at).toISOString().slice(0, 19) === text.slice(0, 19) ? at : undefined;
}

/** A required token is present, is the key's own, and has not expired. */
function checkSecurityToken(params: Readonly<Record<string, string>>, key: AccessKey, now: number): void {
  if (key.securityToken === undefined) return;
  if (!params.SecurityToken) throw new SimError('MissingSecurityToken', 400, 'SecurityToken is mandatory.');
  if (params.SecurityToken !== key.securityToken)
    throw new SimError(
      'InvalidSecurityToken.MismatchWithAccessKey',
      400,
      'Specified SecurityToken mismatch with the AccessKey.',
    );
  // Alibaba's pages give this code 400 (the public gateway table) or 403 (newer API references);
  // the simulator keeps the gateway table's 400, as for the other token errors.
  if (key.expiresAt !== undefined && now >= key.expiresAt)
    throw new SimError('InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.');
}

/**
 * Checks one request as received (`params` includes `Signature`; `method` as sent, which the
 * signature covers) and returns its action, which `api` must know, and the key that signed it
 * (`keys` finds a key by its AccessKeyId). `nonces` remembers used nonces until they could no
 * longer pass the timestamp check. Times are real time (`now`), not the simulator's clock: the
 * client signs with its wall clock, and STS tokens expire on it.
 */
export function checkRequest(
  method: string,
  params: Readonly<Record<string, string>>,
  keys: (accessKeyId: string) => AccessKey | undefined,
  nonces: Map<string, number>,
  api: ApiSpec,
  now: number = Date.now(),
): CheckedRequest {
  for (const name of REQUIRED) {
    if (!params[name]) throw new SimError(`Missing${name}`, 400, `${name} is mandatory for this action.`);
  }
  const at = parseTimestamp(params.Timestamp as string);
  if (at === undefined)
    throw new SimError(
      'InvalidTimeStamp.Format',
      400,
      'Specified time stamp or date value is not well formatted.',
    );
  if (Math.abs(now - at) > MAX_SKEW_MS)
    throw new SimError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.');
  const key = keys(params.AccessKeyId as string);
  if (!key) throw new SimError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
  if (params.SignatureMethod !== 'HMAC-SHA1')
    throw new SimError('InvalidSignatureMethod', 400, 'Specified signature method is not supported.');
  if (params.SignatureVersion !== '1.0')
    throw new SimError('InvalidSignatureVersion', 400, 'Specified signature version is not supported.');
  if (signRpc(method, params, key.accessKeySecret) !== params.Signature)
    throw new SimError(
      'SignatureDoesNotMatch',
      400,
      'Specified signature is not matched with our calculation.',
    );
  checkSecurityToken(params, key, now);
  const nonce = params.SignatureNonce as string;
  // Insertion order is roughly expiry order: sweep from the oldest until one is still live.
  for (const [n, forgetAt] of nonces) {
    if (forgetAt >= now) break;
    nonces.delete(n);
  }
  if (nonces.has(nonce))
    throw new SimError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
  // A nonce can be replayed only with its timestamp, which expires MAX_SKEW_MS after `at`.
  nonces.set(nonce, at + MAX_SKEW_MS);
  if (params.Version !== api.version)
    throw new SimError('InvalidVersion', 400, 'Specified parameter Version is not valid.');
  const action = params.Action as string;
  if (!api.known(action))
    throw new SimError('InvalidApi.NotFound', 404, `Specified api ${action} is not found.`);
  return { action, key };
}
