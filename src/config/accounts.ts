/**
 * `ACCOUNTS_FILE`: the Alibaba Cloud accounts the bot works in, each chosen by the Slack channels
 * that may use it. Read and checked at start like every setting: every problem of the file, with
 * its line and column, in one message. Credentials never come from the file itself: it names the
 * environment variables that hold an access key, or a RAM role the bot assumes with its own
 * credentials (through STS).
 *
 *   accounts:
 *     production:                                  a name: lower-case letters, digits and "-"
 *       channels: [C0NETOPS01, C0PRODOPS1]          Slack channel ids that may use it
 *       regions: [cn-hangzhou, cn-shanghai]         optional: the only regions offered
 *       label: { en: Production, zh-CN: 生产 }       optional: how people see it
 *       credentials:
 *         ram_role_arn: acs:ram::1234567890123456:role/gateway-bot
 *         external_id: netops-bot                  optional
 *     staging:
 *       channels: [C0NETOPS01]
 *       credentials:
 *         access_key_id_env: STAGING_ACCESS_KEY_ID
 *         access_key_secret_env: STAGING_ACCESS_KEY_SECRET
 *
 * Without the file there is one account, `default`, with the environment's own credentials, for
 * every channel.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { LOCALES, type Text } from '../i18n/index.js';

/** How the bot signs in to an account. */
export type AccountCredentials =
  /** An access key from the environment variables the file names (their names kept for messages). */
  | { kind: 'keys'; accessKeyId: string; accessKeySecret: string; variables: readonly [string, string] }
  /** A RAM role of the account, assumed through STS with the bot's own credentials. */
  | { kind: 'role'; roleArn: string; externalId?: string }
  /** The environment's own credentials (plain keys or Alibaba's chain): the account without a file. */
  | { kind: 'environment' };

export interface Account {
  /** The name people choose it by (`production`), and the key of everything kept per account. */
  name: string;
  /** How people see it; its name when the file gives none. */
  label?: Text;
  /** Slack channel ids that may use it; `any` for the account of a bot with no accounts file. */
  channels: readonly string[] | 'any';
  /** The only regions offered and searched in it; unset: every region of the account. */
  regions?: readonly string[];
  credentials: AccountCredentials;
}

/** The account of a bot with no accounts file. */
export const DEFAULT_ACCOUNT: Account = {
  name: 'default',
  channels: 'any',
  credentials: { kind: 'environment' },
};

export type Env = Readonly<Record<string, string | undefined>>;

const ACCOUNT_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** A public or private channel id (`C…`, `G…`). */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const REGION_ID = /^[a-z]{2,}-[a-z0-9-]{2,40}$/;
/** `acs:ram::<account uid>:role/<role name>`, as RAM shows a role's ARN. */
const ROLE_ARN = /^acs:ram::\d{1,32}:role\/[A-Za-z0-9._-]{1,64}$/;
/** STS's ExternalId: 2–1224 characters of letters, digits and `=,.@:/-_`. */
const EXTERNAL_ID = /^[A-Za-z0-9=,.@:/_-]{2,1224}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ACCOUNT_FIELDS = ['channels', 'regions', 'label', 'credentials'] as const;
const CREDENTIAL_FIELDS = [
  'access_key_id_env',
  'access_key_secret_env',
  'ram_role_arn',
  'external_id',
] as const;
/** Far more than any team has; a file past it is a mistake (and bounded work at start). */
const MAX_ACCOUNTS = 100;

export interface AccountsProblem {
  line: number;
  column: number;
  message: string;
}

