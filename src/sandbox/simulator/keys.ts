/**
 * The access keys the simulated cloud accepts, and the account each one opens: every account's own
 * key pair, and the temporary keys its STS issues for a RAM role (an AccessKeyId, a secret and a
 * SecurityToken, until they expire). Alibaba answers a request in the main account its key belongs
 * to, so a request is answered in its key's account: a key never sees or changes another
 * account's gateways, connections, ClientTokens, quotas or rate-limit windows.
 */

export interface AccessKey {
  /** The account the key opens. */
  account: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Required with every request the key signs (STS credentials carry one). */
  securityToken?: string;
  /** Real time (ms since the epoch) from which the token is refused as expired. */
  expiresAt?: number;
}

/** A key issued by STS: it always comes with a token and an expiry. */
export type TemporaryKey = Required<AccessKey>;

/** An account the simulator serves, as its options and `SIMULATOR_ACCOUNTS` name it. */
export interface SimulatorAccount {
  /** How the inspection API and the STS's roles name it. */
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, the key pair is accepted only with this SecurityToken (as STS credentials are). */
  securityToken?: string;
}

/** 1 to 64 letters, digits, `.`, `_` and `-`: safe in a query string and a log line. */
export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class AccessKeys {
  private readonly byId = new Map<string, AccessKey>();

  constructor(private readonly accounts: ReadonlySet<string>) {}

  /** Adds a key; throws for an account the simulator does not serve or an AccessKeyId already taken. */
  add(key: AccessKey): void {
    if (!this.accounts.has(key.account)) throw new Error(`the simulator serves no account ${key.account}`);
    if (this.byId.has(key.accessKeyId)) throw new Error(`the AccessKeyId ${key.accessKeyId} is taken`);
    this.byId.set(key.accessKeyId, { ...key });
  }

  /**
   * The key with this id. Expired temporary keys stay, so that they are refused as expired rather
   * than as unknown, as Alibaba refuses them.
   */
  find(accessKeyId: string): AccessKey | undefined {
    return this.byId.get(accessKeyId);
  }
}

/** Checks the accounts a simulator is started with: at least one, names well formed and distinct. */
export function checkAccounts(accounts: readonly SimulatorAccount[]): void {
  if (accounts.length === 0) throw new Error('give the simulator at least one account');
  const names = new Set<string>();
  for (const { name } of accounts) {
    if (!ACCOUNT_NAME.test(name))
      throw new Error(`the account name "${name}" must be 1 to 64 letters, digits, ".", "_" or "-"`);
    if (names.has(name)) throw new Error(`the account name ${name} is given twice`);
    names.add(name);
  }
}
