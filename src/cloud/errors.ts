/**
 * One error type for every way a cloud call can fail: a cloud error code, an HTTP status, a
 * non-JSON body, a timeout, a socket error. It carries the code, the HTTP status, the cloud
 * RequestId, whether retrying can help (docs/architecture.md, "Cloud errors and retries"), and an
 * explanation for people.
 *
 * pop-core's own errors put the full request URL in their message (with the signature and any
 * STS token for GET requests), so nothing of the original error is kept but its name, its code
 * and a redacted message.
 */
import { inspect } from 'node:util';
import type { Locale } from '../i18n/index.js';
import { redactSecrets } from '../observability/redact.js';
import { messageFor } from './error-messages.js';
import { RoleAssumptionError } from './sts.js';

export { redactSecrets } from '../observability/redact.js';

export { CLOUD_ERROR_MESSAGES, messageFor } from './error-messages.js';

const NEVER_RETRY = [
  /^IdempotentParameterMismatch$/,
  /^Forbidden/,
  /^Forbbiden/,
  /^Invalid/,
  /^Missing/,
  /^Resource\.QuotaFull$/,
  /^SignatureDoesNotMatch$/,
];
const RETRY = [
  /Throttling/,
  /ServiceUnavailable/,
  /InternalError/,
  /OperationConflict/,
  /\.Configuring$/,
  /TaskConflict/,
  // Another task of the VPN gateway is running (Alibaba's Terraform provider retries it on ModifyVpnConnectionAttribute).
  /^VpnTask\.CONFLICT$/,
];
const TRANSPORT_CODES = new Set(['RequestTimeout', 'ConnectionError', 'NonJsonResponse']);

/**
 * The retry rules (docs/architecture.md, "Cloud errors and retries"). Transport failures and 5xx
 * are worth retrying (the ClientToken makes a
 * repeat safe); listed codes never are. Anything else answered with a 4xx is not retried either:
 * Alibaba says a 4xx will not succeed on retry unless its message says to try later.
 */
export function isRetryable(code: string, httpStatus?: number): boolean {
  if (TRANSPORT_CODES.has(code)) return true;
  if (NEVER_RETRY.some((p) => p.test(code))) return false;
  if (RETRY.some((p) => p.test(code))) return true;
  return httpStatus !== undefined && httpStatus >= 500;
}

export interface CloudErrorInit {
  code: string;
  action: string;
  httpStatus?: number;
  requestId?: string;
  /** The cloud's own message, redacted. */
  cloudMessage?: string;
  cause?: { name: string; code?: string; message: string };
  /** Whether trying again can help, where the code alone does not say. @defaultValue from the code */
  retryable?: boolean;
}

export class CloudError extends Error {
  readonly code: string;
  readonly action: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly cloudMessage?: string;
  override readonly cause?: { name: string; code?: string; message: string };

  constructor(init: CloudErrorInit) {
    const base = `${init.action} failed: ${init.code}${init.httpStatus ? ` (HTTP ${init.httpStatus})` : ''}${
      init.requestId ? `, RequestId ${init.requestId}` : ''
    }`;
    super(init.cloudMessage ? `${base}: ${init.cloudMessage}` : base);
    this.name = 'CloudError';
    this.code = init.code;
    this.action = init.action;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.cloudMessage !== undefined) this.cloudMessage = init.cloudMessage;
    if (init.cause) this.cause = init.cause;
    this.retryable = init.retryable ?? isRetryable(init.code, init.httpStatus);
  }

  /** What happened and what to do, for people, in their language. */
  explain(locale: Locale): { what: string; todo: string } {
    const m = messageFor(this.code, this.httpStatus);
    return { what: m.what[locale], todo: m.todo[locale] };
  }

  toJSON() {
    return {
      name: this.name,
      code: this.code,
      action: this.action,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      retryable: this.retryable,
      message: this.message,
    };
  }

  [inspect.custom]() {
    return `CloudError ${JSON.stringify(this.toJSON())}`;
  }
}

interface PopCoreError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  data?: { RequestId?: unknown; Code?: unknown; Message?: unknown };
  entry?: { response?: { statusCode?: unknown } };
}

/** Classifies anything a cloud call threw (pop-core, httpx, the socket) as a CloudError. */
/**
 * A RAM role that could not be assumed, as the call that needed it failed: `AssumeRole.<STS's code>`
 * (or the socket's), worth retrying only when STS could not be reached or was busy. Its message
 * names the role and what to check, and holds no key, token or signature (sts.ts).
 */
function roleFailure(err: RoleAssumptionError, action: string): CloudError {
  const transient = /^E[A-Z]+$/.test(err.code) || isRetryable(err.code, err.httpStatus);
  return new CloudError({
    code: `AssumeRole.${err.code}`,
    action,
    ...(err.requestId ? { requestId: err.requestId } : {}),
    cloudMessage: err.message,
    cause: { name: err.name, code: err.code, message: err.message },
    retryable: transient,
  });
}

export function toCloudError(
  err: unknown,
  action: string,
  secrets: readonly (string | undefined)[] = [],
): CloudError {
  if (err instanceof CloudError) return err;
  if (err instanceof RoleAssumptionError) return roleFailure(err, action);
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as PopCoreError;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  const cause = {
    name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    message: redactSecrets(rawMessage, secrets),
  };
  const status = typeof e.entry?.response?.statusCode === 'number' ? e.entry.response.statusCode : undefined;
  if (e.data && typeof e.data.Code === 'string') {
    return new CloudError({
      code: e.data.Code,
      action,
      ...(status !== undefined ? { httpStatus: status } : {}),
      ...(typeof e.data.RequestId === 'string' ? { requestId: e.data.RequestId } : {}),
      ...(typeof e.data.Message === 'string' ? { cloudMessage: redactSecrets(e.data.Message, secrets) } : {}),
      cause,
    });
  }
  if (name.includes('Timeout') || e.code === 'ETIMEDOUT' || e.code === 'ESOCKETTIMEDOUT') {
    return new CloudError({ code: 'RequestTimeout', action, cause });
  }
  // json-bigint (inside pop-core) throws a plain object named SyntaxError, not a SyntaxError.
  if (err instanceof SyntaxError || name === 'SyntaxError')
    return new CloudError({ code: 'NonJsonResponse', action, cause });
  const socketCodes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
  ];
  if (typeof e.code === 'string' && socketCodes.includes(e.code)) {
    return new CloudError({ code: 'ConnectionError', action, cause });
  }
  if (/socket hang up|ECONNRESET/i.test(rawMessage))
    return new CloudError({ code: 'ConnectionError', action, cause });
  return new CloudError({ code: typeof e.code === 'string' ? e.code : 'UnknownError', action, cause });
}