/** Every problem of an accounts file, each `FILE:LINE:COLUMN: what and how to fix it`. */
export class AccountsError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, issues: readonly AccountsProblem[]) {
    const problems = [...issues]
      .sort((a, b) => a.line - b.line || a.column - b.column)
      .map((p) => `${source}:${p.line}:${p.column}: ${p.message}`);
    super(
      `Accounts file ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'AccountsError';
    this.problems = problems;
  }
}

/** Reads and checks an accounts file against the environment it names; throws an AccountsError. */
export function loadAccountsFile(path: string, env: Env): Account[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new AccountsError(path, [{ line: 1, column: 1, message: `ACCOUNTS_FILE cannot be read (${why})` }]);
  }
  return parseAccounts(text, path, env);
}

/** The accounts of a file's text; `source` names it in messages. Throws an AccountsError. */
export function parseAccounts(text: string, source: string, env: Env): Account[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problems: AccountsProblem[] = [];
  const report = (node: Node | null | undefined, message: string) => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    problems.push({ line: Math.max(line, 1), column: col, message });
  };
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    problems.push({
      line: Math.max(line, 1),
      column: col,
      message: `not valid YAML: ${error.message.split('\n')[0]}`,
    });
  }
  if (problems.length > 0) throw new AccountsError(source, problems);
  const root = doc.contents;
  const top = isMap(root) ? root : undefined;
  if (!top) {
    report(root, 'the file must be a map with one key, `accounts`');
    throw new AccountsError(source, problems);
  }
  checkKeys(top, ['accounts'], 'the file', report);
  const list = top.get('accounts', true) as Node | undefined;
  if (!isMap(list) || list.items.length === 0) {
    report(
      list ?? top,
      '`accounts` must be a map from an account name to its settings, with at least one account',
    );
    throw new AccountsError(source, problems);
  }
  if (list.items.length > MAX_ACCOUNTS) report(list, `at most ${MAX_ACCOUNTS} accounts`);
  const accounts: Account[] = [];
  const seen = new Set<string>();
  for (const pair of list.items) {
    const nameNode = pair.key as Node;
    const name = isScalar(nameNode) ? String(nameNode.value) : '';
    if (!ACCOUNT_NAME.test(name)) {
      report(
        nameNode,
        `"${name}" is not an account name: use lower-case letters, digits and "-", starting with a letter (at most 32)`,
      );
      continue;
    }
    if (seen.has(name)) report(nameNode, `account ${name} is given twice`);
    seen.add(name);
    const account = readAccount(name, pair.value as Node | null, env, report);
    if (account) accounts.push(account);
  }
  if (problems.length > 0) throw new AccountsError(source, problems);
  return accounts;
}

type Report = (node: Node | null | undefined, message: string) => void;

function checkKeys(map: YAMLMap, known: readonly string[], where: string, report: Report): void {
  const seen = new Set<string>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!known.includes(key))
      report(pair.key as Node, `${where}: unknown key "${key}" (known: ${known.join(', ')})`);
    else if (seen.has(key)) report(pair.key as Node, `${where}: "${key}" is given twice`);
    seen.add(key);
  }
}

/** A list of strings each matching `pattern`, or undefined after reporting what is wrong. */
function stringList(
  node: Node | undefined,
  what: string,
  pattern: RegExp,
  report: Report,
): string[] | undefined {
  if (!isSeq(node) || node.items.length === 0) {
    report(
      node,
      `${what} must be a list with at least one entry, such as [${what === 'regions' ? 'cn-hangzhou' : 'C0NETOPS01'}]`,
    );
    return undefined;
  }
  const values: string[] = [];
  for (const item of node.items) {
    const value = isScalar(item) ? String(item.value) : '';
    if (!pattern.test(value))
      report(
        item as Node,
        `"${value}" is not ${what === 'regions' ? 'a region id such as cn-hangzhou' : 'a Slack channel id such as C0NETOPS01 (in Slack: the channel name → "Channel ID")'}`,
      );
    else values.push(value);
  }
  return [...new Set(values)];
}

function readLabel(node: Node | undefined, report: Report): Text | undefined {
  if (node === undefined) return undefined;
  if (!isMap(node)) {
    report(node, 'label must be a map with a text per language: { en: Production, zh-CN: 生产 }');
    return undefined;
  }
  checkKeys(node, LOCALES, 'label', report);
  const texts = LOCALES.map((locale) => node.get(locale));
  if (texts.some((t) => typeof t !== 'string' || t.trim() === '' || t.length > 60)) {
    report(node, `label needs a text of 1 to 60 characters for each language (${LOCALES.join(', ')})`);
    return undefined;
  }
  return { en: String(texts[0]), 'zh-CN': String(texts[1]) };
}

function readCredentials(
  name: string,
  node: Node | undefined,
  env: Env,
  report: Report,
): AccountCredentials | undefined {
  const where = `account ${name}: credentials`;
  if (!isMap(node)) {
    report(
      node,
      `${where} must be { access_key_id_env, access_key_secret_env } or { ram_role_arn, external_id }`,
    );
    return undefined;
  }
  checkKeys(node, CREDENTIAL_FIELDS, where, report);
  const get = (key: string) => {
    const value = node.get(key);
    return value === undefined || value === null ? undefined : String(value);
  };
  const roleArn = get('ram_role_arn');
  const idVar = get('access_key_id_env');
  const secretVar = get('access_key_secret_env');
  if (roleArn !== undefined && (idVar !== undefined || secretVar !== undefined)) {
    report(node, `${where}: give either a RAM role or the variables of an access key, not both`);
    return undefined;
  }
  if (roleArn !== undefined) {
    const externalId = get('external_id');
    let ok = true;
    if (!ROLE_ARN.test(roleArn)) {
      report(
        node.get('ram_role_arn', true) as Node,
        `${where}: "${roleArn}" is not a RAM role ARN such as acs:ram::1234567890123456:role/gateway-bot`,
      );
      ok = false;
    }
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
      report(
        node.get('external_id', true) as Node,
        `${where}: external_id must be 2 to 1224 letters, digits or =,.@:/-_`,
      );
      ok = false;
    }
    return ok ? { kind: 'role', roleArn, ...(externalId !== undefined ? { externalId } : {}) } : undefined;
  }
  if (get('external_id') !== undefined) report(node, `${where}: external_id goes with ram_role_arn`);
  if (idVar === undefined || secretVar === undefined) {
    report(
      node,
      `${where}: name both access_key_id_env and access_key_secret_env (the variables that hold the key), or give ram_role_arn`,
    );
    return undefined;
  }
  const values: string[] = [];
  for (const [key, variable] of [
    ['access_key_id_env', idVar],
    ['access_key_secret_env', secretVar],
  ] as const) {
    const at = node.get(key, true) as Node;
    if (!ENV_NAME.test(variable))
      report(at, `${where}: ${key} must be the name of an environment variable, not its value`);
    else if (!env[variable]?.trim()) report(at, `${where}: the environment variable ${variable} is not set`);
    else values.push(env[variable]?.trim() ?? '');
  }
  const [accessKeyId, accessKeySecret] = values;
  if (accessKeyId === undefined || accessKeySecret === undefined) return undefined;
  return { kind: 'keys', accessKeyId, accessKeySecret, variables: [idVar, secretVar] };
}

function readAccount(name: string, node: Node | null, env: Env, report: Report): Account | undefined {
  if (!isMap(node)) {
    report(node, `account ${name} must be a map with channels and credentials`);
    return undefined;
  }
  checkKeys(node, ACCOUNT_FIELDS, `account ${name}`, report);
  const channels = stringList(node.get('channels', true) as Node | undefined, 'channels', CHANNEL_ID, report);
  const regionsNode = node.get('regions', true) as Node | undefined;
  const regions =
    regionsNode === undefined ? undefined : stringList(regionsNode, 'regions', REGION_ID, report);
  const label = readLabel(node.get('label', true) as Node | undefined, report);
  const credentials = readCredentials(name, node.get('credentials', true) as Node | undefined, env, report);
  if (!channels || !credentials || (regionsNode !== undefined && !regions)) return undefined;
  return {
    name,
    channels,
    ...(regions ? { regions } : {}),
    ...(label ? { label } : {}),
    credentials,
  };
}

/** The accounts a channel may use, in the file's order. */
export function accountsOf(accounts: readonly Account[], channelId: string): Account[] {
  return accounts.filter((a) => a.channels === 'any' || a.channels.includes(channelId));
}
