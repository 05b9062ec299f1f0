/**
 * How the bot signs in to each account (ACCOUNTS_FILE): the access key the file names, a RAM role
 * assumed with the bot's own credentials through STS, or the environment's own credentials (the
 * account of a bot without the file). In sandbox mode, each account's key pair in the simulator.
 * One sign-in per account, shared by its clients, so a role is assumed once and renewed once.
 */
import { defaultChainProvider, roleCredentialsProvider } from '../cloud/credentials.js';
import type { Credentials, CredentialsProvider } from '../cloud/index.js';
import type { Account, Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { SimulatorAccount } from './sandbox.js';

export type SignIn = Credentials | { credentialsProvider: CredentialsProvider };

export interface SignInOptions {
  logger: Logger;
  /** In sandbox mode: each account's key pair in the simulator, by account name. */
  sandbox?: readonly SimulatorAccount[];
  /** Certificate authorities to trust for STS besides Node's own (tests; NODE_EXTRA_CA_CERTS in production). */
  stsCa?: string;
}

/** The environment's own credentials: plain keys, or Alibaba's chain. */
function ownCredentials(config: Config): Credentials | CredentialsProvider {
  if (config.cloud.credentials) return { ...config.cloud.credentials };
  if (config.cloud.credentialChain) return defaultChainProvider();
  throw new Error('No cloud credentials: set them, use the credential chain, or VPC_SANDBOX=true');
}

function signInTo(account: Account, config: Config, o: SignInOptions): SignIn {
  if (o.sandbox) {
    const key = o.sandbox.find((k) => k.name === account.name);
    if (!key) throw new Error(`the simulator has no account ${account.name}`);
    return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  }
  const c = account.credentials;
  if (c.kind === 'keys') return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret };
  if (c.kind === 'environment') {
    const own = ownCredentials(config);
    return 'getCredentials' in own ? { credentialsProvider: own } : own;
  }
  const provider = roleCredentialsProvider({
    roleArn: c.roleArn,
    ...(c.externalId ? { externalId: c.externalId } : {}),
    base: ownCredentials(config),
    ...(config.cloud.stsEndpoint ? { stsEndpoint: config.cloud.stsEndpoint } : {}),
    ...(o.stsCa ? { ca: o.stsCa } : {}),
    // Every failed renewal, also one hidden while the last credentials still last.
    onAssumeRoleFailure: (err) =>
      o.logger.warn(
        { account: account.name, role: err.roleArn, code: err.code },
        'could not assume the account’s RAM role',
      ),
  });
  return { credentialsProvider: provider };
}

export interface AccountSignIns {
  /** How the clients of an account sign in. */
  of(account: Account): SignIn;
  /** Signs in to the account now (a role is assumed, or its credentials renewed); throws as a call would. */
  check(account: Account): Promise<void>;
}

export function accountSignIns(config: Config, o: SignInOptions): AccountSignIns {
  const made = new Map<string, SignIn>();
  const of = (account: Account) => {
    let signIn = made.get(account.name);
    if (!signIn) {
      signIn = signInTo(account, config, o);
      made.set(account.name, signIn);
    }
    return signIn;
  };
  return {
    of,
    async check(account) {
      const signIn = of(account);
      if ('credentialsProvider' in signIn) await signIn.credentialsProvider.getCredentials();
    },
  };
}
