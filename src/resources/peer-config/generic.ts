/**
 * The device's side as plain fields, one a line, labelled in the reader's language: for a device
 * none of the other formats fits. Values are Alibaba's own words (`aes256`, `group14`).
 */
import { type Locale, type Text, text } from '../../i18n/index.js';
import { checkPeerConfig, oneLine } from './check.js';
import type { PeerConfig, PeerTunnel } from './model.js';

const LABELS = {
  title: text('Alibaba Cloud IPsec connection', '阿里云 IPsec 连接'),
  name: text('Name', '名称'),
  localSubnets: text('Office networks (this device)', '本端网段（本设备）'),
  remoteSubnets: text('VPC networks (Alibaba Cloud)', '对端网段（VPC）'),
  tunnel: text('Tunnel', '隧道'),
  master: text('master', '主'),
  slave: text('slave', '备'),
  tunnelId: text('Tunnel ID', '隧道 ID'),
  local: text("This device's public IP", '本设备公网 IP'),
  remote: text("Alibaba Cloud's public IP", '阿里云公网 IP'),
  psk: text('Pre-shared key', '预共享密钥'),
  ikeVersion: text('IKE version', 'IKE 版本'),
  ikeMode: text('Negotiation mode', '协商模式'),
  ikeEnc: text('IKE encryption', 'IKE 加密算法'),
  ikeAuth: text('IKE authentication', 'IKE 认证算法'),
  ikeDh: text('IKE DH group', 'IKE DH 分组'),
  ikeLifetime: text('IKE SA lifetime (s)', 'IKE SA 生存周期（秒）'),
  localId: text('Local ID (this device)', '本端标识（本设备）'),
  remoteId: text('Remote ID (Alibaba Cloud)', '对端标识（阿里云）'),
  ipsecEnc: text('IPsec encryption', 'IPsec 加密算法'),
  ipsecAuth: text('IPsec authentication', 'IPsec 认证算法'),
  ipsecPfs: text('IPsec PFS (DH group)', 'IPsec PFS（DH 分组）'),
  ipsecLifetime: text('IPsec SA lifetime (s)', 'IPsec SA 生存周期（秒）'),
  bgpLocalAsn: text("BGP: this device's ASN", 'BGP：本设备 ASN'),
  bgpPeerAsn: text("BGP: Alibaba Cloud's ASN", 'BGP：阿里云 ASN'),
  bgpCidr: text('BGP: tunnel CIDR', 'BGP：隧道网段'),
  bgpLocalIp: text("BGP: this device's IP in the tunnel", 'BGP：本设备隧道内 IP'),
  bgpPeerIp: text("BGP: Alibaba Cloud's IP in the tunnel", 'BGP：阿里云隧道内 IP'),
} satisfies Record<string, Text>;

type Label = keyof typeof LABELS;

function tunnelLines(tunnel: PeerTunnel, say: (l: Label) => string): string[] {
  const field = (label: Label, value: string | number) => `  ${say(label)}: ${value}`;
  const role = tunnel.role ? ` (${say(tunnel.role)})` : '';
  const { ike, ipsec, bgp } = tunnel;
  return [
    `${say('tunnel')} ${tunnel.index}${role}`,
    ...(tunnel.tunnelId ? [field('tunnelId', oneLine(tunnel.tunnelId))] : []),
    field('local', tunnel.local),
    field('remote', tunnel.remote),
    field('psk', ike.psk),
    field('ikeVersion', oneLine(ike.version)),
    field('ikeMode', oneLine(ike.mode)),
    field('ikeEnc', oneLine(ike.encAlg)),
    field('ikeAuth', oneLine(ike.authAlg)),
    field('ikeDh', oneLine(ike.dhGroup)),
    field('ikeLifetime', ike.lifetimeSeconds),
    field('localId', ike.localId),
    field('remoteId', ike.remoteId),
    field('ipsecEnc', oneLine(ipsec.encAlg)),
    field('ipsecAuth', oneLine(ipsec.authAlg)),
    field('ipsecPfs', oneLine(ipsec.pfs)),
    field('ipsecLifetime', ipsec.lifetimeSeconds),
    ...(bgp
      ? [
          field('bgpLocalAsn', bgp.localAsn),
          field('bgpPeerAsn', bgp.peerAsn),
          field('bgpCidr', bgp.tunnelCidr),
          field('bgpLocalIp', bgp.localIp),
          field('bgpPeerIp', bgp.peerIp),
        ]
      : []),
  ];
}

export function renderGeneric(config: PeerConfig, locale: Locale): string {
  checkPeerConfig(config);
  const say = (label: Label) => LABELS[label][locale];
  return [
    `${say('title')} ${config.connectionId}`,
    ...(config.name ? [`${say('name')}: ${oneLine(config.name)}`] : []),
    `${say('localSubnets')}: ${config.localSubnets.join(', ')}`,
    `${say('remoteSubnets')}: ${config.remoteSubnets.join(', ')}`,
    ...config.tunnels.flatMap((t) => ['', ...tunnelLines(t, say)]),
    '',
  ].join('\n');
}
