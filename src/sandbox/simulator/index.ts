/**
 * The VPC simulator: a local imitation of the Alibaba Cloud VPC RPC API (2016-04-28), faithful
 * enough that the unmodified pop-core client cannot tell the difference, for one account or
 * several, with a fake STS (sts/) that issues temporary keys for their RAM roles. Sandbox mode and
 * the tests run on it; `npm run simulator` runs it alone (main.ts).
 */

export { idempotent, need, region, requestId } from './actions/common.js';
export { type ActionContext, COMMON_PARAMS, type Handler, type Params } from './actions/index.js';
export { API_VERSION, type ApiSpec, type CheckedRequest, checkRequest, MAX_SKEW_MS } from './checks.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { UnknownAccountError } from './core.js';
export { readSimulatorEnv, type SimulatorEnv } from './env.js';
export { invalid, missing, SimError } from './errors.js';
export {
  type FaultConfig,
  type FaultRule,
  faultConfigFromJson,
  parseFaults,
  statusForCode,
} from './faults.js';
export { ACCOUNT_NAME, type AccessKey, type SimulatorAccount, type TemporaryKey } from './keys.js';
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
  DEFAULT_ACCOUNT_NAME,
  DEFAULT_CONNECTIONS_PER_GATEWAY,
  DEFAULT_DELETE_TIME_MS,
  DEFAULT_SSL_CONNECTIONS,
  type RunningSimulator,
  type SimulatorKeys,
  type SimulatorOptions,
  sandboxAccounts,
  startSimulator,
} from './server.js';
export type { RequestRecord, SimulatorSnapshot, SimVpnConnection, TunnelStatus } from './state.js';
export {
  type AssumeRoleRecord,
  type FakeStsOptions,
  type RunningSts,
  type StsRole,
  startFakeSts,
} from './sts/index.js';
