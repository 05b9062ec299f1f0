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
function tunnelEntries(item: CloudItem): CloudItem[] {
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
