/**
 * The fake STS: AssumeRole for the RAM roles of the simulator's accounts, over TLS on loopback,
 * issuing temporary credentials that the simulator accepts for the role's account until they expire.
 */
export {
  type AssumeRoleAsked,
  DEFAULT_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  STS_API_VERSION,
  type StsRole,
} from './assume-role.js';
export { type AssumeRoleRecord, type FakeStsOptions, type RunningSts, startFakeSts } from './server.js';
