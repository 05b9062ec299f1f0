/**
 * Gateway specifications as data (one declaration per kind, from the seeds) and everything
 * derived from them: validation, API parameters, the approval hash and summary, modal inputs.
 */
export { customerGatewaySpec } from './customer-gateway.js';
export {
  applies,
  choicesOf,
  controllingParams,
  GATEWAY_KINDS,
  type GatewayKind,
  type GatewayParams,
  gatewaySchema,
  getGatewaySpec,
  paramsHash,
  SEED_BANDWIDTH_VALUES,
  SEED_SSL_CONNECTION_VALUES,
  type SummaryRow,
  summarizeParams,
  toApiParams,
  type ValidationResult,
  validateGatewayRequest,
} from './derive.js';
export { parseIpv4, refusedRange } from './rules.js';
export type {
  GatewaySpec,
  GatewayValidationOptions,
  InputHint,
  ParamSpec,
  ParamValue,
  ValueChoice,
} from './spec.js';
export { vpnGatewaySpec } from './vpn-gateway.js';
