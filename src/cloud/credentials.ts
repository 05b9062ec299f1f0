/**
 * Credentials the way Alibaba Cloud users have them, beyond plain keys in the environment:
 * Alibaba's standard chain (`@alicloud/credentials`) — environment keys, OIDC role for
 * Kubernetes (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE),
 * the profile file (~/.alibabacloud/credentials.ini, ALIBABA_CLOUD_PROFILE), the CLI's config,
 * and the ECS RAM role (ALIBABA_CLOUD_ECS_METADATA) — and an account reached through a RAM role,
 * assumed with the bot's own credentials (`roleCredentialsProvider`). Both renew temporary
 * credentials themselves; pop-core asks before every call through `credentialsProvider`.
 */
import credentialsModule, { RAMRoleARNCredentialsProvider } from '@alicloud/credentials';
import { redactSecrets } from '../observability/redact.js';
import { RoleAssumptionError, type StsHttpRequest, type StsHttpResponse, stsTransport } from './sts.js';
import type { Credentials, CredentialsProvider } from './vpc-client.js';

export { RoleAssumptionError } from './sts.js';

type CredentialClass = new () => {
  getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }>;
};
// The package is CommonJS with `exports.default`: under Node's ESM loader the class sits one level down.
const Credential = ((credentialsModule as unknown as { default?: CredentialClass }).default ??
  credentialsModule) as unknown as CredentialClass;

/** Environment variables that select a source of the chain; any of them means "use the chain". */
export const CHAIN_VARIABLES = [
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_ECS_METADATA',
  'ALIBABA_CLOUD_PROFILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_URI',
] as const;

export function defaultChainProvider(): CredentialsProvider {
  const chain = new Credential();
  return {
    async getCredentials() {
      const c = await chain.getCredential();
      if (!c.accessKeyId || !c.accessKeySecret) {
        throw new Error('the Alibaba Cloud credential chain found no usable credentials');
      }
      return {
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.accessKeySecret,
        ...(c.securityToken ? { securityToken: c.securityToken } : {}),
      };
    },
  };
}

export interface RoleCredentialsOptions {
  /** `acs:ram::<account id>:role/<role name>`: the role of the account to work in. */
  roleArn: string;
  /** The external id the role's trust policy requires, if any. */
  externalId?: string;
  /**
   * The bot's own credentials, which assume the role: a key pair (the environment's), or a provider
   * such as `defaultChainProvider()`. Asked again at every renewal.
   */
  base: Credentials | CredentialsProvider;
  /**
   * Names the sessions in the role account's ActionTrail.
   * @defaultValue `gateway-bot`
   */
  roleSessionName?: string;
  /**
   * How long each set of credentials lasts, 900 s or more (up to the role's MaxSessionDuration).
   * @defaultValue 3600
   */
  durationSeconds?: number;
  /**
   * STS's host[:port], for a private endpoint or a test's STS. Unset: the library's choice,
   * `sts.aliyuncs.com` (or `sts[-vpc].<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com`). Always HTTPS.
   */
  stsEndpoint?: string;
  /**
   * Certificate authorities to trust for STS besides Node's own (PEM): a private endpoint's, a
   * test's. A process can trust one at start with NODE_EXTRA_CA_CERTS instead.
   */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /**
   * Sees every failed AssumeRole, also a renewal that failed while the last credentials still
   * last (they are used meanwhile, and the failure is not thrown until they have expired).
   */
  onAssumeRoleFailure?: (err: RoleAssumptionError) => void;
}

const STS_ENDPOINT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** The bot's own credentials as the library takes them; a failure to get them names the role. */
function baseProvider(base: RoleCredentialsOptions['base'], roleArn: string) {
  return {
    getProviderName: () => 'gateway-bot',
    async getCredentials() {
      let own: Credentials;
      try {
        own = 'getCredentials' in base ? await base.getCredentials() : base;
      } catch (err) {
        const e = err as { code?: unknown; message?: unknown };
        throw new RoleAssumptionError({
          code: typeof e.code === 'string' ? e.code : 'CredentialsUnavailable',
          roleArn,
          why: `the bot's own credentials, which assume it, are unavailable: ${redactSecrets(String(e.message ?? err))}`,
        });
      }
      return {
        accessKeyId: own.accessKeyId,
        accessKeySecret: own.accessKeySecret,
        securityToken: own.securityToken ?? '',
        providerName: 'gateway-bot',
      };
    },
  };
}

function checkRoleOptions(options: RoleCredentialsOptions): void {
  if (!options.roleArn) throw new Error('a RAM role needs its ARN');
  const duration = options.durationSeconds;
  if (duration !== undefined && !(Number.isInteger(duration) && duration >= 900))
    throw new Error(`durationSeconds must be a whole number of seconds, 900 or more (got ${duration})`);
  if (options.stsEndpoint !== undefined && !STS_ENDPOINT.test(options.stsEndpoint))
    throw new Error(
      `the STS endpoint must be a host or host:port, such as sts-vpc.cn-hangzhou.aliyuncs.com (got ${options.stsEndpoint})`,
    );
}

/**
 * Credentials for an account reached through a RAM role: `@alicloud/credentials`' RAM role
 * provider, assuming the role with the bot's own credentials (`base`). The library renews them
 * 15 minutes before they expire and keeps using the last ones while a renewal fails; once those
 * have expired, the renewal's failure is thrown rather than calls made with dead credentials.
 * Every failure is a RoleAssumptionError (sts.ts): the role, STS's code, what to check, and no key,
 * token or signature.
 */
export function roleCredentialsProvider(options: RoleCredentialsOptions): CredentialsProvider {
  checkRoleOptions(options);
  const { roleArn } = options;
  let issued: { accessKeyId: string; expiresAt: number } | undefined;
  let failure: RoleAssumptionError | undefined;
  let builder = RAMRoleARNCredentialsProvider.builder()
    .withCredentialsProvider(baseProvider(options.base, roleArn))
    .withRoleArn(roleArn)
    .withRoleSessionName(options.roleSessionName ?? 'gateway-bot')
    .withDurationSeconds(options.durationSeconds ?? 3600);
  if (options.externalId !== undefined) builder = builder.withExternalId(options.externalId);
  if (options.stsEndpoint !== undefined) builder = builder.withStsEndpoint(options.stsEndpoint);
  const provider = builder.build();
  // The library keeps its sender in a property meant for replacing (its tests mock it there).
  const slot = provider as unknown as { doRequest?: (req: StsHttpRequest) => Promise<StsHttpResponse> };
  if (typeof slot.doRequest !== 'function')
    throw new Error(
      '@alicloud/credentials no longer lets its STS request be sent by the bot: check its RAM role provider',
    );
  slot.doRequest = stsTransport({
    roleArn,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    onIssued: (latest) => {
      issued = latest;
      failure = undefined;
    },
    onFailure: (err) => {
      failure = err;
      options.onAssumeRoleFailure?.(err);
    },
  });
  return {
    async getCredentials() {
      let c: { accessKeyId: string; accessKeySecret: string; securityToken: string };
      try {
        c = await provider.getCredentials();
      } catch (err) {
        if (err instanceof RoleAssumptionError) throw err;
        // The library's own words may quote STS's answer, credentials and all: none of them here.
        throw new RoleAssumptionError({
          code: 'InvalidStsResponse',
          roleArn,
          why: 'STS answered without usable credentials',
        });
      }
      if (failure && issued?.accessKeyId === c.accessKeyId && Date.now() >= issued.expiresAt) throw failure;
      return {
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.accessKeySecret,
        securityToken: c.securityToken,
      };
    },
  };
}
