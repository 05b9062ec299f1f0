/**
 * Response shapes of the VPC API read actions the bot calls (API version 2016-04-28), with
 * Alibaba's names and list wrappers, as documented. What a create or delete call sends is not
 * declared here: it is derived from the resource type's declaration (src/resources), which is the
 * one source of truth for parameters, and sent with the generic `call`.
 */
export type Scalar = string | number | boolean;

export interface Paged {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  RequestId: string;
}

export interface VpnGatewayAttributes {
  VpnGatewayId: string;
  VpcId: string;
  VSwitchId?: string;
  InternetIp?: string;
  Spec?: string;
  Name?: string;
  Description?: string;
  Status: string;
  BusinessStatus?: string;
  ChargeType?: string;
  IpsecVpn?: string;
  SslVpn?: string;
  SslMaxConnections?: number;
  CreateTime?: number;
  EndTime?: number;
  VpnType?: string;
  NetworkType?: string;
  DisasterRecoveryVSwitchId?: string;
  DisasterRecoveryInternetIp?: string;
  ResourceGroupId?: string;
}
export type DescribeVpnGatewayResponse = VpnGatewayAttributes & { RequestId: string };

export interface DescribeVpnGatewaysParams {
  RegionId: string;
  VpnGatewayId?: string;
  VpcId?: string;
  Status?: string;
  BusinessStatus?: string;
  PageNumber?: number;
  PageSize?: number;
}
export interface DescribeVpnGatewaysResponse extends Paged {
  VpnGateways: { VpnGateway: VpnGatewayAttributes[] };
}

export interface CustomerGatewayAttributes {
  CustomerGatewayId: string;
  IpAddress: string;
  Name?: string;
  Description?: string;
  CreateTime?: number;
}
export interface DescribeCustomerGatewaysParams {
  RegionId: string;
  CustomerGatewayId?: string;
  PageNumber?: number;
  PageSize?: number;
}
export interface DescribeCustomerGatewaysResponse extends Paged {
  CustomerGateways: { CustomerGateway: CustomerGatewayAttributes[] };
}
export type DescribeCustomerGatewayResponse = CustomerGatewayAttributes & { RequestId: string };

export interface RegionAttributes {
  RegionId: string;
  LocalName: string;
  RegionEndpoint?: string;
}
export interface DescribeRegionsResponse {
  Regions: { Region: RegionAttributes[] };
  RequestId: string;
}

export interface VpcAttributes {
  VpcId: string;
  VpcName?: string;
  RegionId: string;
  Status?: string;
  CidrBlock?: string;
  IsDefault?: boolean;
  VSwitchIds?: { VSwitchId: string[] };
}
export interface DescribeVpcsParams {
  RegionId: string;
  VpcId?: string;
  VpcName?: string;
  PageNumber?: number;
  PageSize?: number;
}
export interface DescribeVpcsResponse extends Paged {
  Vpcs: { Vpc: VpcAttributes[] };
}

export interface VSwitchAttributes {
  VSwitchId: string;
  VSwitchName?: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock?: string;
  Status?: string;
  AvailableIpAddressCount?: number;
}
export interface DescribeVSwitchesParams {
  RegionId?: string;
  VpcId?: string;
  VSwitchId?: string;
  ZoneId?: string;
  PageNumber?: number;
  PageSize?: number;
}
export interface DescribeVSwitchesResponse extends Paged {
  VSwitches: { VSwitch: VSwitchAttributes[] };
}

export interface RequestIdOnly {
  RequestId: string;
}

export interface AvailableZone {
  ZoneId: string;
  ZoneName?: string;
}
export interface DescribeVpnGatewayAvailableZonesResponse {
  RegionId?: string;
  /** Documented as a list; some RPC answers wrap it as `{ AvailableZoneId: [...] }`. */
  AvailableZoneIdList?: AvailableZone[] | { AvailableZoneId?: AvailableZone[] };
  RequestId: string;
}

export interface VpcClient {
  /**
   * Any VPC action, by its API name: what a resource type's declaration derives is sent through
   * this (creates, deletes, the checks of the preflight). Absent values are not sent.
   */
  call<T = Record<string, unknown>>(
    action: string,
    params: Readonly<Record<string, Scalar | undefined>>,
  ): Promise<T & RequestIdOnly>;
}
