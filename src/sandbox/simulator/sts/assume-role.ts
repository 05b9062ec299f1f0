/**
 * STS's AssumeRole (API version 2015-04-01), written from Alibaba's AssumeRole reference: the
 * parameters it takes and how it refuses them (`Missing…`, `InvalidParameter.…`), who may assume a
 * role (its trust policy: the accounts it trusts and the external id it requires, else
 * `NoPermission`), an unknown role (`EntityNotExist.Role`), and its answer: the assumed-role user
 * and temporary credentials that open the role's account only, until `Expiration`.
 *
 * A session policy (`Policy`) is checked for size and shape but not applied: the simulator grants
 * every action to every key of an account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { requestId } from '../actions/common.js';
import { missing, SimError } from '../errors.js';
import type { AccessKey, TemporaryKey } from '../keys.js';

export const STS_API_VERSION = '2015-04-01';
/** DurationSeconds: at least 900; at most the role's MaxSessionDuration, 3600 unless set; 3600 by default. */
export const MIN_DURATION_SECONDS = 900;
export const DEFAULT_DURATION_SECONDS = 3600;
/** `acs:ram::<account id>:role/<role name>`; RAM role names are 1 to 64 letters, digits, `.` and `-`. */
export const ROLE_ARN = /^acs:ram::(\d{1,32}):role\/([A-Za-z0-9.-]{1,64})$/;
/** 2 to 64 letters, digits, `.`, `@`, `-` and `_`. */
const ROLE_SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
/** 2 to 1224 letters, digits and `= , . @ : / - _`. */
const EXTERNAL_ID = /^[A-Za-z0-9_=,.@:/-]{2,1224}$/;
/** A session policy: at most 2048 bytes. */
const MAX_POLICY_BYTES = 2048;

/** A RAM role as the STS knows it: which account it belongs to, and its trust policy. */
export interface StsRole {
  /** `acs:ram::<account id>:role/<role name>`. */
  arn: string;
  /** The simulator account it belongs to: its credentials open that account, and no other. */
  account: string;
  /** The external id its trust policy requires (`sts:ExternalId`); none by default. */
  externalId?: string;
  /** The accounts whose keys it trusts (its trust policy's principals); every account by default. */
  trustedAccounts?: readonly string[];
  /** MaxSessionDuration, the longest DurationSeconds allowed: 3600 by default (Alibaba: up to 43200). */
  maxSessionDurationSeconds?: number;
}

/** What the STS was asked, as its log keeps it: never a key, a token or a policy's text. */
export interface AssumeRoleAsked {
  roleArn?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  externalId?: string;
  policy: boolean;
}

export interface AssumedRole {
  /** AssumeRole's answer, as Alibaba sends it. */
  body: Record<string, unknown>;
  /** The credentials it hands out, for the simulator to accept. */
  key: TemporaryKey;
}

const NO_PERMISSION = () =>
  new SimError(
    'NoPermission',
    403,
    'You are not authorized to do this action. You should be authorized by RAM.',
  );

export function askedOf(p: Readonly<Record<string, string>>): AssumeRoleAsked {
  const duration = Number(p.DurationSeconds);
  return {
    ...(p.RoleArn !== undefined ? { roleArn: p.RoleArn } : {}),
    ...(p.RoleSessionName !== undefined ? { roleSessionName: p.RoleSessionName } : {}),
    ...(Number.isInteger(duration) ? { durationSeconds: duration } : {}),
    ...(p.ExternalId !== undefined ? { externalId: p.ExternalId } : {}),
    policy: p.Policy !== undefined,
  };
}

/** The session policy, when given: within the size limit, and a policy document's shape. */
function checkPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  if (Buffer.byteLength(policy) > MAX_POLICY_BYTES)
    throw new SimError(
      'InvalidParameter.PolicySize',
      400,
      'The size of Policy must be smaller than 2048 bytes.',
    );
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    doc = undefined;
  }
  const statements = (doc as { Statement?: unknown } | undefined)?.Statement;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(statements) || statements.length === 0)
    throw new SimError(
      'InvalidParameter.PolicyGrammar',
      400,
      'The parameter Policy has not passed grammar check.',
    );
}

