/**
 * The Alibaba Cloud VPC layer: a typed client over pop-core and one error model for every failure.
 */
export { CloudError, isRetryable, redactSecrets, toCloudError } from './errors.js';
export {
  type CloudCallEvent,
  type CredentialsProvider,
  createVpcClient,
  regionalEndpoint,
  toWireParams,
  VPC_API_VERSION,
  type VpcClientOptions,
} from './vpc-client.js';
export type * from './vpc-types.js';
