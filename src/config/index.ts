/**
 * Configuration: the environment described in docs/configuration.md, read into one typed,
 * validated object. `loadConfig` is a pure function of an env object, so tests pass a plain
 * object and nothing connects anywhere before every problem has been reported at once.
 */
import { z } from 'zod';
import { CHAIN_VARIABLES } from '../cloud/credentials.js';
import { isLocale, type Locale } from '../i18n/index.js';
import { declaredSettings, defaultRateLimits, type SettingValues } from '../resources/index.js';
import { parseDuration } from '../units/duration.js';
import { parseRateLimits } from '../units/rate-limits.js';
import { type Account, AccountsError, DEFAULT_ACCOUNT, loadAccountsFile } from './accounts.js';
import { buildRedisSettings, redisEnvSchema, redisProblems, redisSecrets } from './redis.js';
import { parseSecretsKey } from './secrets-key.js';

export { formatDuration, parseDuration } from '../units/duration.js';
export {
  type Account,
  type AccountCredentials,
  accountsOf,
  DEFAULT_ACCOUNT,
  parseAccounts,
} from './accounts.js';
export type { RedisEndpoint, RedisSettings, RedisTopology } from './redis.js';
export { parseSecretsKey } from './secrets-key.js';

export type Role = 'bot' | 'worker' | 'all';
/** `playground`: no Slack token, the local web playground stands in for Slack. */
export type SlackMode = 'http' | 'socket' | 'playground';

export interface CloudCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Secret values of a configuration, for the logger to scrub from every line. */
export function secretsOf(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.cloud.credentials?.accessKeySecret,
    config.cloud.credentials?.securityToken,
    ...config.accounts.map((a) =>
      a.credentials.kind === 'keys' ? a.credentials.accessKeySecret : undefined,
    ),
    config.secretsKey,
    ...redisSecrets(config.redis),
  ].filter((s): s is string => s !== undefined);
}

/** Every configuration problem, each naming the variable and how to fix it. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Slack user ids (`U…`, or `W…` in Enterprise Grid) and user group ids (`S…`), also used by the policy file. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const SLACK_USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
const REQUEST_TIMEOUT_DEFAULT_MS = 10_000;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Empty and whitespace-only values count as unset, as in most twelve-factor tools. */
function clean(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function duration(name: string, fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a positive duration with a unit, such as 500ms, 10s, 5m or 24h (got "${value}")`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

/** A duration that is off unless set (`off` says so explicitly). */
function optionalDuration(name: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.toLowerCase() === 'off') return undefined;
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a positive duration with a unit, such as 30m or 4h, or off (got "${value}")`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

/** The health sweep's interval: at least a second, or `off`. */
function healthInterval(name: string, fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      if (value.toLowerCase() === 'off') return undefined;
      const ms = parseDuration(value);
      if (ms === undefined || ms < 1_000) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a duration of at least 1s, such as 30s or 5m, or off (got "${value}")`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

/** Reminders more often than this would bury a thread (and meet Slack's posting limits). */
const MIN_APPROVAL_REMINDER_MS = 60_000;

/**
 * The longest a user group's members may be kept: a change whose event is lost takes effect
 * within this, so someone removed from an approver group could approve for as long.
 */
const MAX_USERGROUP_REFRESH_MS = 60 * 60_000;

function booleanFlag(name: string) {
  return z
    .string()
    .default('false')
    .transform((value, ctx) => {
      const lower = value.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return true;
      if (['false', '0', 'no', 'off'].includes(lower)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false (got "${value}")` });
      return z.NEVER;
    });
}

function integerIn(name: string, fallback: string, min: number, max: number) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number from ${min} to ${max} (got "${value}")`,
        });
        return z.NEVER;
      }
      return n;
    });
}

function httpUrl(name: string, example: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const protocol = URL.canParse(value) ? new URL(value).protocol : '';
      if (protocol !== 'http:' && protocol !== 'https:') {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be an http:// or https:// URL, such as ${example} (got "${value}")`,
        });
        return z.NEVER;
      }
      return value;
    });
}

