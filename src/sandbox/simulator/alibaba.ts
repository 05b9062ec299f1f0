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
