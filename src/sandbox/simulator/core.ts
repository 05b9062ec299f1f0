/**
 * What the simulator's routes share: each account's state, the keys and the accounts they open,
 * the nonces and the request log (of every account, each record naming its own), the clock, the
 * faults and rate limits in force, and the actions' context (times, quotas, accepted values).
 * `startSimulator` makes it once from its options; the functions here look at or change one
 * account, or all of them.
 */
import type { RateLimits } from '../../units/rate-limits.js';
import { ACTIONS, type ActionContext, type Handler } from './actions/index.js';
import type { Clock } from './clock.js';
import { type FaultConfig, type FaultInjector, parseFaults } from './faults.js';
import type { AccessKeys } from './keys.js';
import {
  changeOutside,
  holdsResource,
  type OutsideChange,
  OutsideError,
  setTunnel,
  type TunnelChange,
} from './outside.js';
import { configurePeer, holdsPeer, type PeerTarget, UnknownPeerError } from './peers.js';
import { parseSimulatorRateLimits, type RateLimitEnforcer } from './rate-limits.js';
import type { RequestRecord, SimulatorSnapshot, SimulatorState } from './state.js';

export interface SimulatorCore {
  /** Every account's state by name, in the order given: the first answers when none is named. */
  accounts: ReadonlyMap<string, SimulatorState>;
  keys: AccessKeys;
  /** Nonce → when it may be forgotten (real time, like the timestamp check). */
  nonces: Map<string, number>;
  /** Every account's requests, oldest first; emptied in place by a reset. */
  log: RequestRecord[];
  clock: Clock;
  faults: FaultInjector;
  rateLimits: RateLimitEnforcer;
  /** The actions' context but the account's state; the control routes change its times. */
  ctx: Omit<ActionContext, 'state'>;
  actions: Readonly<Record<string, Handler>>;
  /** Requests kept in the log (oldest dropped first). */
  logLimit: number;
  onRequest?: ((record: RequestRecord) => void) | undefined;
}

/** An account name the simulator does not serve; the HTTP routes answer 404. */
export class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

/** The named account's state, or the first account's when none is named. */
export function accountState(core: SimulatorCore, account?: string): SimulatorState {
  const state = account === undefined ? core.accounts.values().next().value : core.accounts.get(account);
  if (!state) throw new UnknownAccountError(`the simulator serves no account ${account}`);
  return state;
}

/** The request log: every account's (the live array), or one account's (a copy). */
export function requestsOf(core: SimulatorCore, account?: string): readonly RequestRecord[] {
  if (account === undefined) return core.log;
  accountState(core, account);
  return core.log.filter((r) => r.account === account);
}

/** One account as JSON, with its own requests; the first account when none is named. */
export function snapshotOf(core: SimulatorCore, account?: string): SimulatorSnapshot {
  const state = accountState(core, account);
  return state.snapshot(
    core.clock,
    core.log.filter((r) => r.account === state.account),
  );
}

/** Every account back to the seed, and no nonces, log or rate-limit windows. The keys stay. */
export function resetAll(core: SimulatorCore): void {
  for (const state of core.accounts.values()) state.reset();
  core.nonces.clear();
  core.log.splice(0);
  core.rateLimits.reset();
}

/**
 * The peer behind a customer gateway or a connection is configured (peers.ts): in the named
 * account, or in the account that holds the id. An id of another account is unknown to a named one.
 */
export function configurePeerIn(
  core: SimulatorCore,
  target: PeerTarget,
  configured: boolean,
  account?: string,
): string[] {
  const state =
    account !== undefined
      ? accountState(core, account)
      : [...core.accounts.values()].find((s) => holdsPeer(s, target));
  if (!state)
    throw new UnknownPeerError(
      'customerGatewayId' in target
        ? `no customer gateway ${target.customerGatewayId}`
        : `no IPsec-VPN connection ${target.vpnConnectionId}`,
    );
  return configurePeer(state, target, configured);
}

/** A FaultConfig, or one read from a string in the SIMULATOR_FAULTS grammar. */
export const faultConfigOf = (faults: FaultConfig | string): FaultConfig =>
  typeof faults === 'string' ? parseFaults(faults) : faults;

/** Rate limits, or ones read from a string in the SIMULATOR_RATE_LIMITS grammar. */
export const rateLimitsOf = (limits: RateLimits | string): RateLimits =>
  typeof limits === 'string' ? parseSimulatorRateLimits(limits, Object.keys(ACTIONS)) : limits;

/** The account that holds the resource (or the named one): a change from outside the bot happens there. */
function stateHolding(core: SimulatorCore, id: string, account?: string): SimulatorState {
  const state =
    account !== undefined
      ? accountState(core, account)
      : [...core.accounts.values()].find((s) => holdsResource(s, id));
  if (!state) throw new OutsideError(`no resource ${id}`, true);
  return state;
}

/** A tunnel taken down on the on-premises side, or back (`POST /_simulator/tunnel`). */
export function setTunnelIn(core: SimulatorCore, change: TunnelChange, account?: string): void {
  setTunnel(stateHolding(core, change.vpnConnectionId, account), change);
}

/** A resource changed or deleted in the console (`POST /_simulator/outside`). */
export function changeOutsideIn(core: SimulatorCore, change: OutsideChange, account?: string): void {
  changeOutside(stateHolding(core, change.id, account), change);
}
