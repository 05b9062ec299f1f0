/**
 * Credentials the way Alibaba Cloud users have them, beyond plain keys in the environment:
 * Alibaba's standard chain (`@alicloud/credentials`) — environment keys, OIDC role for
 * Kubernetes (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE),
 * the profile file (~/.alibabacloud/credentials.ini, ALIBABA_CLOUD_PROFILE), the CLI's config,
 * and the ECS RAM role (ALIBABA_CLOUD_ECS_METADATA). The chain renews temporary credentials
 * itself; pop-core asks it before every call through `credentialsProvider`.
 */
import credentialsModule from '@alicloud/credentials';
import type { CredentialsProvider } from './vpc-client.js';

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
