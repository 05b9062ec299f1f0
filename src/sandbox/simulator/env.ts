/**
 * The `npm run simulator` configuration, read from the environment and checked as a whole, so a
 * bad setup is refused with every problem listed at once (main.ts exits with code 2).
 */

import { parseDuration } from '../../units/duration.js';
import type { RateLimits } from '../../units/rate-limits.js';
import { ACTIONS } from './actions/index.js';
import { type FaultConfig, parseFaults } from './faults.js';
import { parseSimulatorRateLimits } from './rate-limits.js';

export interface SimulatorEnv {
  port: number;
  host: string;
  accessKeyId: string;
  accessKeySecret: string;
  provisionTimeMs: number;
  deleteTimeMs: number;
  faults: FaultConfig;
  /** The SIMULATOR_FAULTS text as given, for the start-up line. */
  faultsText: string;
  rateLimits: RateLimits;
  /** The SIMULATOR_RATE_LIMITS text as given, for the start-up line. */
  rateLimitsText: string;
}

/** The configuration, or the list of problems (never quoting the secret). */
export function readSimulatorEnv(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: SimulatorEnv } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const portText = env.SIMULATOR_PORT?.trim() || '9000';
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65_535)
    problems.push(`SIMULATOR_PORT must be a port number from 0 to 65535 (got "${portText}")`);
  const host = env.SIMULATOR_HOST?.trim() || '127.0.0.1';
  const accessKeyId = env.SIMULATOR_ACCESS_KEY_ID ?? 'sandbox';
  if (!/^[\x21-\x7e]{1,128}$/.test(accessKeyId))
    problems.push('SIMULATOR_ACCESS_KEY_ID must be 1 to 128 printable ASCII characters without spaces');
  const accessKeySecret = env.SIMULATOR_ACCESS_KEY_SECRET ?? 'sandbox-secret';
  if (!/^[\x21-\x7e]{1,256}$/.test(accessKeySecret))
    problems.push('SIMULATOR_ACCESS_KEY_SECRET must be 1 to 256 printable ASCII characters without spaces');
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
      accessKeyId,
      accessKeySecret,
      provisionTimeMs,
      deleteTimeMs,
      faults,
      faultsText: env.SIMULATOR_FAULTS?.trim() ?? '',
      rateLimits,
      rateLimitsText: env.SIMULATOR_RATE_LIMITS?.trim() ?? '',
    },
  };
}
