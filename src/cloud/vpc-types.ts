/**
 * Request and response shapes of the VPC API actions the bot calls (API version 2016-04-28),
 * with Alibaba's names and list wrappers, as documented and as the official metadata lists them.
 */
export type Scalar = string | number | boolean;

export interface Paged {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  RequestId: string;
}

export interface CreateVpnGatewayParams {
  RegionId: string;
  VpcId: string;
  Bandwidth: number;
  Name?: string;
  VSwitchId?: string;
  InstanceChargeType?: string;
  Period?: number;
  AutoPay?: boolean;
  EnableIpsec?: boolean;
  EnableSsl?: boolean;
  SslConnections?: number;
  VpnType?: string;
  NetworkType?: string;
  ClientToken?: string;
}
export interface CreateVpnGatewayResponse {
  VpnGatewayId: string;
  Name?: string;
  OrderId?: number | string;
  RequestId: string;
}

export interface CreateCustomerGatewayParams {
  RegionId: string;
  IpAddress: string;
  Name?: string;
  Description?: string;
  ClientToken?: string;
}
export interface CreateCustomerGatewayResponse {
  CustomerGatewayId: string;
  IpAddress?: string;
  Name?: string;
  Description?: string;
  CreateTime?: number;
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

export interface VpcClient {
  createVpnGateway(p: CreateVpnGatewayParams): Promise<CreateVpnGatewayResponse>;
  createCustomerGateway(p: CreateCustomerGatewayParams): Promise<CreateCustomerGatewayResponse>;
  describeVpnGateway(p: { RegionId: string; VpnGatewayId: string }): Promise<DescribeVpnGatewayResponse>;
  describeVpnGateways(p: DescribeVpnGatewaysParams): Promise<DescribeVpnGatewaysResponse>;
  describeCustomerGateway(p: {
    RegionId: string;
    CustomerGatewayId: string;
  }): Promise<DescribeCustomerGatewayResponse>;
  describeCustomerGateways(p: DescribeCustomerGatewaysParams): Promise<DescribeCustomerGatewaysResponse>;
  describeRegions(p?: { AcceptLanguage?: string }): Promise<DescribeRegionsResponse>;
  describeVpcs(p: DescribeVpcsParams): Promise<DescribeVpcsResponse>;
  describeVSwitches(p: DescribeVSwitchesParams): Promise<DescribeVSwitchesResponse>;
  deleteVpnGateway(p: {
    RegionId: string;
    VpnGatewayId: string;
    ClientToken?: string;
  }): Promise<RequestIdOnly>;
  deleteCustomerGateway(p: {
    RegionId: string;
    CustomerGatewayId: string;
    ClientToken?: string;
  }): Promise<RequestIdOnly>;
}