function redisUrl(name: string) {
  return z
    .string()
    .optional()
    .refine((v) => v === undefined || /^rediss?:\/\/\S+$/.test(v), {
      message: `${name} must be a redis:// or rediss:// URL, such as ${DEFAULT_REDIS_URL}`,
    });
}

/** Secrets are checked for shape only; their values never appear in a message. */
function token(name: string, prefix: string, what: string) {
  return z
    .string()
    .optional()
    .refine((value) => value === undefined || value.startsWith(prefix), {
      message: `${name} must be ${what}, starting with "${prefix}" (the value is not shown)`,
    });
}

const envSchema = z.object({
  ROLE: z
    .string()
    .default('all')
    .refine((v) => ['bot', 'worker', 'all'].includes(v), {
      message: 'ROLE must be bot, worker or all',
    })
    .transform((v) => v as Role),
  PORT: integerIn('PORT', '3000', 0, 65_535),
  SLASH_COMMAND: z
    .string()
    .default('/gateway')
    .refine((v) => /^\/[a-z0-9_-]{1,31}$/i.test(v), {
      message:
        'SLASH_COMMAND must start with "/" and be 2 to 32 letters, digits, "-" or "_", such as /gateway',
    }),
  LOCALE: z
    .string()
    .default('en')
    .refine(isLocale, { message: 'LOCALE must be en or zh-CN' })
    .transform((v) => v as Locale),
  SLACK_BOT_TOKEN: token('SLACK_BOT_TOKEN', 'xoxb-', 'a bot token from "OAuth & Permissions"'),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: token('SLACK_APP_TOKEN', 'xapp-', 'an app-level token with the connections:write scope'),
  SLACK_API_URL: httpUrl('SLACK_API_URL', 'https://slack.com/api/'),
  REDIS_URL: redisUrl('REDIS_URL'),
  // For tests: the address the playground tries when REDIS_URL is unset, so a test can play a
  // machine where nothing runs at the default address without stopping the Redis that does.
  PLAYGROUND_DEFAULT_REDIS_URL: redisUrl('PLAYGROUND_DEFAULT_REDIS_URL'),
  REDIS_PREFIX: z
    .string()
    .default('{gw}')
    .refine((v) => /^\{[^{}:\s]+\}$/.test(v), {
      message:
        'REDIS_PREFIX must be a Redis Cluster hash tag in braces without ":" or spaces, such as {gw} or {gw-prod}',
    }),
  ...redisEnvSchema,
  ALIBABA_CLOUD_ACCESS_KEY_ID: z.string().optional(),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: z.string().optional(),
  ALIBABA_CLOUD_SECURITY_TOKEN: z.string().optional(),
  ALIBABA_CLOUD_VPC_ENDPOINT: httpUrl('ALIBABA_CLOUD_VPC_ENDPOINT', 'http://127.0.0.1:9000'),
  // STS's host[:port] for the accounts reached through a RAM role: a private endpoint (always HTTPS).
  ALIBABA_CLOUD_STS_ENDPOINT: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(v), {
      message:
        'ALIBABA_CLOUD_STS_ENDPOINT must be a host or host:port, such as sts-vpc.cn-hangzhou.aliyuncs.com (STS is always reached over HTTPS)',
    }),
  ALIBABA_CLOUD_CREDENTIALS_CHAIN: booleanFlag('ALIBABA_CLOUD_CREDENTIALS_CHAIN'),
  ...Object.fromEntries(CHAIN_VARIABLES.map((name) => [name, z.string().optional()])),
  VPC_SANDBOX: booleanFlag('VPC_SANDBOX'),
  VPC_REQUEST_TIMEOUT: duration('VPC_REQUEST_TIMEOUT', `${REQUEST_TIMEOUT_DEFAULT_MS}ms`),
  VPC_RATE_LIMITS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const defaults = defaultRateLimits();
      const parsed = parseRateLimits(value, {
        variable: 'VPC_RATE_LIMITS',
        base: defaults,
        known: Object.keys(defaults),
      });
      if (parsed.ok) return parsed.limits;
      for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }),
  APPROVERS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [];
      const ids = value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const bad = ids.filter((id) => !SLACK_USER_ID.test(id));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `APPROVERS must be Slack user ids such as U024BE7LH, comma-separated (not ids: ${bad.join(', ')}); find an id in a profile under "Copy member ID"`,
        });
        return z.NEVER;
      }
      return [...new Set(ids)];
    }),
  APPROVER_USERGROUP: z
    .string()
    .optional()
    .refine((v) => v === undefined || SLACK_USERGROUP_ID.test(v), {
      message: 'APPROVER_USERGROUP must be a Slack user group id such as S0614TZR7 (not the @handle)',
    }),
  ALLOW_SELF_APPROVAL: booleanFlag('ALLOW_SELF_APPROVAL'),
  REQUIRED_APPROVALS: integerIn('REQUIRED_APPROVALS', '1', 1, 10),
  APPROVAL_TTL: duration('APPROVAL_TTL', '24h'),
  APPROVAL_REMINDER: optionalDuration('APPROVAL_REMINDER'),
  APPROVER_USERGROUP_REFRESH: duration('APPROVER_USERGROUP_REFRESH', '30s'),
  POLICY_FILE: z.string().optional(),
  ACCOUNTS_FILE: z.string().optional(),
  POLL_INTERVAL: duration('POLL_INTERVAL', '10s'),
  POLL_MAX_INTERVAL: duration('POLL_MAX_INTERVAL', '60s'),
  PROVISION_TIMEOUT: duration('PROVISION_TIMEOUT', '30m'),
  CONNECTION_WATCH: duration('CONNECTION_WATCH', '2h'),
  TUNNEL_HEALTH_INTERVAL: healthInterval('TUNNEL_HEALTH_INTERVAL', '5m'),
  WORKER_LOCK_DURATION: duration('WORKER_LOCK_DURATION', '6s'),
  REQUEST_SECRETS_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || parseSecretsKey(v) !== undefined, {
      message:
        'REQUEST_SECRETS_KEY must be 32 random bytes as base64 (44 characters) or hex (64), e.g. from `openssl rand -base64 32` (the value is not shown)',
    }),
  SIMULATOR_PROVISION_TIME: duration('SIMULATOR_PROVISION_TIME', '90s'),
  SIMULATOR_DELETE_TIME: duration('SIMULATOR_DELETE_TIME', '30s'),
  SIMULATOR_UPDATE_TIME: duration('SIMULATOR_UPDATE_TIME', '5s'),
  LOG_LEVEL: z
    .string()
    .default('info')
    .refine((v) => ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v), {
      message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent',
    }),
  LOG_FORMAT: z
    .string()
    .default('json')
    .refine((v) => v === 'json' || v === 'pretty', { message: 'LOG_FORMAT must be json or pretty' })
    .transform((v) => v as 'json' | 'pretty'),
});

