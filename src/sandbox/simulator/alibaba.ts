/**
 * What the simulator knows of Alibaba Cloud's offerings and limits, written from Alibaba's own
 * documentation and kept here, apart from the bot's copy (src/resources, src/cloud): a simulator
 * that took its facts from the bot would agree with the bot by construction and could never catch
 * it wrong. test/sandbox/published-facts.test.ts holds the two against each other and against
 * Alibaba's official API metadata.
 */

/**
 * Bandwidths (Mbit/s) CreateVpnGateway accepts, per network type. Official metadata for
 * CreateVpnGateway, `Bandwidth`: "If you want to create a public VPN gateway, valid values are
 * 10, 100, 200, 500, and 1000. If you want to create a private VPN gateway, valid values are 200
 * and 1000."
 */
export const VPN_GATEWAY_BANDWIDTHS: Readonly<Record<'public' | 'private', readonly number[]>> = {
  public: [10, 100, 200, 500, 1000],
  private: [200, 1000],
};

/**
 * SSL-VPN concurrent connections CreateVpnGateway accepts (`SslConnections`): the seed page's 5,
 * 10 and 20, and the larger sizes of today's pages, up to 1000.
 */
export const SSL_CONNECTION_COUNTS: readonly number[] = [5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Regions where a new VPN gateway is dual-tunnel, from "IPsec-VPN connections support the
 * dual-tunnel mode" (Alibaba's table of October 2024): China (Hangzhou), China (Shanghai), China
 * (Nanjing - local region), China (Shenzhen), China (Heyuan), China (Guangzhou), China (Qingdao),
 * China (Beijing), China (Zhangjiakou), China (Hohhot), China (Ulanqab), China (Chengdu), China
 * (Hong Kong), Singapore, Thailand (Bangkok), Japan (Tokyo), South Korea (Seoul), Philippines
 * (Manila), Indonesia (Jakarta), Malaysia (Kuala Lumpur), UK (London), Germany (Frankfurt), US
 * (Silicon Valley), US (Virginia); each by its region id from DescribeRegions.
 */
export const DUAL_TUNNEL_REGION_IDS: readonly string[] = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-chengdu',
  'cn-hongkong',
  'ap-southeast-1',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-6',
  'ap-southeast-5',
  'ap-southeast-3',
  'eu-west-1',
  'eu-central-1',
  'us-west-1',
  'us-east-1',
];

/**
 * Rate limits Alibaba publishes per region, API and main account (each API page's "Request
 * Rate"): exceeding one answers `Throttling.User`. The actions it publishes nothing for are
 * unlimited here unless configured.
 */
export const PUBLISHED_LIMITS_PER_MINUTE: Readonly<Record<string, number>> = {
  CreateVpnGateway: 60,
  CreateCustomerGateway: 120,
  DeleteCustomerGateway: 120,
  DescribeVpnGateway: 600,
  DescribeCustomerGateways: 600,
};

/**
 * BGP in IPsec tunnels, from the official metadata of CreateVpnConnection (`BgpConfig`, and
 * `TunnelOptionsSpecification.N.TunnelBgpConfig`): the tunnel's CIDR block "must fall within
 * 169.254.0.0/16 and the mask of the CIDR block must be 30 bits in length", it "cannot be
 * 169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, 169.254.4.0/30, 169.254.5.0/30,
 * 169.254.6.0/30, or 169.254.169.252/30", and "the CIDR block of the IPsec tunnel for each
 * IPsec-VPN connection on a VPN gateway must be unique"; `LocalBgpIp` "must be an IP address that
 * falls within the CIDR block"; `LocalAsn` is 1 to 4294967295 (or two 16-bit halves, `123.456`),
 * 45104 by default. CreateVpnAttachment's page adds: "If you want to add BGP configurations to an
 * IPsec-VPN connection, make sure that an autonomous system number (ASN) is assigned to the
 * customer gateway."
 */
export const BGP_TUNNELS = {
  range: { network: '169.254.0.0', prefix: 16 },
  prefix: 30,
  reserved: [
    '169.254.0.0/30',
    '169.254.1.0/30',
    '169.254.2.0/30',
    '169.254.3.0/30',
    '169.254.4.0/30',
    '169.254.5.0/30',
    '169.254.6.0/30',
    '169.254.169.252/30',
  ],
  defaultLocalAsn: 45_104,
  maxAsn: 4_294_967_295,
} as const;
