/**
 * STS for a RAM role, as the bot talks to it: the HTTPS request `@alicloud/credentials` has signed,
 * sent by the bot itself, and every way it can fail turned into a RoleAssumptionError that says
 * plainly what went wrong (the role, STS's code, what to check) and holds no key, token or
 * signature. The library's own sender cannot be told which certificate authority to trust (a
 * private STS endpoint, the tests' fake STS), and its errors quote the whole signed URL and STS's
 * answer; this one takes a `ca` and keeps both out.
 */
import { request as httpsRequest } from 'node:https';

/** A failed AssumeRole: STS's code (or the socket's), with the role and a plain explanation. */
export class RoleAssumptionError extends Error {
  override name = 'RoleAssumptionError';
  /** STS's error code (`NoPermission`, `EntityNotExist.Role`, …), or the socket's (`ECONNREFUSED`, …). */
  readonly code: string;
  readonly roleArn: string;
  readonly httpStatus?: number;
  readonly requestId?: string;

  constructor(init: { code: string; roleArn: string; why: string; httpStatus?: number; requestId?: string }) {
    const details = [
      init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : '',
      init.requestId ? `RequestId ${init.requestId}` : '',
    ].filter(Boolean);
    super(
      `Could not assume RAM role ${init.roleArn}: ${init.code}${details.length ? ` (${details.join(', ')})` : ''}: ${init.why}`,
    );
    this.code = init.code;
    this.roleArn = init.roleArn;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }
}

/** What each of STS's refusals means for the bot, and what to check. */
const STS_CODES: Readonly<Record<string, string>> = {
  'EntityNotExist.Role': 'the role does not exist; check its ARN',
  NoPermission:
    "the bot's own identity may not assume the role: its RAM policy must allow sts:AssumeRole on it, the role's trust policy must trust the bot's account, and the external id must be the one that policy requires",
  'InvalidParameter.RoleArn': 'the role ARN is not acs:ram::<account id>:role/<role name>',
  'InvalidParameter.ExternalId': 'the external id is malformed (2 to 1224 letters, digits and =,.@:/-_)',
  'InvalidParameter.RoleSessionName': 'the role session name is malformed (2 to 64 letters, digits and .@-_)',
  'InvalidParameter.DurationSeconds':
    "the session duration is under 900 s or over the role's MaxSessionDuration",
  'InvalidAccessKeyId.NotFound': "STS does not know the bot's own AccessKeyId",
  'InvalidAccessKeyId.Inactive': "the bot's own access key is disabled",
  SignatureDoesNotMatch: "STS refused the signature: the bot's own AccessKeySecret is wrong",
  MissingSecurityToken: "the bot's own credentials are temporary and came without their SecurityToken",
  'InvalidSecurityToken.Expired': "the bot's own temporary credentials have expired",
  'InvalidSecurityToken.MismatchWithAccessKey':
    "the bot's own SecurityToken does not belong to its AccessKeyId",
  'InvalidTimeStamp.Expired': "this machine's clock is more than 15 minutes off",
};

/** Socket and TLS failures, by the code Node gives them. */
function transportWhy(code: string, host: string): string {
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code))
    return `the certificate of STS at ${host} is not trusted or not its own`;
  if (code === 'ETIMEDOUT') return `STS at ${host} did not answer in time`;
  return `STS at ${host} could not be reached`;
}

/** The request as `@alicloud/credentials` hands it to its sender (providers/http.ts). */
export interface StsHttpRequest {
  method: string;
  headers: Record<string, string>;
  bodyForm?: Record<string, string>;
  readTimeout?: number;
  connectTimeout?: number;
  toRequestURL(): string;
}

/** The answer as the library reads it. */
export interface StsHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface StsTransportOptions {
  roleArn: string;
  /** Certificate authorities to trust for STS besides Node's own (PEM). */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Sees each credentials STS issues: the AccessKeyId and when it expires (ms). */
  onIssued(issued: { accessKeyId: string; expiresAt: number }): void;
  /** Sees every failed AssumeRole, also those the library hides while an older session lasts. */
  onFailure(err: RoleAssumptionError): void;
}

/** The form body as the library's own sender writes it: names as they are, values URI-encoded. */
const formOf = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');

function send(req: StsHttpRequest, ca: StsTransportOptions['ca']): Promise<StsHttpResponse> {
  const body = req.bodyForm && Object.keys(req.bodyForm).length > 0 ? formOf(req.bodyForm) : undefined;
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      req.toRequestURL(),
      {
        method: req.method,
        headers: {
          ...req.headers,
          ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
        },
        ...(ca !== undefined ? { ca: ca as string | Buffer | (string | Buffer)[] } : {}),
        timeout: (req.connectTimeout ?? 5_000) + (req.readTimeout ?? 10_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** STS's error body (`Code`, `RequestId`), or nothing of it when it is not one. */
function errorBody(body: Buffer): { Code?: unknown; RequestId?: unknown } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function refusal(roleArn: string, res: StsHttpResponse): RoleAssumptionError {
  const { Code, RequestId } = errorBody(res.body);
  // Without STS's own code (a proxy's page), a 5xx is worth retrying and anything else is not.
  const code =
    typeof Code === 'string' ? Code : res.statusCode >= 500 ? 'ServiceUnavailable' : 'InvalidStsResponse';
  return new RoleAssumptionError({
    code,
    roleArn,
    httpStatus: res.statusCode,
    ...(typeof RequestId === 'string' ? { requestId: RequestId } : {}),
    why: STS_CODES[code] ?? `STS refused the request (HTTP ${res.statusCode})`,
  });
}

/** The credentials' AccessKeyId and expiry in a 200 answer, if it holds them. */
function issuedIn(body: Buffer): { accessKeyId: string; expiresAt: number } | undefined {
  const credentials = (errorBody(body) as { Credentials?: { AccessKeyId?: unknown; Expiration?: unknown } })
    .Credentials;
  const expiresAt =
    typeof credentials?.Expiration === 'string' ? Date.parse(credentials.Expiration) : Number.NaN;
  return typeof credentials?.AccessKeyId === 'string' && Number.isFinite(expiresAt)
    ? { accessKeyId: credentials.AccessKeyId, expiresAt }
    : undefined;
}

/**
 * A sender for the library's RAM role provider: the request goes as the library built and signed
 * it; a 200 goes back to the library, anything else becomes a RoleAssumptionError here, so the
 * library never words an error of its own from STS's answer.
 */
export function stsTransport(
  options: StsTransportOptions,
): (req: StsHttpRequest) => Promise<StsHttpResponse> {
  const fail = (err: RoleAssumptionError) => {
    options.onFailure(err);
    return err;
  };
  return async (req) => {
    const host = new URL(req.toRequestURL()).host;
    let res: StsHttpResponse;
    try {
      res = await send(req, options.ca);
    } catch (err) {
      const code =
        typeof (err as { code?: unknown }).code === 'string'
          ? (err as { code: string }).code
          : 'ConnectionError';
      throw fail(new RoleAssumptionError({ code, roleArn: options.roleArn, why: transportWhy(code, host) }));
    }
    if (res.statusCode !== 200) throw fail(refusal(options.roleArn, res));
    const issued = issuedIn(res.body);
    if (issued) options.onIssued(issued);
    return res;
  };
}
