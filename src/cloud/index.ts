/**
 * The Alibaba Cloud VPC layer: a typed client over pop-core, one error model for every failure, and
 * pacing at the cloud's rate limits shared through Redis.
 */
export { CloudError, isRetryable, redactSecrets, toCloudError } from './errors.js';
export {
  LOCAL_THROTTLING_CODE,
  PACING_MAX_WAIT_MS,
  type PaceEvent,
  type PaceOutcome,
  PacingDeferredError,
  RateLimiter,
  type RateLimiterOptions,
} from './rate-limiter.js';
export {
  type CloudCallEvent,
  type Credentials,
  type CredentialsProvider,
  createVpcClient,
  type PaceCall,
  type PacedCall,
  regionalEndpoint,
  toWireParams,
  VPC_API_VERSION,
  type VpcClientOptions,
} from './vpc-client.js';
export type * from './vpc-types.js';
