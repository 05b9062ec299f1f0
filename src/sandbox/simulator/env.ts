/**
 * The `npm run simulator` configuration, read from the environment and checked as a whole, so a
 * bad setup is refused with every problem listed at once (main.ts exits with code 2).
 */

import { parseDuration } from '../../units/duration.js';
import type { RateLimits } from '../../units/rate-limits.js';
import { ACTIONS } from './actions/index.js';
import { type FaultConfig, parseFaults } from './faults.js';
import { ACCOUNT_NAME, type SimulatorAccount } from './keys.js';
import { parseSimulatorRateLimits } from './rate-limits.js';

export interface SimulatorEnv {
  port: number;
  host: string;
  /** The one account's key pair, when SIMULATOR_ACCOUNTS is not set. */
  accessKeyId: string;
  accessKeySecret: string;
  /** SIMULATOR_ACCOUNTS, when set: several accounts, each with its own key pair. */
  accounts?: SimulatorAccount[];
  provisionTimeMs: number;
  deleteTimeMs: number;
  faults: FaultConfig;
  /** The SIMULATOR_FAULTS text as given, for the start-up line. */
  faultsText: string;
  rateLimits: RateLimits;
  /** The SIMULATOR_RATE_LIMITS text as given, for the start-up line. */
  rateLimitsText: string;
}

const KEY_ID = /^[\x21-\x7e]{1,128}$/;
const KEY_SECRET = /^[\x21-\x7e]{1,256}$/;

/**
 * `SIMULATOR_ACCOUNTS`: `name:accessKeyId:secret` entries separated by commas (the secret is what
 * follows the second colon). Problems name the entry by its place and name, never its secret.
 */
function readAccounts(text: string, problems: string[]): SimulatorAccount[] {
  const accounts: SimulatorAccount[] = [];
  const entries = text.split(',').map((e) => e.trim());
  entries.forEach((entry, i) => {
    const [name = '', accessKeyId = '', ...rest] = entry.split(':');
    const accessKeySecret = rest.join(':');
    const where = `SIMULATOR_ACCOUNTS entry ${i + 1}${ACCOUNT_NAME.test(name) ? ` (${name})` : ''}`;
    if (!ACCOUNT_NAME.test(name))
      problems.push(`${where} must start with an account name: 1 to 64 letters, digits, ".", "_" or "-"`);
    else if (accounts.some((a) => a.name === name)) problems.push(`${where} names an account twice`);
    if (!KEY_ID.test(accessKeyId))
      problems.push(`${where} needs an AccessKeyId of 1 to 128 printable ASCII characters without spaces`);
    else if (accounts.some((a) => a.accessKeyId === accessKeyId))
      problems.push(`${where} gives an AccessKeyId another account has`);
    if (!KEY_SECRET.test(accessKeySecret))
      problems.push(`${where} needs a secret of 1 to 256 printable ASCII characters without spaces`);
    accounts.push({ name, accessKeyId, accessKeySecret });
  });
  return accounts;
}

/** The one key pair, or SIMULATOR_ACCOUNTS (not both). */
function readKeys(env: Readonly<Record<string, string | undefined>>, problems: string[]) {
  const accessKeyId = env.SIMULATOR_ACCESS_KEY_ID ?? 'sandbox';
  const accessKeySecret = env.SIMULATOR_ACCESS_KEY_SECRET ?? 'sandbox-secret';
  const accountsText = env.SIMULATOR_ACCOUNTS?.trim();
  if (accountsText) {
    if (env.SIMULATOR_ACCESS_KEY_ID !== undefined || env.SIMULATOR_ACCESS_KEY_SECRET !== undefined)
      problems.push(
        'SIMULATOR_ACCOUNTS gives every account its key pair: unset SIMULATOR_ACCESS_KEY_ID and SIMULATOR_ACCESS_KEY_SECRET',
      );
    return { accessKeyId, accessKeySecret, accounts: readAccounts(accountsText, problems) };
  }
  if (!KEY_ID.test(accessKeyId))
    problems.push('SIMULATOR_ACCESS_KEY_ID must be 1 to 128 printable ASCII characters without spaces');
  if (!KEY_SECRET.test(accessKeySecret))
    problems.push('SIMULATOR_ACCESS_KEY_SECRET must be 1 to 256 printable ASCII characters without spaces');
  return { accessKeyId, accessKeySecret };
}

/** The configuration, or the list of problems (never quoting a secret). */
export function readSimulatorEnv(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: SimulatorEnv } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const portText = env.SIMULATOR_PORT?.trim() || '9000';
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65_535)
    problems.push(`SIMULATOR_PORT must be a port number from 0 to 65535 (got "${portText}")`);
  const host = env.SIMULATOR_HOST?.trim() || '127.0.0.1';
  const keys = readKeys(env, problems);
  const provisionText = env.SIMULATOR_PROVISION_TIME?.trim() || '90s';
  const provisionTimeMs = parseDuration(provisionText);
  if (provisionTimeMs === undefined)
    problems.push(
      `SIMULATOR_PROVISION_TIME must be a duration such as 500ms, 90s, 2m or 1h (got "${provisionText}")`,
    );
  const deleteText = env.SIMULATOR_DELETE_TIME?.trim() || '30s';
  const deleteTimeMs = parseDuration(deleteText);
  if (deleteTimeMs === undefined)
    problems.push(`SIMULATOR_DELETE_TIME must be a duration such as 500ms, 30s or 2m (got "${deleteText}")`);
  let faults: FaultConfig = { rules: [], latencyMs: 0 };
  try {
    faults = parseFaults(env.SIMULATOR_FAULTS);
  } catch (err) {
    problems.push((err as Error).message);
  }
  let rateLimits: RateLimits = {};
  try {
    rateLimits = parseSimulatorRateLimits(env.SIMULATOR_RATE_LIMITS, Object.keys(ACTIONS));
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0 || provisionTimeMs === undefined || deleteTimeMs === undefined)
    return { ok: false, problems };
  return {
    ok: true,
    config: {
      port,
      host,
      ...keys,
      provisionTimeMs,
      deleteTimeMs,
      faults,
      faultsText: env.SIMULATOR_FAULTS?.trim() ?? '',
      rateLimits,
      rateLimitsText: env.SIMULATOR_RATE_LIMITS?.trim() ?? '',
    },
  };
}
