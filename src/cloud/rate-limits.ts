/**
 * Alibaba Cloud's API rate limits as the bot paces at them: a limit is N calls per period, per
 * region, action and main account. The published ones come from Alibaba's API pages ("Request
 * Rate", also listed under Quota Center → API Rate Limits, where an account may have had them
 * raised); for the other actions the bot calls, the defaults below are our own conservative
 * choice. `VPC_RATE_LIMITS` changes them, in the grammar of units/rate-limits.ts.
 */
import type { RateLimit, RateLimits } from '../units/rate-limits.js';

export type { RateLimit, RateLimits } from '../units/rate-limits.js';

const MINUTE = 60_000;
const perMinute = (limit: number): RateLimit => ({ limit, periodMs: MINUTE });

/** Published by Alibaba, per region, API and main account. */
export const PUBLISHED_RATE_LIMITS: RateLimits = {
  CreateVpnGateway: perMinute(60),
  CreateCustomerGateway: perMinute(120),
  DeleteCustomerGateway: perMinute(120),
  DescribeVpnGateway: perMinute(600),
  DescribeCustomerGateways: perMinute(600),
};

/**
 * What the bot paces at. Where Alibaba publishes nothing: a create or delete is held to the lowest
 * published create limit (60/min), a describe to the published describe limit (600/min). Both are
 * far above what the bot needs and low enough that an unpublished limit is unlikely to be lower.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  ...PUBLISHED_RATE_LIMITS,
  DeleteVpnGateway: perMinute(60),
  CreateVpnConnection: perMinute(60),
  DeleteVpnConnection: perMinute(60),
  DescribeVpnGateways: perMinute(600),
  DescribeCustomerGateway: perMinute(600),
  DescribeVpnConnection: perMinute(600),
  DescribeVpnConnections: perMinute(600),
  DescribeVpnGatewayAvailableZones: perMinute(600),
  DescribeZones: perMinute(600),
  DescribeRegions: perMinute(600),
  DescribeVpcs: perMinute(600),
  DescribeVSwitches: perMinute(600),
};