const durationError = () =>
  new SimError('InvalidParameter.DurationSeconds', 400, 'The Min/Max value of DurationSeconds is 15min/1hr.');

/** The parameters, checked as Alibaba checks them before it looks at the role. */
function readParams(p: Readonly<Record<string, string>>) {
  const roleArn = p.RoleArn;
  if (!roleArn) throw missing('RoleArn');
  if (!ROLE_ARN.test(roleArn))
    throw new SimError('InvalidParameter.RoleArn', 400, 'The parameter RoleArn is wrongly formed.');
  const session = p.RoleSessionName;
  if (!session) throw missing('RoleSessionName');
  if (!ROLE_SESSION_NAME.test(session))
    throw new SimError(
      'InvalidParameter.RoleSessionName',
      400,
      'The parameter RoleSessionName is wrongly formed.',
    );
  const duration = p.DurationSeconds === undefined ? DEFAULT_DURATION_SECONDS : Number(p.DurationSeconds);
  if (!Number.isInteger(duration) || duration < MIN_DURATION_SECONDS) throw durationError();
  if (p.ExternalId !== undefined && !EXTERNAL_ID.test(p.ExternalId))
    throw new SimError('InvalidParameter.ExternalId', 400, 'The parameter ExternalId is wrongly formed.');
  checkPolicy(p.Policy);
  return { roleArn, session, duration, externalId: p.ExternalId };
}

/** Alibaba's `Expiration`: UTC to the second, `2015-04-09T11:52:19Z`. */
const expirationText = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Random letters and digits, as STS's keys are made of. */
function randomText(length: number): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return [...randomBytes(length)].map((b) => letters[b % letters.length]).join('');
}

/**
 * Assumes the role the request names for the caller (the key that signed it), or throws Alibaba's
 * error. `findRole` knows the roles that exist; `rules` says which are refused for now, an expiry
 * imposed whatever DurationSeconds asks (ms, if any), and the time.
 */
export function assumeRole(
  p: Readonly<Record<string, string>>,
  caller: AccessKey,
  findRole: (arn: string) => StsRole | undefined,
  rules: { refused: (arn: string) => boolean; expiresAt?: number | undefined; now: number },
): AssumedRole {
  const { roleArn, session, duration, externalId } = readParams(p);
  const role = findRole(roleArn);
  if (!role) throw new SimError('EntityNotExist.Role', 404, 'The specified Role not exists .');
  if (duration > (role.maxSessionDurationSeconds ?? DEFAULT_DURATION_SECONDS)) throw durationError();
  const trusted = role.trustedAccounts === undefined || role.trustedAccounts.includes(caller.account);
  // A wrong or missing external id fails the trust policy's condition: the same refusal.
  if (!trusted || rules.refused(roleArn) || (role.externalId !== undefined && externalId !== role.externalId))
    throw NO_PERMISSION();
  // Whole seconds, as `Expiration` says it: the simulator refuses the token from that very second.
  const expiresAt = Math.floor((rules.expiresAt ?? rules.now + duration * 1000) / 1000) * 1000;
  const [, accountId, roleName] = ROLE_ARN.exec(roleArn) as RegExpExecArray;
  const roleId = BigInt(`0x${createHash('sha256').update(roleArn).digest('hex').slice(0, 14)}`).toString();
  const key: TemporaryKey = {
    account: role.account,
    accessKeyId: `STS.${randomText(25)}`,
    accessKeySecret: randomText(44),
    securityToken: `CAIS${randomBytes(240).toString('base64')}`,
    expiresAt,
  };
  return {
    key,
    body: {
      RequestId: requestId(),
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${session}`,
        Arn: `acs:ram::${accountId}:role/${roleName?.toLowerCase()}/${session}`,
      },
      Credentials: {
        SecurityToken: key.securityToken,
        Expiration: expirationText(expiresAt),
        AccessKeySecret: key.accessKeySecret,
        AccessKeyId: key.accessKeyId,
      },
    },
  };
}
