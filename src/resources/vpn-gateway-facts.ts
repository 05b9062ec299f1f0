/**
 * What the VPN gateway's declaration and the types that connect to it know of Alibaba Cloud's VPN
 * gateways, and the settings that change it: which regions create dual-tunnel gateways, which
 * bandwidths and SSL connection counts a gateway can have (facts that change over time, so each is
 * a default the configuration can replace; the seeds' older values are kept for reference), and
 * how a listed gateway says it is dual-tunnel.
 */
import { integerListSetting, regionListSetting, settingOf } from './settings.js';
import type { CloudItem, ResourceOptions } from './spec.js';

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

/** The VPN gateway's settings (configuration: VPN_BANDWIDTH_VALUES and the others). */
export const VPN_GATEWAY_SETTINGS = {
  /** Bandwidths (Mbit/s) offered for every network type; unset: today's per network type. */
  bandwidths: integerListSetting('VPN_BANDWIDTH_VALUES', {
    default: undefined,
    example: BANDWIDTH_VALUES.public,
  }),
  /** SSL-VPN connection counts offered: the seed's by default (Alibaba accepts up to 1000). */
  sslConnections: integerListSetting('VPN_SSL_CONNECTION_VALUES', {
    default: SEED_SSL_CONNECTION_VALUES,
    example: SEED_SSL_CONNECTION_VALUES,
  }),
  /** Regions where a new VPN gateway is dual-tunnel; `none` for none. */
  dualTunnelRegions: regionListSetting('VPN_DUAL_TUNNEL_REGIONS', { default: DUAL_TUNNEL_REGIONS }),
} as const;

/** Bandwidths offered for a network type: the configured ones, or today's for it (public by default). */
export function bandwidthsOffered(networkType: unknown, options: ResourceOptions): readonly number[] {
  return (
    settingOf(options, VPN_GATEWAY_SETTINGS.bandwidths) ??
    (networkType === 'private' ? BANDWIDTH_VALUES.private : BANDWIDTH_VALUES.public)
  );
}

export function isDualTunnelRegion(regionId: unknown, options: ResourceOptions): boolean {
  return (
    typeof regionId === 'string' &&
    settingOf(options, VPN_GATEWAY_SETTINGS.dualTunnelRegions).includes(regionId)
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A listed VPN gateway is dual-tunnel when it has a second vSwitch or a second public IP. */
export function isDualTunnelGateway(item: CloudItem): boolean {
  return str(item.DisasterRecoveryVSwitchId) !== '' || str(item.DisasterRecoveryInternetIp) !== '';
}
