/**
 * The VPC simulator: a local imitation of the Alibaba Cloud VPC RPC API, faithful enough that the
 * unmodified pop-core client cannot tell the difference. Tests and sandbox mode run on it.
 */
export { type Clock, ManualClock, systemClock } from './clock.js';
export { type FaultConfig, type FaultRule, parseFaults } from './faults.js';
export { defaultSeed, type SimulatorSeed } from './seed.js';
export { type RunningSimulator, type SimulatorOptions, startSimulator } from './server.js';
export type { RequestRecord, SimulatorSnapshot } from './state.js';