type ParsedEnv = z.output<typeof envSchema>;

/**
 * Every environment variable the configuration reads: its own, and the settings the built-in
 * resource types declare (deployment manifests are checked against it).
 */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(envSchema.shape),
  ...declaredSettings().map((s) => s.variable),
];

/** Variables that hold secrets: set them from a secret store, never written into a manifest. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'REQUEST_SECRETS_KEY',
] as const;

/** The configuration the bot runs with, as `loadConfig` builds it. */
export type Config = ReturnType<typeof build>;

/**
 * The settings the registered resource types declare (quotas, value lists), where the environment
 * sets them; each problem names its variable.
 */
function readResourceSettings(env: Env): { values: SettingValues; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const setting of declaredSettings()) {
    const text = clean(env, setting.variable);
    if (text === undefined) continue;
    const parsed = setting.parse(text);
    if (parsed.ok) values[setting.variable] = parsed.value;
    else problems.push(parsed.problem);
  }
  return { values, problems };
}

/** Reads and checks the whole configuration; throws a ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = clean(env, key);
    if (value !== undefined) input[key] = value;
  }
  const settings = readResourceSettings(env);
  const accounts = readAccounts(input.ACCOUNTS_FILE, env);
  const parsed = envSchema.safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  problems.push(...settings.problems, ...accounts.problems);
  if (!parsed.success) {
    // Cross-field rules still run on what did parse, so one pass reports everything.
    problems.push(...crossFieldProblems(partialParse(input), input, accounts.accounts));
    throw new ConfigError(problems);
  }
  problems.push(...crossFieldProblems(parsed.data, input, accounts.accounts));
  if (problems.length > 0) throw new ConfigError(problems);
  return build(parsed.data, settings.values, accounts.accounts);
}

/** The accounts of ACCOUNTS_FILE, or the one account of the environment without it. */
function readAccounts(file: string | undefined, env: Env): { accounts: Account[]; problems: string[] } {
  if (file === undefined) return { accounts: [DEFAULT_ACCOUNT], problems: [] };
  try {
    return { accounts: loadAccountsFile(file, env), problems: [] };
  } catch (err) {
    if (err instanceof AccountsError) return { accounts: [], problems: [...err.problems] };
    throw err;
  }
}

