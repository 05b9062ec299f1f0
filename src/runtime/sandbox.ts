/**
 * The one seam between the bot and its sandbox (src/sandbox): the VPC simulator that answers in
 * sandbox mode, the playground that stands in for Slack without a token, and the playground's own
 * Redis. Nothing else in the bot imports the sandbox, so the bot's workings never lean on a fake.
 */
export { PLAYGROUND_POLICY_FILE } from '../sandbox/playground/policy.js';
export { findOnPath, startPrivateRedis } from '../sandbox/playground/private-redis.js';
export { type Playground, startPlayground } from '../sandbox/playground/server.js';
export {
  type RunningSimulator,
  type SimulatorAccount,
  sandboxAccounts,
  startSimulator,
} from '../sandbox/simulator/index.js';
