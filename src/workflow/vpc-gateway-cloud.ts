/**
 * The worker's cloud port over the VPC client: create either kind of gateway with the request id
 * as ClientToken, and read a VPN gateway's status.
 */
import { CloudError } from '../cloud/errors.js';
import type { VpcClient } from '../cloud/index.js';
import type { CreatedGateway, GatewayCloud, VpnGatewayState } from './gateway-cloud.js';
import type { ApiParams, GatewayKind } from './types.js';

export class VpcGatewayCloud implements GatewayCloud {
  constructor(private readonly vpc: VpcClient) {}

  async createGateway(kind: GatewayKind, params: ApiParams, clientToken: string): Promise<CreatedGateway> {
    if (kind === 'vpn') {
      const r = await this.vpc.createVpnGateway({ ...params, ClientToken: clientToken } as Parameters<
        VpcClient['createVpnGateway']
      >[0]);
      return {
        gatewayId: r.VpnGatewayId,
        ...(r.OrderId ? { orderId: String(r.OrderId) } : {}),
        requestId: r.RequestId,
      };
    }
    const r = await this.vpc.createCustomerGateway({ ...params, ClientToken: clientToken } as Parameters<
      VpcClient['createCustomerGateway']
    >[0]);
    return { gatewayId: r.CustomerGatewayId, requestId: r.RequestId };
  }

  async listVpnGateways(regionId: string, pageNumber: number) {
    const r = await this.vpc.describeVpnGateways({
      RegionId: regionId,
      PageNumber: pageNumber,
      PageSize: 50,
    });
    return {
      totalCount: r.TotalCount,
      gateways: r.VpnGateways.VpnGateway.map((g) => ({
        gatewayId: g.VpnGatewayId,
        status: g.Status,
        ...(g.BusinessStatus ? { businessStatus: g.BusinessStatus } : {}),
        ...(g.InternetIp ? { internetIp: g.InternetIp } : {}),
        ...(g.Spec ? { spec: g.Spec } : {}),
        requestId: r.RequestId,
      })),
    };
  }

  async describeVpnGateway(regionId: string, gatewayId: string): Promise<VpnGatewayState | undefined> {
    try {
      const r = await this.vpc.describeVpnGateway({ RegionId: regionId, VpnGatewayId: gatewayId });
      return {
        status: r.Status,
        ...(r.BusinessStatus ? { businessStatus: r.BusinessStatus } : {}),
        ...(r.InternetIp ? { internetIp: r.InternetIp } : {}),
        ...(r.Spec ? { spec: r.Spec } : {}),
        requestId: r.RequestId,
      };
    } catch (err) {
      // Right after creation the id may not be visible yet; keep polling until the time limit.
      if (err instanceof CloudError && err.code === 'InvalidVpnGatewayInstanceId.NotFound') return undefined;
      throw err;
    }
  }
}