/** Parses each variable on its own so cross-field checks can run beside field errors. */
function partialParse(input: Record<string, string>): Partial<ParsedEnv> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    const one = (schema as z.ZodType).safeParse(input[key]);
    if (one.success) out[key] = one.data;
  }
  return out as Partial<ParsedEnv>;
}

function crossFieldProblems(
  e: Partial<ParsedEnv>,
  raw: Record<string, string>,
  accounts: readonly Account[],
): string[] {
  const problems: string[] = redisProblems(raw);
  // Presence counts even when the value itself is malformed (that is reported on its own).
  const hasBotToken = raw.SLACK_BOT_TOKEN !== undefined;
  const keyId = e.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const keySecret = e.ALIBABA_CLOUD_ACCESS_KEY_SECRET;

  if (hasBotToken && e.SLACK_APP_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode (set it from "Basic Information → Signing Secret"), or set SLACK_APP_TOKEN to use Socket Mode',
    );
  }
  if (!hasBotToken && e.SLACK_APP_TOKEN !== undefined) {
    problems.push('SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs the bot token too');
  }
  if ((keyId === undefined) !== (keySecret === undefined)) {
    problems.push(
      'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together (one of them is missing)',
    );
  }
  if (e.ALIBABA_CLOUD_SECURITY_TOKEN !== undefined && keyId === undefined) {
    problems.push(
      'ALIBABA_CLOUD_SECURITY_TOKEN is set without ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET: an STS token comes with its temporary key pair',
    );
  }
  // A real workspace never falls back to the simulator by accident. Accounts whose keys the
  // accounts file names need nothing more; the others sign in with the environment's own.
  const roles = accounts.filter((a) => a.credentials.kind === 'role').map((a) => a.name);
  if (
    hasBotToken &&
    e.VPC_SANDBOX === false &&
    accounts.some((a) => a.credentials.kind !== 'keys') &&
    keyId === undefined &&
    keySecret === undefined &&
    !usesChain(e)
  ) {
    problems.push(
      roles.length > 0
        ? `ACCOUNTS_FILE: account${roles.length === 1 ? '' : 's'} ${roles.join(', ')} ${roles.length === 1 ? 'is' : 'are'} reached by assuming a RAM role, which needs the bot's own credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or use the credential chain (ALIBABA_CLOUD_ROLE_ARN with OIDC, ALIBABA_CLOUD_ECS_METADATA, ALIBABA_CLOUD_PROFILE, or ALIBABA_CLOUD_CREDENTIALS_CHAIN=true)`
        : 'Alibaba Cloud credentials are required with a Slack workspace: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or use the credential chain (ALIBABA_CLOUD_ROLE_ARN with OIDC, ALIBABA_CLOUD_ECS_METADATA, ALIBABA_CLOUD_PROFILE, or ALIBABA_CLOUD_CREDENTIALS_CHAIN=true), or VPC_SANDBOX=true to try the bot against the built-in simulator',
    );
  }
  if (hasBotToken && e.APPROVERS?.length === 0 && e.APPROVER_USERGROUP === undefined) {
    problems.push(
      'Nobody may approve: set APPROVERS (comma-separated Slack user ids) and/or APPROVER_USERGROUP (a user group id)',
    );
  }
  if (
    e.APPROVERS !== undefined &&
    e.APPROVERS.length > 0 &&
    e.APPROVER_USERGROUP === undefined &&
    e.REQUIRED_APPROVALS !== undefined &&
    e.APPROVERS.length < e.REQUIRED_APPROVALS
  ) {
    problems.push(
      `REQUIRED_APPROVALS is ${e.REQUIRED_APPROVALS} but APPROVERS lists only ${e.APPROVERS.length} person(s): no request could ever be approved`,
    );
  }
  if (e.APPROVAL_REMINDER !== undefined && e.APPROVAL_REMINDER < MIN_APPROVAL_REMINDER_MS) {
    problems.push(
      `APPROVAL_REMINDER must be at least 1m, or a thread fills with reminders (got "${raw.APPROVAL_REMINDER}")`,
    );
  }
  if (
    e.APPROVAL_REMINDER !== undefined &&
    e.APPROVAL_TTL !== undefined &&
    e.APPROVAL_REMINDER >= e.APPROVAL_TTL
  ) {
    problems.push(
      `APPROVAL_REMINDER (${raw.APPROVAL_REMINDER}) must be shorter than APPROVAL_TTL (${raw.APPROVAL_TTL ?? '24h'}): a request expires before its first reminder`,
    );
  }
  if (e.APPROVER_USERGROUP_REFRESH !== undefined && e.APPROVER_USERGROUP_REFRESH > MAX_USERGROUP_REFRESH_MS) {
    problems.push(
      `APPROVER_USERGROUP_REFRESH must be at most 1h: someone removed from an approver group could approve for as long when Slack's event is lost (got "${raw.APPROVER_USERGROUP_REFRESH}")`,
    );
  }
  if (
    e.POLL_INTERVAL !== undefined &&
    e.POLL_MAX_INTERVAL !== undefined &&
    e.POLL_MAX_INTERVAL < e.POLL_INTERVAL
  ) {
    problems.push('POLL_MAX_INTERVAL must be at least POLL_INTERVAL');
  }
  if (
    e.POLL_INTERVAL !== undefined &&
    e.PROVISION_TIMEOUT !== undefined &&
    e.PROVISION_TIMEOUT <= e.POLL_INTERVAL
  ) {
    problems.push('PROVISION_TIMEOUT must be longer than POLL_INTERVAL, or no status check would ever run');
  }
  return problems;
}

