/**
 * The VPC simulator: a local imitation of the Alibaba Cloud VPC RPC API (2016-04-28), faithful
 * enough that the unmodified pop-core client cannot tell the difference. Sandbox mode and the
 * tests run on it; `npm run simulator` runs it alone (main.ts).
 */

export { idempotent, need, region, requestId } from './actions/common.js';
export { type ActionContext, COMMON_PARAMS, type Handler, type Params } from './actions/index.js';
export { API_VERSION, type Credentials, MAX_SKEW_MS } from './checks.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { readSimulatorEnv, type SimulatorEnv } from './env.js';
export { invalid, missing, SimError } from './errors.js';
export {
  type FaultConfig,
  type FaultRule,
  faultConfigFromJson,
  parseFaults,
  statusForCode,
} from './faults.js';
export { configurePeer, type PeerTarget, parsePeerBody, UnknownPeerError } from './peers.js';
export {
  PUBLISHED_LIMITS,
  parseSimulatorRateLimits,
  RateLimitEnforcer,
  type ThrottleCount,
  throttlingError,
} from './rate-limits.js';
export {
  crowdedSeed,
  defaultSeed,
  type SeedRegion,
  type SeedVpc,
  type SeedVSwitch,
  type SimulatorSeed,
} from './seed.js';
export {
  DEFAULT_CONNECTIONS_PER_GATEWAY,
  DEFAULT_DELETE_TIME_MS,
  DEFAULT_SSL_CONNECTIONS,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from './server.js';
export type { RequestRecord, SimulatorSnapshot, SimVpnConnection, TunnelStatus } from './state.js';
