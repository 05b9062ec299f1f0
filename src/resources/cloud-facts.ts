/**
 * Facts of Alibaba Cloud that change over time and are therefore defaults, each overridable by
 * configuration: which regions create dual-tunnel VPN gateways, and which bandwidths and SSL
 * connection counts a VPN gateway can have. The seeds' older values are kept for reference.
 */

/**
 * Regions where a new VPN gateway is dual-tunnel and needs two vSwitches (Alibaba's table of
 * October 2024, "the console prevails"): China (Hangzhou, Shanghai, Nanjing local region,
 * Shenzhen, Heyuan, Guangzhou, Qingdao, Beijing, Zhangjiakou, Hohhot, Ulanqab, Chengdu, Hong Kong),
 * Singapore, Thailand (Bangkok), Japan (Tokyo), South Korea (Seoul), Philippines (Manila),
 * Indonesia (Jakarta), Malaysia (Kuala Lumpur), UK (London), Germany (Frankfurt), US (Silicon
 * Valley), US (Virginia). `VPN_DUAL_TUNNEL_REGIONS` replaces the list.
 */
export const DUAL_TUNNEL_REGIONS: readonly string[] = [
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

/** Today's VPN gateway bandwidths (Mbit/s) per network type, from the official metadata. */
export const BANDWIDTH_VALUES = {
  public: [10, 100, 200, 500, 1000],
  private: [200, 1000],
} as const satisfies Record<string, readonly number[]>;

/** SSL-VPN concurrent connections offered by default (the seed's values; newer pages allow up to 1000). */
export const SSL_CONNECTION_VALUES: readonly number[] = [5, 10, 20, 50, 100, 200, 500, 1000];

/** The CreateVpnGateway seed's lists, e.g. for `VPN_BANDWIDTH_VALUES=5,10,20,50,100,200`. */
export const SEED_BANDWIDTH_VALUES: readonly number[] = [5, 10, 20, 50, 100, 200];
export const SEED_SSL_CONNECTION_VALUES: readonly number[] = [5, 10, 20];

/** `Spec` as DescribeVpnGateway reports it, `"5M"` or, lately, `"5"`: the bandwidth in Mbit/s. */
export function parseSpec(spec: string | undefined): number | undefined {
  const m = /^\s*(\d+)\s*M?\s*$/i.exec(spec ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The bandwidth as DescribeVpnGatewayAvailableZones takes it (`10M`). */
export function specOf(bandwidth: number): string {
  return `${bandwidth}M`;
}

export function isDualTunnelRegion(regionId: unknown, configured: readonly string[] | undefined): boolean {
  return typeof regionId === 'string' && (configured ?? DUAL_TUNNEL_REGIONS).includes(regionId);
}