/** True when the environment asks for Alibaba's credential chain rather than plain keys. */
function usesChain(e: Partial<ParsedEnv>): boolean {
  const vars = e as Record<string, unknown>;
  return (
    e.ALIBABA_CLOUD_CREDENTIALS_CHAIN === true || CHAIN_VARIABLES.some((name) => vars[name] !== undefined)
  );
}

function build(e: ParsedEnv, settings: SettingValues, accounts: readonly Account[]) {
  const botToken = e.SLACK_BOT_TOKEN;
  const mode: SlackMode = botToken === undefined ? 'playground' : e.SLACK_APP_TOKEN ? 'socket' : 'http';
  const credentials: CloudCredentials | undefined =
    e.ALIBABA_CLOUD_ACCESS_KEY_ID && e.ALIBABA_CLOUD_ACCESS_KEY_SECRET
      ? {
          accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
          accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          ...(e.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN } : {}),
        }
      : undefined;
  // The playground without credentials runs against the simulator; a workspace only when asked.
  const sandbox = e.VPC_SANDBOX || (mode === 'playground' && credentials === undefined);
  const apiUrl = e.SLACK_API_URL === undefined ? undefined : e.SLACK_API_URL.replace(/\/*$/, '/');

  return {
    role: e.ROLE,
    port: e.PORT,
    slashCommand: e.SLASH_COMMAND,
    locale: e.LOCALE,
    slack: {
      mode,
      ...(botToken ? { botToken } : {}),
      ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
      ...(apiUrl ? { apiUrl } : {}),
    },
    redis: {
      ...buildRedisSettings({
        ...e,
        REDIS_URL:
          e.REDIS_URL ??
          (mode === 'playground' ? e.PLAYGROUND_DEFAULT_REDIS_URL : undefined) ??
          DEFAULT_REDIS_URL,
      }),
      /** False when REDIS_URL is unset and `url` is the default address, which the playground may replace. */
      configured: e.REDIS_URL !== undefined,
    },
    cloud: {
      mode: sandbox ? 'sandbox' : 'cloud',
      ...(e.ALIBABA_CLOUD_VPC_ENDPOINT && !sandbox ? { endpoint: e.ALIBABA_CLOUD_VPC_ENDPOINT } : {}),
      ...(e.ALIBABA_CLOUD_STS_ENDPOINT ? { stsEndpoint: e.ALIBABA_CLOUD_STS_ENDPOINT } : {}),
      ...(credentials && !sandbox ? { credentials } : {}),
      credentialChain: !sandbox && credentials === undefined && usesChain(e),
      requestTimeoutMs: e.VPC_REQUEST_TIMEOUT,
      rateLimits: e.VPC_RATE_LIMITS,
    },
    approval: {
      approvers: e.APPROVERS,
      ...(e.APPROVER_USERGROUP ? { usergroup: e.APPROVER_USERGROUP } : {}),
      /** How long a user group's members are kept when no event of Slack's says they changed. */
      usergroupRefreshMs: e.APPROVER_USERGROUP_REFRESH,
      allowSelfApproval: e.ALLOW_SELF_APPROVAL,
      requiredApprovals: e.REQUIRED_APPROVALS,
      ttlMs: e.APPROVAL_TTL,
      ...(e.APPROVAL_REMINDER ? { reminderMs: e.APPROVAL_REMINDER } : {}),
      ...(e.POLICY_FILE ? { policyFile: e.POLICY_FILE } : {}),
    },
    polling: {
      intervalMs: e.POLL_INTERVAL,
      maxIntervalMs: e.POLL_MAX_INTERVAL,
      provisionTimeoutMs: e.PROVISION_TIMEOUT,
      settleWindowMs: e.CONNECTION_WATCH,
      ...(e.TUNNEL_HEALTH_INTERVAL ? { healthIntervalMs: e.TUNNEL_HEALTH_INTERVAL } : {}),
    },
    workerLockMs: e.WORKER_LOCK_DURATION,
    /** The Alibaba Cloud accounts, each with the channels that may use it (ACCOUNTS_FILE). */
    accounts,
    /**
     * The settings the resource types declare (quotas, value lists Alibaba changes) that the
     * environment sets; the others keep their declared defaults (resources/settings.ts).
     */
    resources: { settings },
    /**
     * The key that seals secret parameters (docs/architecture.md, "Secrets at rest"). Unset in the
     * playground: one is generated
     * per process (a single process runs every role there). Unset elsewhere: secrets are refused.
     */
    ...(e.REQUEST_SECRETS_KEY ? { secretsKey: e.REQUEST_SECRETS_KEY } : {}),
    sandbox: {
      provisionTimeMs: e.SIMULATOR_PROVISION_TIME,
      deleteTimeMs: e.SIMULATOR_DELETE_TIME,
      updateTimeMs: e.SIMULATOR_UPDATE_TIME,
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  };
}
