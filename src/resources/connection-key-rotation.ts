/**
 * An IPsec connection's key rotation (`/gateway rotate-key vco-…`): ModifyVpnConnectionAttribute
 * with a new key per tunnel. A dual-tunnel connection takes `TunnelOptionsSpecification.N` (sent
 * flat) naming the tunnel (`TunnelId`), its `Role` and `CustomerGatewayId`, and its
 * `TunnelIkeConfig` whole: the tunnel's current IKE settings with the new `Psk`. A single-tunnel
 * connection takes the `IkeConfig` JSON string the same way. What is sent besides the key is read
 * from DescribeVpnConnection right before the call, never assumed, so the change alters the key
 * alone.
 *
 * The change is asynchronous: while Alibaba applies it, the VPN gateway is `updating` and so are
 * the connection's tunnels (`State`); it is done when they are `active` again.
 */
import { text } from '../i18n/index.js';
import { tunnelEntries, tunnelsOf } from './connection-items.js';
import { DESCRIBE_ACTION } from './peer-config/read.js';
import type { CloudItem, ParamValue, RotateKeySpec } from './spec.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

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

/** The settings as the describe gave them: a number stays a number in the `IkeConfig` JSON. */
function currentIke(config: unknown): Record<string, string | number> {
  const ike = (config ?? {}) as CloudItem;
  const out: Record<string, string | number> = {};
  for (const name of IKE_SETTINGS) {
    const value = ike[name];
    if (typeof value === 'number' || (typeof value === 'string' && value !== '')) out[name] = value;
  }
  return out;
}

function rotationParams(current: CloudItem, keyOf: (part: string) => string): Record<string, ParamValue> {
  const entries = tunnelEntries(current);
  if (entries.length === 0) {
    // Single tunnel: the tunnel is the connection; its key is named after the connection.
    const ike = { ...currentIke(current.IkeConfig), Psk: keyOf(str(current.VpnConnectionId)) };
    return { IkeConfig: JSON.stringify(ike) };
  }
  const out: Record<string, ParamValue> = {};
  entries.forEach((entry, i) => {
    const tunnel = `TunnelOptionsSpecification.${i + 1}`;
    const id = str(entry.TunnelId);
    out[`${tunnel}.TunnelId`] = id;
    if (str(entry.Role)) out[`${tunnel}.Role`] = str(entry.Role);
    if (str(entry.CustomerGatewayId)) out[`${tunnel}.CustomerGatewayId`] = str(entry.CustomerGatewayId);
    for (const [name, value] of Object.entries(currentIke(entry.TunnelIkeConfig)))
      out[`${tunnel}.TunnelIkeConfig.${name}`] = value;
    out[`${tunnel}.TunnelIkeConfig.Psk`] = keyOf(id);
  });
  return out;
}

/** Still applying a change: the connection or one of its tunnels is `updating`. */
function updating(item: CloudItem): boolean {
  return [item, ...tunnelEntries(item)].some((x) => str(x.State) === 'updating');
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
    observe: (item) => ({ status: str(item.State) || 'active', ready: !updating(item) }),
    timeoutHint: (id, regionId) =>
      text(
        `Alibaba Cloud accepted the new keys but still showed ${id} updating. Check it with \`/gateway status ${id}\` or in the VPN console (region ${regionId}); the keys sent are the ones Show pre-shared key reads.`,
        `阿里云已接受新密钥，但 ${id} 仍显示为更新中。请使用 \`/gateway status ${id}\` 或在 VPN 控制台（地域 ${regionId}）中查看；“查看预共享密钥”读取的即为已发送的密钥。`,
      ),
  },
  done: text(
    'The tunnels stay down until your on-premises device has the new keys: read them with Show pre-shared key, or the whole configuration with Device configuration, and put them on the device.',
    '在本地设备配置新密钥之前，隧道将保持中断：请点击“查看预共享密钥”读取新密钥，或点击“本地设备配置”获取完整配置，并在设备上更新。',
  ),
};
