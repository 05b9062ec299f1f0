/**
 * Reading IPsec-VPN connections as DescribeVpnConnection(s) answer them: a single-tunnel
 * connection has one customer gateway and a connection-wide `Status`; a dual-tunnel one lists its
 * two tunnels under `TunnelOptionsSpecification.TunnelOptions`, each with its customer gateway,
 * role and `Status`. A tunnel is up when its IPsec SA is established.
 */
import type { CloudItem } from './spec.js';

export const TUNNEL_UP = 'ipsec_sa_established';

export interface Tunnel {
  /** 1 for the master (or the only) tunnel, 2 for the slave. */
  index: number;
  tunnelId?: string;
  role?: string;
  customerGatewayId: string;
  status: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** RPC JSON wraps lists once more (`{TunnelOptions: [...]}`), or not: accept both. */
function listOf(value: unknown, key: string): CloudItem[] {
  if (Array.isArray(value)) return value as CloudItem[];
  const inner = (value as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as CloudItem[]) : [];
}

/** The raw tunnel entries of a dual-tunnel connection, master first; none for a single-tunnel one. */
export function tunnelEntries(item: CloudItem): CloudItem[] {
  return listOf(item.TunnelOptionsSpecification, 'TunnelOptions').sort(
    (a, b) => (a.Role === 'master' ? 0 : 1) - (b.Role === 'master' ? 0 : 1),
  );
}

/** The connection's tunnels, master first; a single-tunnel connection has one. */
export function tunnelsOf(item: CloudItem): Tunnel[] {
  const entries = tunnelEntries(item);
  if (entries.length === 0)
    return [{ index: 1, customerGatewayId: str(item.CustomerGatewayId), status: str(item.Status) }];
  return entries.map((t, i) => ({
    index: i + 1,
    tunnelId: str(t.TunnelId),
    role: str(t.Role),
    customerGatewayId: str(t.CustomerGatewayId),
    status: str(t.Status) || str(t.State),
  }));
}

/**
 * The pre-shared key of each tunnel (one for a single-tunnel connection), from DescribeVpnConnection.
 * Kept apart from `tunnelsOf`, whose output becomes stored facts: a key must never reach those.
 */
export function presharedKeys(item: CloudItem): { index: number; tunnelId?: string; key: string }[] {
  const entries = tunnelEntries(item);
  if (entries.length === 0) {
    const ike = item.IkeConfig as CloudItem | undefined;
    return [{ index: 1, key: str(ike?.Psk) }];
  }
  return entries.map((t, i) => ({
    index: i + 1,
    tunnelId: str(t.TunnelId),
    key: str((t.TunnelIkeConfig as CloudItem | undefined)?.Psk),
  }));
}

/** BGP is established on a tunnel (`TunnelBgpConfig.BgpStatus`, or the single tunnel's `VpnBgpConfig.Status`). */
export const BGP_UP = 'success';

/** One tunnel's BGP session, Alibaba's side "local" as the API names it. */
export interface TunnelBgp {
  /** 1 for the master (or the only) tunnel, 2 for the slave, as in `tunnelsOf`. */
  index: number;
  tunnelCidr: string;
  localAsn: string;
  localBgpIp: string;
  peerAsn: string;
  peerBgpIp: string;
  /** `success` once established; `false` (or `failed`) until then, as Alibaba answers. */
  status: string;
}

/** On when the flag says so; where an answer has no flag, when a tunnel /30 is set. */
function bgpOn(flag: unknown, tunnelCidr: unknown): boolean {
  if (flag === undefined || flag === null || flag === '') return str(tunnelCidr) !== '';
  return flag === true || flag === 'true';
}

function sessionOf(index: number, config: CloudItem | undefined, status: unknown): TunnelBgp {
  return {
    index,
    tunnelCidr: str(config?.TunnelCidr),
    localAsn: str(config?.LocalAsn),
    localBgpIp: str(config?.LocalBgpIp),
    peerAsn: str(config?.PeerAsn),
    peerBgpIp: str(config?.PeerBgpIp),
    status: str(status),
  };
}

/**
 * Each tunnel's BGP session as DescribeVpnConnection(s) answer it, master first; none when BGP is
 * off. A dual-tunnel connection has `EnableTunnelsBgp` and a `TunnelBgpConfig` per tunnel, a
 * single-tunnel one `VpnBgpConfig`. Only these fields are read: `VpnBgpConfig.AuthKey` is a secret
 * and never leaves here.
 */
export function bgpOf(item: CloudItem): TunnelBgp[] {
  const entries = tunnelEntries(item);
  if (entries.length === 0) {
    const config = item.VpnBgpConfig as CloudItem | undefined;
    return config && bgpOn(config.EnableBgp, config.TunnelCidr) ? [sessionOf(1, config, config.Status)] : [];
  }
  return entries.flatMap((t, i) => {
    const config = t.TunnelBgpConfig as CloudItem | undefined;
    return bgpOn(item.EnableTunnelsBgp, config?.TunnelCidr)
      ? [sessionOf(i + 1, config, config?.BgpStatus)]
      : [];
  });
}
