/**
 * What the worker needs from the cloud, in the workflow's own words. The implementation over
 * the VPC client lives in `vpc-gateway-cloud.ts`; tests may pass anything with this shape.
 */
import type { ApiParams, GatewayKind } from './types.js';

export interface CreatedGateway {
  gatewayId: string;
  orderId?: string;
  requestId?: string;
}

export interface VpnGatewayState {
  status: string;
  businessStatus?: string;
  internetIp?: string;
  spec?: string;
  requestId?: string;
}

export interface GatewayCloud {
  /** Creates (or, for a ClientToken already used with these parameters, finds) the gateway. */
  createGateway(kind: GatewayKind, params: ApiParams, clientToken: string): Promise<CreatedGateway>;
  /** The gateway's state, or undefined while the cloud does not know the id yet. */
  describeVpnGateway(regionId: string, gatewayId: string): Promise<VpnGatewayState | undefined>;
  /** One page (at most 50) of the region's VPN gateways, newest first, and how many there are. */
  listVpnGateways(
    regionId: string,
    pageNumber: number,
  ): Promise<{ gateways: (VpnGatewayState & { gatewayId: string })[]; totalCount: number }>;
}
