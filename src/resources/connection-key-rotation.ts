/**
 * An IPsec connection's key rotation (`/gateway rotate-key vco-…`): ModifyVpnConnectionAttribute
 * with a new key per tunnel (docs/requests.md, "Key rotation", gives the sources). What is sent
 * besides the key is read from DescribeVpnConnection right before the call, never assumed, and is
 * what Alibaba's own Terraform provider sends with a changed key:
 *
 * - both modes: the connection's `LocalSubnet` and `RemoteSubnet` (the provider sends them with
 *   every change since its fix of a failing `IkeConfig` change), and its `EffectImmediately`;
 * - single tunnel: the `IkeConfig` JSON string whole, the current phase 1 settings with the new `Psk`;
 * - dual tunnel: per tunnel, `TunnelOptionsSpecification.N` (sent flat) whole: the tunnel's
 *   `TunnelId` and `Role`, its `EnableDpd` and `EnableNatTraversal`, its `TunnelIkeConfig` with the
 *   new `Psk`, its `TunnelIpsecConfig`, and its `TunnelBgpConfig` when the connection has BGP on.
 *
 * So every value sent is the one the connection has, but the keys: no field is left to a default.
 *
 * The change is asynchronous: while Alibaba applies it, the VPN gateway is `updating` and so is
 * the connection (`State`); it is done when the connection's `State` is `active` again (what the
 * provider waits for) and none of its tunnels shows `updating`.
 */
import { text } from '../i18n/index.js';
import { tunnelEntries, tunnelsOf } from './connection-items.js';
import { DESCRIBE_ACTION } from './peer-config/read.js';
import type { CloudItem, ParamValue, RotateKeySpec } from './spec.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A switch as the describe gives it (a boolean, or `"true"`/`"false"` in a tunnel's entry). */
function flag(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** The phase 1 settings ModifyVpnConnectionAttribute takes besides the key, as the connection has them. */
const IKE_SETTINGS = [
  'IkeVersion',
  'IkeMode',
  'IkeEncAlg',
  'IkeAuthAlg',
  'IkePfs',
  'IkeLifetime',
  'LocalId',
  'RemoteId',
] as const;
/** A dual-tunnel entry's phase 2 settings. */
const IPSEC_SETTINGS = ['IpsecEncAlg', 'IpsecAuthAlg', 'IpsecPfs', 'IpsecLifetime'] as const;
/** A dual-tunnel entry's BGP settings that a change takes (the session's state is only shown). */
const BGP_SETTINGS = ['LocalAsn', 'LocalBgpIp', 'TunnelCidr'] as const;

/** The named settings as the describe gave them: a number stays a number in the `IkeConfig` JSON. */
function current(config: unknown, names: readonly string[]): Record<string, string | number> {
  const from = (config ?? {}) as CloudItem;
  const out: Record<string, string | number> = {};
  for (const name of names) {
    const value = from[name];
    if (typeof value === 'number' || (typeof value === 'string' && value !== '')) out[name] = value;
  }
  return out;
}

/** What both modes send as the connection has it, so that nothing falls back to a default. */
function connectionParams(item: CloudItem): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const name of ['LocalSubnet', 'RemoteSubnet'] as const)
    if (str(item[name])) out[name] = str(item[name]);
  const effect = flag(item.EffectImmediately);
  if (effect !== undefined) out.EffectImmediately = effect;
  return out;
}

/** One dual-tunnel entry, whole: the tunnel's settings as they are, its key new. */
function tunnelParams(entry: CloudItem, n: number, bgp: boolean, psk: string): Record<string, ParamValue> {
  const at = `TunnelOptionsSpecification.${n}`;
  const out: Record<string, ParamValue> = { [`${at}.TunnelId`]: str(entry.TunnelId) };
  if (str(entry.Role)) out[`${at}.Role`] = str(entry.Role);
  for (const name of ['EnableDpd', 'EnableNatTraversal'] as const) {
    const value = flag(entry[name]);
    if (value !== undefined) out[`${at}.${name}`] = value;
  }
  const groups: [string, Record<string, string | number>][] = [
    ['TunnelIkeConfig', { ...current(entry.TunnelIkeConfig, IKE_SETTINGS), Psk: psk }],
    ['TunnelIpsecConfig', current(entry.TunnelIpsecConfig, IPSEC_SETTINGS)],
    ['TunnelBgpConfig', bgp ? current(entry.TunnelBgpConfig, BGP_SETTINGS) : {}],
  ];
  for (const [group, values] of groups)
    for (const [name, value] of Object.entries(values)) out[`${at}.${group}.${name}`] = value;
  return out;
}

function rotationParams(item: CloudItem, keyOf: (part: string) => string): Record<string, ParamValue> {
  const entries = tunnelEntries(item);
  const out = connectionParams(item);
  if (entries.length === 0) {
    // Single tunnel: the tunnel is the connection; its key is named after the connection.
    const ike = { ...current(item.IkeConfig, IKE_SETTINGS), Psk: keyOf(str(item.VpnConnectionId)) };
    return { ...out, IkeConfig: JSON.stringify(ike) };
  }
  const bgp = flag(item.EnableTunnelsBgp) === true;
  entries.forEach((entry, i) => {
    Object.assign(out, tunnelParams(entry, i + 1, bgp, keyOf(str(entry.TunnelId))));
  });
  return out;
}

/** Applied: the connection `active` again and no tunnel of it still `updating`. */
function applied(item: CloudItem): boolean {
  return str(item.State) === 'active' && !tunnelEntries(item).some((t) => str(t.State) === 'updating');
}

export const connectionKeyRotation: RotateKeySpec = {
  action: 'ModifyVpnConnectionAttribute',
  read: DESCRIBE_ACTION,
  params: rotationParams,
  describe: (item) => [
    { label: text('Name', '名称'), value: str(item.Name), typed: true },
    { label: text('VPN gateway', 'VPN 网关'), value: str(item.VpnGatewayId) },
    ...tunnelsOf(item).map((t) => ({
      label: t.tunnelId ? text(`Tunnel ${t.index}`, `隧道 ${t.index}`) : text('Tunnel', '隧道'),
      value: [t.tunnelId, t.customerGatewayId].filter(Boolean).join(' ↔ '),
    })),
  ],
  watch: {
    observe: (item) => ({ status: str(item.State) || 'unknown', ready: applied(item) }),
    timeoutHint: (id, regionId) =>
      text(
        `Alibaba Cloud accepted the new keys but had not shown ${id} active again. Check it with \`/gateway status ${id}\` or in the VPN console (region ${regionId}); the keys sent are the ones Show pre-shared key reads.`,
        `阿里云已接受新密钥，但 ${id} 尚未恢复为可用（active）状态。请使用 \`/gateway status ${id}\` 或在 VPN 控制台（地域 ${regionId}）中查看；“查看预共享密钥”读取的即为已发送的密钥。`,
      ),
  },
  done: text(
    'The tunnels stay down until your on-premises device has the new keys: read them with Show pre-shared key, or the whole configuration with Device configuration, and put them on the device.',
    '在本地设备配置新密钥之前，隧道将保持中断：请点击“查看预共享密钥”读取新密钥，或点击“本地设备配置”获取完整配置，并在设备上更新。',
  ),
};
