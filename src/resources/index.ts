/**
 * Resource types as one registry (docs/architecture.md, "Resource types"): the declarations (VPN
 * gateway, customer gateway,
 * IPsec connection) and everything derived from them — validation, API parameters, the approval
 * hash and summary, modal inputs, preflight checks, how state is watched, what a result shows.
 */
export * from './checks.js';
export * from './cidr.js';
export * from './connection-items.js';
export { customerGateway } from './customer-gateway.js';
export { defineResource } from './define.js';
export { paramsHash, type SummaryRow, summarizeParams, toApiParams } from './derive.js';
export {
  checksFor,
  declaredSettings,
  defaultRateLimits,
  publishedRateLimits,
} from './derived.js';
export { NETWORK_LISTS } from './network.js';
export {
  findResource,
  registerResource,
  resourceByCallbackId,
  resourceByCloudId,
  resourceByWord,
  resourceOf,
  resources,
  unregisterResource,
} from './registry.js';
export { parseIpv4, refusedRange } from './rules.js';
export { integerListSetting, integerSetting, regionListSetting, settingOf } from './settings.js';
export type * from './spec.js';
export {
  applies,
  choicesOf,
  controllingParams,
  InvalidFieldRead,
  isRequired,
  readingValid,
  type ValidationResult,
  validateParams,
  withDefaults,
} from './validation.js';
export { vpnConnection } from './vpn-connection.js';
export { vpnGateway } from './vpn-gateway.js';
export * from './vpn-gateway-facts.js';
export { vpnGatewayZones } from './vpn-gateway-zones.js';
