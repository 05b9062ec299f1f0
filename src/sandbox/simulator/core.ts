/**
 * What the simulator's routes share: the account's state, the clock, the faults and rate limits
 * in force, the actions' context (times, quotas, accepted values) and the one key pair accepted.
 * `startSimulator` makes it once from its options.
 */
import type { RateLimits } from '../../units/rate-limits.js';
import { ACTIONS, type ActionContext, type Handler } from './actions/index.js';
import type { Credentials } from './checks.js';
import type { Clock } from './clock.js';
import { type FaultConfig, type FaultInjector, parseFaults } from './faults.js';
import { parseSimulatorRateLimits, type RateLimitEnforcer } from './rate-limits.js';
import type { RequestRecord, SimulatorState } from './state.js';

export interface SimulatorCore {
  state: SimulatorState;
  clock: Clock;
  faults: FaultInjector;
  rateLimits: RateLimitEnforcer;
  /** The actions' context; the control routes change its times. */
  ctx: ActionContext;
  actions: Readonly<Record<string, Handler>>;
  credentials: Credentials;
  /** Requests kept in the log (oldest dropped first). */
  logLimit: number;
  onRequest?: ((record: RequestRecord) => void) | undefined;
}

/** A FaultConfig, or one read from a string in the SIMULATOR_FAULTS grammar. */
export const faultConfigOf = (faults: FaultConfig | string): FaultConfig =>
  typeof faults === 'string' ? parseFaults(faults) : faults;

/** Rate limits, or ones read from a string in the SIMULATOR_RATE_LIMITS grammar. */
export const rateLimitsOf = (limits: RateLimits | string): RateLimits =>
  typeof limits === 'string' ? parseSimulatorRateLimits(limits, Object.keys(ACTIONS)) : limits;
