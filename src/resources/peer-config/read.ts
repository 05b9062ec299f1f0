/**
 * The peer's configuration (model.ts) from what the cloud answers at the click: the device's side
 * from DownloadVpnConnectionConfig, which Alibaba writes from the device's point of view (`Local`
 * is the device, `LocalSubnet` the office's networks; a dual-tunnel connection lists each tunnel
 * under `TunnelsConfig.TunnelConfig`), and what it leaves out from DescribeVpnConnection: the
 * connection's name, each tunnel's role (`tunnelsOf`), and BGP where it is on (`bgpOf`: per tunnel
 * `TunnelBgpConfig`, a single-tunnel connection's `VpnBgpConfig`). DescribeVpnConnection tells BGP
 * from Alibaba's side (`LocalAsn` and `LocalBgpIp` are Alibaba's, `PeerAsn` and `PeerBgpIp` the
 * device's): turned round here.
 */
import { bgpOf, type TunnelBgp, tunnelsOf } from '../connection-items.js';
import type { CloudItem } from '../spec.js';
import type { PeerBgp, PeerConfig, PeerIke, PeerIpsec, PeerTunnel } from './model.js';

export const DOWNLOAD_ACTION = 'DownloadVpnConnectionConfig';
export const DESCRIBE_ACTION = 'DescribeVpnConnection';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): CloudItem =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as CloudItem) : {};

/** RPC JSON wraps lists once more (`{TunnelConfig: [...]}`), or not: accept both. */
function listOf(value: unknown, key: string): CloudItem[] {
  if (Array.isArray(value)) return value as CloudItem[];
  const inner = obj(value)[key];
  return Array.isArray(inner) ? (inner as CloudItem[]) : [];
}

/** `a,b` as Alibaba writes a connection's networks. */
const subnets = (v: unknown): string[] =>
  str(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function ike(raw: CloudItem): PeerIke {
  return {
    version: str(raw.IkeVersion) === 'ikev2' ? 'ikev2' : 'ikev1',
    mode: str(raw.IkeMode) === 'aggressive' ? 'aggressive' : 'main',
    encAlg: str(raw.IkeEncAlg),
    authAlg: str(raw.IkeAuthAlg),
    dhGroup: str(raw.IkePfs),
    lifetimeSeconds: Number(raw.IkeLifetime ?? 0),
    localId: str(raw.LocalId),
    remoteId: str(raw.RemoteId),
    psk: str(raw.Psk),
  };
}

function ipsec(raw: CloudItem): PeerIpsec {
  return {
    encAlg: str(raw.IpsecEncAlg),
    authAlg: str(raw.IpsecAuthAlg),
    pfs: str(raw.IpsecPfs),
    lifetimeSeconds: Number(raw.IpsecLifetime ?? 0),
  };
}

/** The other usable address of a /30 (a tunnel's two BGP speakers hold its two). */
function otherOfThirty(cidr: string, ip: string): string {
  const base = cidr.split('/')[0]?.split('.').map(Number) ?? [];
  const own = ip.split('.').map(Number);
  if (base.length !== 4 || own.length !== 4) return '';
  const first = (base[3] ?? 0) & ~3;
  const last = own[3] === first + 1 ? first + 2 : first + 1;
  return [base[0], base[1], base[2], last].join('.');
}

/** One tunnel's BGP as Alibaba tells it (`bgpOf`), turned to the device's side. */
export function deviceBgp(session: TunnelBgp): PeerBgp | undefined {
  const { tunnelCidr, localBgpIp: peerIp } = session;
  if (!tunnelCidr || !peerIp) return undefined;
  return {
    localAsn: session.peerAsn,
    peerAsn: session.localAsn || '45104',
    tunnelCidr,
    localIp: session.peerBgpIp || otherOfThirty(tunnelCidr, peerIp),
    peerIp,
  };
}

/** DescribeVpnConnection's tunnels by id (a single-tunnel connection's under ''), with role and BGP. */
function describedTunnels(item: CloudItem): Map<string, { role?: 'master' | 'slave'; bgp?: PeerBgp }> {
  const sessions = bgpOf(item);
  return new Map(
    tunnelsOf(item).map((t) => {
      const session = sessions.find((b) => b.index === t.index);
      const bgp = session ? deviceBgp(session) : undefined;
      const role = t.role === 'master' || t.role === 'slave' ? t.role : undefined;
      return [t.tunnelId ?? '', { ...(role ? { role } : {}), ...(bgp ? { bgp } : {}) }];
    }),
  );
}

/** The configuration from DownloadVpnConnectionConfig's and DescribeVpnConnection's answers. */
export function readPeerConfig(answers: Readonly<Record<string, CloudItem>>, id: string): PeerConfig {
  const config = obj(answers[DOWNLOAD_ACTION]?.VpnConnectionConfig);
  const described = obj(answers[DESCRIBE_ACTION]);
  const known = describedTunnels(described);
  const listed = listOf(config.TunnelsConfig, 'TunnelConfig');
  const raw = listed.length > 0 ? listed : [{ ...config, TunnelId: '' }];
  const tunnels = raw
    .map((t): Omit<PeerTunnel, 'index'> => {
      const tunnelId = str(t.TunnelId);
      const extra = known.get(tunnelId) ?? {};
      return {
        ...(tunnelId ? { tunnelId } : {}),
        ...extra,
        local: str(t.Local),
        remote: str(t.Remote),
        ike: ike(obj(t.IkeConfig)),
        ipsec: ipsec(obj(t.IpsecConfig)),
      };
    })
    // Master first, as the connection lists them.
    .sort((a, b) => (a.role === 'slave' ? 1 : 0) - (b.role === 'slave' ? 1 : 0))
    .map((t, i) => ({ index: i + 1, ...t }));
  const name = str(described.Name);
  return {
    connectionId: id,
    ...(name ? { name } : {}),
    localSubnets: subnets(config.LocalSubnet),
    remoteSubnets: subnets(config.RemoteSubnet),
    tunnels,
  };
}
