/**
 * The IPsec-VPN connection between a VPN gateway and one customer gateway per tunnel
 * (docs/requests.md, "IPsec connection").
 * CreateVpnConnection as Alibaba takes it today: RegionId, VpnGatewayId, LocalSubnet and
 * RemoteSubnet (CIDR blocks separated by commas, each network once, at most 10 a side;
 * `0.0.0.0/0` on both sides routes by destination, on one side reaches every address there; the
 * rules and their sources are in cidr.ts), Name 1–100 characters not starting with http:// or
 * https://, EffectImmediately.
 * A single-tunnel gateway takes `CustomerGatewayId` and the IKE/IPsec settings as JSON strings
 * (`IkeConfig`, `IpsecConfig`); a dual-tunnel one takes `TunnelOptionsSpecification`, one master
 * and one slave tunnel, each with its customer gateway and its own copy of the settings, sent flat
 * (`TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion`) because pop-core does not flatten
 * objects inside an array. No pre-shared key is ever sent: Alibaba generates one per tunnel and
 * the bot reads it only when the requester or an approver asks (`reveal_psk`). Synchronous to
 * create, then watched: ready once listed, and watched on until its tunnels are up.
 */
import { spaced, type Text, text } from '../i18n/index.js';
import { listAll } from './checks.js';
import {
  cidrListDistinct,
  cidrListFormat,
  cidrListLength,
  cidrListMeant,
  firstOverlap,
  normalizeCidrList,
} from './cidr.js';
import {
  BGP_UP,
  bgpOf,
  presharedKeys,
  TUNNEL_UP,
  type Tunnel,
  type TunnelBgp,
  tunnelsOf,
} from './connection-items.js';
import { connectionKeyRotation } from './connection-key-rotation.js';
import { defineResource } from './define.js';
import { NETWORK_LISTS } from './network.js';
import { DESCRIBE_ACTION, DOWNLOAD_ACTION, readPeerConfig } from './peer-config/read.js';
import { asnFormat, idFormat, ipv4Format, noUrlPrefix, parseAsn, regionParam } from './rules.js';
import { integerSetting } from './settings.js';
import type {
  Check,
  CheckContext,
  CheckOutcome,
  CloudItem,
  Condition,
  HealthPart,
  ListSpec,
  NarrowContext,
  ParamSpec,
  ParamValue,
  Proposals,
  ResourceOptions,
  ResultFact,
  ValueChoice,
} from './spec.js';
import {
  DEFAULT_LOCAL_ASN,
  freeTunnelCidrs,
  isTunnelHost,
  normalizeTunnelCidr,
  tunnelCidrRule,
  tunnelHosts,
} from './tunnel-cidr.js';
import { isDualTunnelGateway, isDualTunnelRegion } from './vpn-gateway-facts.js';

const dualTunnel = (region: unknown, o: ResourceOptions) => isDualTunnelRegion(region, o);
const singleTunnel = (region: unknown, o: ResourceOptions) => !dualTunnel(region, o);

export const TUNNEL_CGW = [
  'TunnelOptionsSpecification.1.CustomerGatewayId',
  'TunnelOptionsSpecification.2.CustomerGatewayId',
] as const;

const choices = (values: readonly string[]): ValueChoice[] =>
  values.map((value) => ({ value, label: text(value, value) }));

const lifetime = {
  test: (v: string) => /^\d{1,5}$/.test(v) && Number(v) <= 86_400,
  message: text(
    'not a number of seconds from 0 to 86400. Enter one in that range.',
    '不是 0–86400 之间的秒数。请输入该范围内的秒数。',
  ),
};

/** The IKE (phase 1) and IPsec (phase 2) settings, with Alibaba's defaults; the same for both tunnels. */
const NEGOTIATION = [
  {
    name: 'IkeConfig.IkeVersion',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'ikev1',
    values: choices(['ikev1', 'ikev2']),
    label: text('IKE version', 'IKE 版本'),
    help: text('IKEv2 handles several CIDR blocks per side better.', 'IKEv2 更适合每侧多个网段的场景。'),
  },
  {
    name: 'IkeConfig.IkeMode',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'main',
    values: choices(['main', 'aggressive']),
    label: text('IKE negotiation mode', 'IKE 协商模式'),
  },
  {
    name: 'IkeConfig.IkeEncAlg',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'aes',
    values: choices(['aes', 'aes192', 'aes256', 'des', '3des']),
    label: text('IKE encryption', 'IKE 加密算法'),
  },
  {
    name: 'IkeConfig.IkeAuthAlg',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'md5',
    values: choices(['md5', 'sha1', 'sha256', 'sha384', 'sha512']),
    label: text('IKE authentication', 'IKE 认证算法'),
  },
  {
    name: 'IkeConfig.IkePfs',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'group2',
    values: choices(['group1', 'group2', 'group5', 'group14']),
    label: text('IKE DH group', 'IKE DH 分组'),
  },
  {
    name: 'IkeConfig.IkeLifetime',
    type: 'string',
    required: false,
    input: 'text',
    advanced: true,
    default: '86400',
    maxLength: 5,
    rules: [lifetime],
    label: text('IKE SA lifetime (s)', 'IKE SA 生存周期（秒）'),
  },
  {
    name: 'IpsecConfig.IpsecEncAlg',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'aes',
    values: choices(['aes', 'aes192', 'aes256', 'des', '3des']),
    label: text('IPsec encryption', 'IPsec 加密算法'),
  },
  {
    name: 'IpsecConfig.IpsecAuthAlg',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'md5',
    values: choices(['md5', 'sha1', 'sha256', 'sha384', 'sha512']),
    label: text('IPsec authentication', 'IPsec 认证算法'),
  },
  {
    name: 'IpsecConfig.IpsecPfs',
    type: 'string',
    required: false,
    input: 'static_select',
    advanced: true,
    default: 'group2',
    values: choices(['disabled', 'group1', 'group2', 'group5', 'group14']),
    label: text('IPsec DH group (PFS)', 'IPsec DH 分组（PFS）'),
  },
  {
    name: 'IpsecConfig.IpsecLifetime',
    type: 'string',
    required: false,
    input: 'text',
    advanced: true,
    default: '86400',
    maxLength: 5,
    rules: [lifetime],
    label: text('IPsec SA lifetime (s)', 'IPsec SA 生存周期（秒）'),
  },
] as const satisfies readonly ParamSpec[];

/*
 * BGP over the tunnels (docs/requests.md, "BGP"). A dual-tunnel gateway takes `EnableTunnelsBgp`
 * and, per tunnel, `TunnelOptionsSpecification.N.TunnelBgpConfig.{TunnelCidr, LocalBgpIp,
 * LocalAsn}` (sent flat, as the form names them); a single-tunnel one the same settings as the
 * JSON string `BgpConfig`, asked for as `BgpConfig.EnableBgp`, `BgpConfig.TunnelCidr`, … and
 * joined by `wire`. "Local" is Alibaba's side, as the API names it; the device's AS number is its
 * customer gateway's `Asn`.
 */
/** A boolean as validated, or as a radio button's value while the modal is filled in. */
const isOn = (value: ParamValue | undefined) => value === true || value === 'true';
const DUAL_BGP: Condition = {
  param: 'EnableTunnelsBgp',
  test: isOn,
  also: { param: 'RegionId', test: dualTunnel },
};
const SINGLE_BGP: Condition = {
  param: 'BgpConfig.EnableBgp',
  test: isOn,
  also: { param: 'RegionId', test: singleTunnel },
};

/** Where each tunnel's BGP settings are asked for: tunnel 1, tunnel 2, the single tunnel. */
const BGP_PREFIXES = [
  'TunnelOptionsSpecification.1.TunnelBgpConfig',
  'TunnelOptionsSpecification.2.TunnelBgpConfig',
  'BgpConfig',
] as const;
type BgpPrefix = (typeof BGP_PREFIXES)[number];

/** The tunnel /30 parameters, and the one each must differ from. */
const TUNNEL_CIDRS = BGP_PREFIXES.map((prefix) => `${prefix}.TunnelCidr`);
const SIBLING_CIDR: Readonly<Record<string, string>> = {
  [`${BGP_PREFIXES[0]}.TunnelCidr`]: `${BGP_PREFIXES[1]}.TunnelCidr`,
  [`${BGP_PREFIXES[1]}.TunnelCidr`]: `${BGP_PREFIXES[0]}.TunnelCidr`,
};

const bgpSwitch = (on: Text): readonly ValueChoice[] => [
  {
    value: false,
    label: text('Off: routes from the networks above (default)', '关闭：按上方网段路由（默认）'),
  },
  { value: true, label: on },
];

/** Offers the /30s no connection of the chosen VPN gateway holds, nor the other tunnel of this form. */
function freeTunnelCidrsFor(param: string): Proposals {
  return {
    async propose(ctx) {
      const region = ctx.chosen('RegionId');
      const gateway = ctx.chosen('VpnGatewayId');
      const held = region && gateway ? await tunnelCidrsOn(ctx, region, gateway) : new Map<string, string>();
      const used = new Set(held.keys());
      const sibling = SIBLING_CIDR[param] ? ctx.chosen(SIBLING_CIDR[param]) : undefined;
      if (sibling) used.add(sibling);
      return freeTunnelCidrs(used, ctx.typed, 100);
    },
  };
}

/** One tunnel's three BGP settings (Alibaba's side: its /30, its address in it, its AS number). */
function bgpParams<const P extends BgpPrefix>(
  prefix: P,
  when: Condition,
  tunnel: { en: string; zh: string },
) {
  return [
    {
      name: `${prefix}.TunnelCidr`,
      type: 'string',
      required: false,
      input: 'external_select',
      source: { list: freeTunnelCidrsFor(`${prefix}.TunnelCidr`) },
      normalize: normalizeTunnelCidr,
      label: text(`BGP tunnel network${tunnel.en}`, `BGP 隧道网段${tunnel.zh}`),
      help: text(
        'A /30 inside 169.254.0.0/16 that no other connection of this VPN gateway uses: the list offers free ones, or type your own. 169.254.0.0/30 to 169.254.6.0/30 and 169.254.169.252/30 are reserved.',
        '169.254.0.0/16 内、且该 VPN 网关的其他连接均未使用的 /30 网段：列表中为可用网段，也可自行输入。169.254.0.0/30 至 169.254.6.0/30 以及 169.254.169.252/30 为保留网段。',
      ),
      onlyWhen: when,
      requiredWhen: {
        ...when,
        message: text(
          'not chosen, and BGP is on. Choose a free /30 from the list.',
          '未选择，而 BGP 已开启。请从列表中选择一个可用的 /30 网段。',
        ),
      },
      rules: [tunnelCidrRule],
    },
    {
      name: `${prefix}.LocalBgpIp`,
      type: 'string',
      required: false,
      input: 'text',
      placeholder: text('empty: the first address of the /30', '留空：/30 网段的第一个地址'),
      label: text(`Alibaba Cloud’s BGP address${tunnel.en}`, `阿里云侧 BGP 地址${tunnel.zh}`),
      help: text(
        'One of the two usable addresses of the /30 (empty: the first, such as 169.254.10.1); your device takes the other.',
        '/30 网段中两个可用地址之一（留空则为第一个，例如 169.254.10.1）；本地设备使用另一个。',
      ),
      maxLength: 15,
      onlyWhen: when,
      rules: [ipv4Format],
    },
    {
      name: `${prefix}.LocalAsn`,
      type: 'string',
      required: false,
      input: 'text',
      default: String(DEFAULT_LOCAL_ASN),
      label: text(`Alibaba Cloud’s AS number${tunnel.en}`, `阿里云侧 AS 号${tunnel.zh}`),
      help: text(
        '1–4294967295 (or two 16-bit halves such as 123.456); Alibaba Cloud’s default is 45104. Your device’s AS number is its customer gateway’s.',
        '取值 1–4294967295（或以点分隔的两段 16 位数字，例如 123.456）；阿里云默认 45104。本地设备的 AS 号即其用户网关的 AS 号。',
      ),
      maxLength: 11,
      onlyWhen: when,
      rules: [asnFormat],
      normalize: (v: string) => String(parseAsn(v)),
    },
  ] as const;
}

const BGP = [
  {
    name: 'EnableTunnelsBgp',
    type: 'boolean',
    required: false,
    input: 'radio',
    default: false,
    values: bgpSwitch(text('On: a BGP session in each tunnel', '开启：每条隧道各建立一个 BGP 会话')),
    label: text('BGP dynamic routing', 'BGP 动态路由'),
    help: text(
      'On: each tunnel runs BGP with your device, which needs a customer gateway with an AS number.',
      '开启：每条隧道与本地设备运行 BGP，所用用户网关须设置 AS 号。',
    ),
    onlyWhen: { param: 'RegionId', test: dualTunnel },
  },
  ...bgpParams(BGP_PREFIXES[0], DUAL_BGP, { en: ', tunnel 1 (active)', zh: '：隧道 1（主）' }),
  ...bgpParams(BGP_PREFIXES[1], DUAL_BGP, { en: ', tunnel 2 (standby)', zh: '：隧道 2（备）' }),
  {
    name: 'BgpConfig.EnableBgp',
    type: 'boolean',
    required: false,
    input: 'radio',
    default: false,
    values: bgpSwitch(text('On: a BGP session in the tunnel', '开启：在隧道中建立 BGP 会话')),
    label: text('BGP dynamic routing', 'BGP 动态路由'),
    help: text(
      'On: the tunnel runs BGP with your device, which needs a customer gateway with an AS number.',
      '开启：隧道与本地设备运行 BGP，所用用户网关须设置 AS 号。',
    ),
    onlyWhen: { param: 'RegionId', test: singleTunnel },
  },
  ...bgpParams(BGP_PREFIXES[2], SINGLE_BGP, { en: '', zh: '' }),
] as const satisfies readonly ParamSpec[];

/** The first entry of a list answer (`{VpnGateways: {VpnGateway: [...]}}`), or undefined. */
function firstListed(answer: unknown, plural: string, singular: string): CloudItem | undefined {
  const outer = (answer as Record<string, unknown> | undefined)?.[plural];
  const items = (outer as Record<string, unknown> | undefined)?.[singular];
  return Array.isArray(items) ? (items[0] as CloudItem | undefined) : undefined;
}

/**
 * The local networks' placeholder once the VPN gateway is chosen: its VPC's range (and secondary
 * ranges), read through the same cached calls as the pick-lists.
 */
async function vpcRangeOfGateway(ctx: NarrowContext): Promise<Text | undefined> {
  const region = ctx.chosen('RegionId');
  const gateway = ctx.chosen('VpnGatewayId');
  if (!region || !gateway) return undefined;
  const gw = firstListed(
    await ctx.call('DescribeVpnGateways', { RegionId: region, VpnGatewayId: gateway }),
    'VpnGateways',
    'VpnGateway',
  );
  const vpcId = str(gw?.VpcId);
  if (!vpcId) return undefined;
  const vpc = firstListed(
    await ctx.call(NETWORK_LISTS.vpc.action, { RegionId: region, VpcId: vpcId }),
    NETWORK_LISTS.vpc.plural,
    NETWORK_LISTS.vpc.singular,
  );
  const secondary = (vpc?.SecondaryCidrBlocks as { SecondaryCidrBlock?: unknown } | undefined)
    ?.SecondaryCidrBlock;
  const ranges = [str(vpc?.CidrBlock), ...(Array.isArray(secondary) ? secondary.map(str) : [])].filter(
    Boolean,
  );
  if (ranges.length === 0) return undefined;
  const list = ranges.join(', ');
  return text(
    `e.g. ${list} (the VPC ${vpcId} of ${gateway})`,
    `例如 ${list}（${gateway} 所在 VPC ${vpcId} 的网段）`,
  );
}

const customerGatewayRule = idFormat('cgw', { en: 'customer gateway', zh: '用户网关' });

const params = [
  regionParam(
    text(
      'The region of the VPN gateway. In dual-tunnel regions the connection has two tunnels, each with a customer gateway.',
      'VPN 网关所在的地域。双隧道地域的连接有两条隧道，每条隧道对应一个用户网关。',
    ),
  ),
  {
    name: 'VpnGatewayId',
    type: 'string',
    required: true,
    input: 'external_select',
    source: { list: { resource: 'vpn_gateway' } },
    label: text('VPN gateway', 'VPN 网关'),
    help: text(
      'An active VPN gateway of the region with IPsec-VPN enabled.',
      '该地域中已开通且启用了 IPsec-VPN 的 VPN 网关。',
    ),
    rules: [idFormat('vpn', { en: 'VPN gateway', zh: 'VPN 网关' })],
  },
  {
    name: 'CustomerGatewayId',
    type: 'string',
    required: false,
    input: 'external_select',
    source: { list: { resource: 'customer_gateway' } },
    label: text('Customer gateway', '用户网关'),
    help: text(
      'Your on-premises VPN device, as a customer gateway of the region.',
      '本地 VPN 设备在该地域对应的用户网关。',
    ),
    onlyWhen: { param: 'RegionId', test: singleTunnel },
    requiredWhen: {
      param: 'RegionId',
      test: singleTunnel,
      message: text(
        'not chosen. Choose the customer gateway of your VPN device.',
        '未选择。请选择本地 VPN 设备对应的用户网关。',
      ),
    },
    rules: [customerGatewayRule],
  },
  {
    name: TUNNEL_CGW[0],
    type: 'string',
    required: false,
    input: 'external_select',
    source: { list: { resource: 'customer_gateway' } },
    label: text('Customer gateway, tunnel 1 (active)', '用户网关：隧道 1（主）'),
    help: text('The device the active tunnel goes to.', '主隧道连接的本地设备。'),
    onlyWhen: { param: 'RegionId', test: dualTunnel },
    requiredWhen: {
      param: 'RegionId',
      test: dualTunnel,
      message: text(
        'not chosen, and this region makes dual-tunnel connections. Choose the customer gateway of the active tunnel.',
        '未选择，而该地域创建双隧道连接。请选择主隧道的用户网关。',
      ),
    },
    rules: [customerGatewayRule],
  },
  {
    name: TUNNEL_CGW[1],
    type: 'string',
    required: false,
    input: 'external_select',
    source: { list: { resource: 'customer_gateway' } },
    label: text('Customer gateway, tunnel 2 (standby)', '用户网关：隧道 2（备）'),
    help: text(
      'The device the standby tunnel goes to: a second device (or a second public IP) gives redundancy; the same customer gateway as tunnel 1 is allowed when you have one.',
      '备隧道连接的本地设备：使用第二台设备（或第二个公网 IP）可实现冗余；只有一台设备时可与隧道 1 相同。',
    ),
    onlyWhen: { param: 'RegionId', test: dualTunnel },
    requiredWhen: {
      param: 'RegionId',
      test: dualTunnel,
      message: text(
        'not chosen, and this region makes dual-tunnel connections. Choose the customer gateway of the standby tunnel (it may be the same as tunnel 1).',
        '未选择，而该地域创建双隧道连接。请选择备隧道的用户网关（可与隧道 1 相同）。',
      ),
    },
    rules: [customerGatewayRule],
  },
  {
    name: 'LocalSubnet',
    type: 'string',
    required: true,
    input: 'text',
    placeholder: text('e.g. 192.168.0.0/16', '例如 192.168.0.0/16'),
    suggest: { after: 'VpnGatewayId', read: vpcRangeOfGateway },
    label: text('Local networks (VPC side)', '本端网段（VPC 侧）'),
    help: text(
      'CIDR blocks of the VPC that talk to your site, separated by commas: at most 10, each network once. 0.0.0.0/0 on both sides routes by destination.',
      '与本地数据中心通信的 VPC 网段，多个以逗号分隔：最多 10 个，每个网段只填一次。两侧均为 0.0.0.0/0 时为目的路由模式。',
    ),
    maxLength: 200,
    rules: [cidrListFormat, cidrListLength, cidrListDistinct],
    normalize: normalizeCidrList,
    readAnyway: cidrListMeant,
  },
  {
    name: 'RemoteSubnet',
    type: 'string',
    required: true,
    input: 'text',
    placeholder: text('e.g. 172.16.0.0/16', '例如 172.16.0.0/16'),
    label: text('Remote networks (your site)', '对端网段（本地数据中心）'),
    help: text(
      'CIDR blocks of your site that talk to the VPC, separated by commas: at most 10, each network once.',
      '与 VPC 通信的本地数据中心网段，多个以逗号分隔：最多 10 个，每个网段只填一次。',
    ),
    maxLength: 200,
    rules: [cidrListFormat, cidrListLength, cidrListDistinct],
    normalize: normalizeCidrList,
    readAnyway: cidrListMeant,
  },
  {
    name: 'Name',
    type: 'string',
    required: false,
    input: 'text',
    label: text('Name', '名称'),
    help: text(
      '1–100 characters; must not start with http:// or https://.',
      '长度为 1–100 个字符，不能以 http:// 或 https:// 开头。',
    ),
    minLength: 1,
    maxLength: 100,
    rules: [noUrlPrefix],
  },
  {
    name: 'EffectImmediately',
    type: 'boolean',
    required: false,
    input: 'radio',
    default: false,
    values: [
      { value: false, label: text('When traffic arrives (default)', '有流量时再协商（默认）') },
      { value: true, label: text('Now', '立即协商') },
    ],
    label: text('Start negotiating', '开始协商'),
    help: text(
      'Now: the tunnels negotiate as soon as they exist, and retry until your device answers.',
      '立即协商：隧道创建后立即开始协商，并在本地设备应答前持续重试。',
    ),
  },
  ...BGP,
  ...NEGOTIATION,
] as const satisfies readonly ParamSpec[];

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The settings of one phase (`IkeConfig`), from the flat form parameters, numbers as numbers. */
function phase(prefix: 'IkeConfig' | 'IpsecConfig', p: Readonly<Record<string, ParamValue>>) {
  const out: Record<string, ParamValue> = {};
  for (const spec of NEGOTIATION) {
    if (!spec.name.startsWith(`${prefix}.`)) continue;
    const value = p[spec.name] ?? spec.default;
    out[spec.name.slice(prefix.length + 1)] = spec.name.endsWith('Lifetime') ? Number(value) : value;
  }
  return out;
}

/** Alibaba's BGP address in a tunnel: the one given, else the first usable address of its /30. */
function localBgpIp(p: Readonly<Record<string, ParamValue>>, prefix: BgpPrefix): string | undefined {
  const cidr = p[`${prefix}.TunnelCidr`];
  if (typeof cidr !== 'string') return undefined;
  const given = p[`${prefix}.LocalBgpIp`];
  return typeof given === 'string' ? given : tunnelHosts(cidr)?.[0];
}

/** The single tunnel's `BgpConfig`, the AS number as a number. */
function singleTunnelBgp(p: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const prefix = BGP_PREFIXES[2];
  return {
    EnableBgp: true,
    TunnelCidr: str(p[`${prefix}.TunnelCidr`]),
    LocalBgpIp: localBgpIp(p, prefix) ?? '',
    LocalAsn: Number(p[`${prefix}.LocalAsn`] ?? DEFAULT_LOCAL_ASN),
  };
}

/** The flat form parameters as CreateVpnConnection takes them, for a single- or a dual-tunnel gateway. */
function wire(p: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(p))
    if (!/^(IkeConfig|IpsecConfig|BgpConfig)\./.test(name)) out[name] = value;
  const ike = phase('IkeConfig', p);
  const ipsec = phase('IpsecConfig', p);
  if (p[TUNNEL_CGW[0]] === undefined) {
    out.IkeConfig = JSON.stringify(ike);
    out.IpsecConfig = JSON.stringify(ipsec);
    if (p['BgpConfig.EnableBgp'] === true) out.BgpConfig = JSON.stringify(singleTunnelBgp(p));
    return out;
  }
  for (const prefix of BGP_PREFIXES.slice(0, 2)) {
    const address = localBgpIp(p, prefix);
    if (address !== undefined) out[`${prefix}.LocalBgpIp`] = address;
  }
  for (const n of [1, 2]) {
    const tunnel = `TunnelOptionsSpecification.${n}`;
    out[`${tunnel}.Role`] = n === 1 ? 'master' : 'slave';
    for (const [k, v] of Object.entries(ike)) out[`${tunnel}.TunnelIkeConfig.${k}`] = v;
    for (const [k, v] of Object.entries(ipsec)) out[`${tunnel}.TunnelIpsecConfig.${k}`] = v;
  }
  return out;
}

/** A VPN gateway item is dual-tunnel when it has its second vSwitch or second IP. */
type ConnectionParams = Readonly<{ RegionId: string; VpnGatewayId: string } & Record<string, unknown>>;

/** The customer gateways asked for, by parameter. */
function customerGatewaysOf(p: ConnectionParams): [string, string][] {
  return ['CustomerGatewayId', ...TUNNEL_CGW]
    .filter((name) => p[name] !== undefined)
    .map((name) => [name, str(p[name])]);
}

/** The VPN gateway exists in the region, is active, has IPsec-VPN, and has the region's tunnel mode. */
function gatewayReady(): Check<ConnectionParams> {
  return {
    id: 'vpn_gateway',
    async run(p, ctx) {
      const id = p.VpnGatewayId;
      const region = p.RegionId;
      const items = await listAll(ctx, ctx.listOf('vpn_gateway'), { RegionId: region, VpnGatewayId: id });
      const gw = items.find((i) => i.VpnGatewayId === id);
      const fail = (en: string, zh: string): CheckOutcome => ({
        id: 'vpn_gateway',
        param: 'VpnGatewayId',
        outcome: 'fail',
        detail: text(en, zh),
      });
      if (!gw)
        return fail(
          `VPN gateway ${id} is not in ${region}. Choose the region first, then a gateway from the list.`,
          `VPN 网关 ${id} 不在 ${region} 中。请先选择地域，再从列表中选择网关。`,
        );
      const status = str(gw.Status);
      if (status !== 'active')
        return fail(
          `VPN gateway ${id} is ${status || 'not ready'}, not active: a connection can be made once it is active.`,
          `VPN 网关 ${id} 当前状态为 ${status || '未就绪'}，尚未开通：开通后才能创建连接。`,
        );
      if (str(gw.IpsecVpn) === 'disable')
        return fail(
          `VPN gateway ${id} has IPsec-VPN turned off; turn it on in the console first.`,
          `VPN 网关 ${id} 未启用 IPsec-VPN，请先在控制台中开启。`,
        );
      const dual = TUNNEL_CGW[0] in p && p[TUNNEL_CGW[0]] !== undefined;
      if (isDualTunnelGateway(gw) !== dual)
        return fail(
          isDualTunnelGateway(gw)
            ? `VPN gateway ${id} is dual-tunnel but the form asked for one tunnel. Run the command again.`
            : `VPN gateway ${id} is an older single-tunnel gateway in a dual-tunnel region; upgrade it in the console (or ask for a new gateway) to connect it here.`,
          isDualTunnelGateway(gw)
            ? `VPN 网关 ${id} 为双隧道网关，但表单只填写了一条隧道。请重新执行命令。`
            : `VPN 网关 ${id} 是双隧道地域中的旧版单隧道网关；请先在控制台升级（或申请新网关）后再连接。`,
        );
      return {
        id: 'vpn_gateway',
        outcome: 'pass',
        detail: text(
          `VPN gateway ${id} is active in ${region} (${dual ? 'dual-tunnel' : 'single-tunnel'}).`,
          `VPN 网关 ${id} 已在 ${region} 开通（${dual ? '双隧道' : '单隧道'}）。`,
        ),
      };
    },
  };
}

/** Every customer gateway asked for exists in the region. */
function customerGatewaysInRegion(): Check<ConnectionParams> {
  return {
    id: 'customer_gateway',
    async run(p, ctx) {
      const region = p.RegionId;
      const items = await listAll(ctx, ctx.listOf('customer_gateway'), { RegionId: region });
      const known = new Map(items.map((i) => [str(i.CustomerGatewayId), i]));
      // One finding per customer gateway, even when both tunnels use the same one.
      const asked = customerGatewaysOf(p).filter(
        ([, id], i, all) => all.findIndex(([, x]) => x === id) === i,
      );
      return asked.map(([param, id]): CheckOutcome => {
        const found = known.get(id);
        return found
          ? {
              id: 'customer_gateway',
              outcome: 'pass',
              detail: text(
                `Customer gateway ${id} (${str(found.IpAddress)}) is in ${region}.`,
                `用户网关 ${id}（${str(found.IpAddress)}）位于 ${region}。`,
              ),
            }
          : {
              id: 'customer_gateway',
              param,
              outcome: 'fail',
              detail: text(
                `Customer gateway ${id} is not in ${region}; a connection needs one of its own region. Choose one from the list, or ask for one there with \`/gateway customer\`.`,
                `用户网关 ${id} 不在 ${region} 中；连接只能使用同一地域的用户网关。请从列表中选择，或用 \`/gateway customer\` 在该地域申请。`,
              ),
            };
      });
    },
  };
}

/**
 * None of the gateway's connections already uses one of these customer gateways: Alibaba allows
 * one connection per VPN gateway and customer gateway. (Its room for another is the quota's.)
 */
function onePerCustomerGateway(): Check<ConnectionParams> {
  return {
    id: 'connections',
    async run(p, ctx) {
      const id = p.VpnGatewayId;
      const existing = await listAll(ctx, ctx.listOf('vpn_connection'), {
        RegionId: p.RegionId,
        VpnGatewayId: id,
      });
      const mine = existing.filter((c) => str(c.VpnGatewayId) === id);
      for (const [param, cgw] of customerGatewaysOf(p)) {
        const taken = mine.find((c) => tunnelsOf(c).some((t) => t.customerGatewayId === cgw));
        if (!taken) continue;
        const other = str(taken.VpnConnectionId);
        return {
          id: 'connections',
          param,
          outcome: 'fail',
          detail: text(
            `Connection ${other} already joins ${id} to ${cgw}, and a VPN gateway takes one connection per customer gateway. Use it, or delete it first with \`/gateway delete ${other}\`.`,
            `连接 ${other} 已将 ${id} 与 ${cgw} 相连，同一 VPN 网关与同一用户网关之间只能有一个连接。请直接使用，或先用 \`/gateway delete ${other}\` 删除。`,
          ),
        };
      }
      return {
        id: 'connections',
        outcome: 'pass',
        detail: text(
          `VPN gateway ${id} has ${mine.length} IPsec connection${mine.length === 1 ? '' : 's'}; none to these customer gateways.`,
          `VPN 网关 ${id} 已有 ${mine.length} 个 IPsec 连接，均未连接这些用户网关。`,
        ),
      };
    },
  };
}

/** The connections' list, as the declaration's `list` below and its own checks and proposals read it. */
const CONNECTION_LIST: ListSpec = {
  action: 'DescribeVpnConnections',
  plural: 'VpnConnections',
  singular: 'VpnConnection',
  idField: 'VpnConnectionId',
  idParam: 'VpnConnectionId',
  label: (item) => `${str(item.Name) || '—'} · ${str(item.VpnConnectionId)} · ${str(item.VpnGatewayId)}`,
};

/** The tunnel /30s the VPN gateway's connections hold, each with the connection that holds it. */
async function tunnelCidrsOn(
  ctx: Pick<CheckContext, 'call'>,
  regionId: string,
  gatewayId: string,
): Promise<Map<string, string>> {
  const items = await listAll(ctx, CONNECTION_LIST, { RegionId: regionId, VpnGatewayId: gatewayId });
  const held = new Map<string, string>();
  for (const item of items)
    if (str(item.VpnGatewayId) === gatewayId)
      for (const session of bgpOf(item))
        if (session.tunnelCidr) held.set(session.tunnelCidr, str(item.VpnConnectionId));
  return held;
}

/** The tunnel /30s asked for, by the parameter naming each; none when BGP is off. */
function tunnelCidrsAsked(p: ConnectionParams): [string, string][] {
  return TUNNEL_CIDRS.filter((name) => typeof p[name] === 'string').map((name) => [name, str(p[name])]);
}

const bgpAsked = (p: ConnectionParams) => tunnelCidrsAsked(p).length > 0;

/** BGP needs the device's AS number: every customer gateway the connection uses has an `Asn`. */
function bgpPeersHaveAsn(): Check<ConnectionParams> {
  return {
    id: 'bgp_asn',
    when: bgpAsked,
    async run(p, ctx) {
      const items = await listAll(ctx, ctx.listOf('customer_gateway'), { RegionId: p.RegionId });
      const known = new Map(items.map((i) => [str(i.CustomerGatewayId), i]));
      const asked = customerGatewaysOf(p).filter(
        ([, id], i, all) => all.findIndex(([, x]) => x === id) === i,
      );
      const withoutAsn = asked.find(([, id]) => known.has(id) && str(known.get(id)?.Asn) === '');
      if (withoutAsn) {
        const [param, id] = withoutAsn;
        return {
          id: 'bgp_asn',
          param,
          outcome: 'fail',
          detail: text(
            `Customer gateway ${id} has no BGP AS number, and BGP needs one on every customer gateway the connection uses. Choose one that has an AS number (ask for one with \`/gateway customer\`, BGP AS number filled in), or turn BGP off.`,
            `用户网关 ${id} 未设置 BGP AS 号，而 BGP 要求连接所用的每个用户网关都设置 AS 号。请选择已设置 AS 号的用户网关（可用 \`/gateway customer\` 申请并填写 BGP AS 号），或关闭 BGP。`,
          ),
        };
      }
      const asns = asked
        .filter(([, id]) => known.has(id))
        .map(([, id]) => `${id} (AS ${str(known.get(id)?.Asn)})`)
        .join(', ');
      return {
        id: 'bgp_asn',
        outcome: 'pass',
        detail: text(`Customer gateways with AS numbers: ${asns}.`, `用户网关均已设置 AS 号：${asns}。`),
      };
    },
  };
}

/** No other connection of the VPN gateway holds a tunnel /30 asked for (Alibaba: unique per gateway). */
function tunnelCidrsFree(): Check<ConnectionParams> {
  return {
    id: 'bgp_tunnel_cidr',
    when: bgpAsked,
    async run(p, ctx) {
      const gateway = p.VpnGatewayId;
      const held = await tunnelCidrsOn(ctx, p.RegionId, gateway);
      for (const [param, cidr] of tunnelCidrsAsked(p)) {
        const holder = held.get(cidr);
        if (!holder) continue;
        return {
          id: 'bgp_tunnel_cidr',
          param,
          outcome: 'fail',
          detail: text(
            `${cidr} is already the BGP tunnel network of connection ${holder} on ${gateway}, and each connection of a VPN gateway needs /30s of its own. Choose a free one from the list.`,
            `${cidr} 已是 ${gateway} 上连接 ${holder} 的 BGP 隧道网段，同一 VPN 网关的每个连接须使用各自的 /30 网段。请从列表中选择一个可用网段。`,
          ),
        };
      }
      return {
        id: 'bgp_tunnel_cidr',
        outcome: 'pass',
        detail: text(
          `No other connection of ${gateway} uses these BGP tunnel networks.`,
          `${gateway} 的其他连接均未使用这些 BGP 隧道网段。`,
        ),
      };
    },
  };
}

const ROLE: Record<string, [string, string]> = { master: ['active', '主'], slave: ['standby', '备'] };

/** `Tunnel1`: `tun-… · cgw-… · ipsec_sa_established` (the role is in the key's label). */
function tunnelFacts(tunnels: readonly Tunnel[]): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const t of tunnels) {
    facts[`Tunnel${t.index}`] = [t.tunnelId, t.customerGatewayId, t.status || 'unknown']
      .filter(Boolean)
      .join(' · ');
    if (t.role) facts[`Tunnel${t.index}Role`] = t.role;
  }
  return facts;
}

/** `Tunnel1Bgp`: `success · 169.254.10.0/30 · 169.254.10.1 AS 45104 ↔ 169.254.10.2 AS 65001` (Alibaba's side first). */
function bgpFacts(sessions: readonly TunnelBgp[]): Record<string, string> {
  const end = (ip: string, asn: string) => [ip, asn && `AS ${asn}`].filter(Boolean).join(' ');
  const facts: Record<string, string> = {};
  for (const b of sessions)
    facts[`Tunnel${b.index}Bgp`] = [
      b.status || 'unknown',
      b.tunnelCidr,
      `${end(b.localBgpIp, b.localAsn)} ↔ ${end(b.peerBgpIp, b.peerAsn)}`,
    ]
      .filter(Boolean)
      .join(' · ');
  return facts;
}

/** What is kept of a listed connection: its tunnels and, with BGP, their sessions. */
function connectionFacts(item: CloudItem): Record<string, string> {
  return { ...tunnelFacts(tunnelsOf(item)), ...bgpFacts(bgpOf(item)) };
}

const bgpEstablished = (fact: string | undefined) => fact?.startsWith(`${BGP_UP} `) === true;

function tunnelName(facts: Readonly<Record<string, string>>, n: number): Text {
  const role = ROLE[facts[`Tunnel${n}Role`] ?? ''];
  if (!role) return text(`Tunnel ${n}`, `隧道 ${n}`);
  return text(`Tunnel ${n} (${role[0]})`, `隧道 ${n}（${role[1]}）`);
}

/** The tunnels the facts show not up, by number. */
function downTunnels(facts: Readonly<Record<string, string>>): number[] {
  return [1, 2].filter((n) => facts[`Tunnel${n}`] !== undefined && !facts[`Tunnel${n}`]?.endsWith(TUNNEL_UP));
}

function tunnelCount(facts: Readonly<Record<string, string>>): number {
  return facts.Tunnel2 ? 2 : 1;
}

/** What the tunnels-up message adds when BGP is on. */
function bgpSettled(facts: Readonly<Record<string, string>>): Text {
  const sessions = [1, 2].filter((n) => facts[`Tunnel${n}Bgp`] !== undefined);
  if (sessions.length === 0) return text('', '');
  return sessions.length === 2
    ? text(
        ' BGP is established in both tunnels: routes are learned from your device.',
        'BGP 会话已在两条隧道中建立：路由从本地设备学习。',
      )
    : text(
        ' BGP is established in the tunnel: routes are learned from your device.',
        'BGP 会话已在隧道中建立：路由从本地设备学习。',
      );
}

/** The window ended with every tunnel up but a BGP session not established: which, and what to check. */
function bgpUnsettled(id: string, facts: Readonly<Record<string, string>>, waited: string): Text {
  const down = [1, 2].filter(
    (n) => facts[`Tunnel${n}Bgp`] !== undefined && !bgpEstablished(facts[`Tunnel${n}Bgp`]),
  );
  const list = (zh: boolean) =>
    down
      .map(
        (n) => `• ${tunnelName(facts, n)[zh ? 'zh-CN' : 'en']}${zh ? '：' : ': '}${facts[`Tunnel${n}Bgp`]}`,
      )
      .join('\n');
  return text(
    `:warning: After ${waited}, the tunnels of \`${id}\` are up but BGP is not established:\n${list(false)}\nOn the on-premises device, check: the BGP neighbour is Alibaba Cloud's address and AS number shown here; its own address is the other one of the /30 and its AS number the customer gateway's; BGP runs over the tunnel interface.`,
    spaced`:warning: ${waited}后，连接 \`${id}\` 的隧道已建立，但 BGP 会话未建立：\n${list(true)}\n请在本地设备上检查：BGP 邻居为此处所示的阿里云侧地址与 AS 号；本端地址为该 /30 网段中的另一个地址，AS 号为用户网关的 AS 号；BGP 运行在隧道接口上。`,
  );
}

/** A CIDR list as one compares it: each block written the one way, in order. */
function sortedCidrs(value: unknown): string {
  return typeof value === 'string' && value !== ''
    ? normalizeCidrList(value).split(',').sort().join(',')
    : '';
}

/** What to check on the on-premises device when a tunnel is not up (the unsettled and the down messages). */
const DEVICE_CHECKS = text(
  "On the on-premises device, check: the peer address is the VPN gateway's public IP; the pre-shared key matches (Show pre-shared key on the result); the IKE and IPsec settings match; the local and remote networks mirror these; UDP 500 and 4500 are open.",
  '请在本地设备上检查：对端地址为 VPN 网关的公网 IP；预共享密钥与连接一致（点击结果中的“查看预共享密钥”）；IKE/IPsec 参数与连接一致；两侧网段互为镜像；UDP 500 和 4500 端口已放行。',
);

/** A tunnel as the health messages name it: its number, role and id (`Tunnel 1 (master) tun-…`). */
function tunnelLabel(facts: Readonly<Record<string, string>>, n: number): Text {
  const name = tunnelName(facts, n);
  const [first, , third] = (facts[`Tunnel${n}`] ?? '').split(' · ');
  // `tunnel id · customer gateway · status` in a dual-tunnel connection; no tunnel id in a single one.
  const id = third !== undefined && first ? ` ${first}` : '';
  return text(`${name.en}${id}`, `${name['zh-CN']}${id}`);
}

/** Each tunnel the facts show, up (IPsec SA established) or not. */
function tunnelParts(facts: Readonly<Record<string, string>>): HealthPart[] {
  return [1, 2]
    .filter((n) => facts[`Tunnel${n}`] !== undefined)
    .map((n) => ({
      key: `Tunnel${n}`,
      label: tunnelLabel(facts, n),
      up: facts[`Tunnel${n}`]?.endsWith(TUNNEL_UP) === true,
    }));
}

/** What an approver reads of an existing connection (to delete or take over), from its list item. */
const describeConnection = (item: CloudItem): ResultFact[] => [
  { label: text('Name', '名称'), value: str(item.Name), typed: true },
  { label: text('VPN gateway', 'VPN 网关'), value: str(item.VpnGatewayId) },
  {
    label: text('Customer gateways', '用户网关'),
    value: tunnelsOf(item)
      .map((t) => t.customerGatewayId)
      .join(', '),
  },
  { label: text('Local networks', '本端网段'), value: str(item.LocalSubnet) },
  { label: text('Remote networks', '对端网段'), value: str(item.RemoteSubnet) },
];

export const vpnConnection = defineResource({
  type: 'vpn_connection',
  words: ['connection', 'ipsec'],
  callbackId: 'create_vpn_connection',
  title: text('IPsec connection', 'IPsec 连接'),
  summary: text(
    'connect a VPN gateway to your site (IPsec-VPN)',
    '将 VPN 网关连接到本地数据中心（IPsec-VPN）',
  ),
  idPrefix: 'vco-',
  params,
  advancedHeading: text(
    'IKE and IPsec settings: Alibaba’s defaults. Change them only to match your device; both tunnels use the same.',
    'IKE 与 IPsec 设置：阿里云默认值。仅在需要与本地设备一致时修改；两条隧道使用相同设置。',
  ),
  crossRules: [
    ...BGP_PREFIXES.map((prefix) => ({
      param: `${prefix}.LocalBgpIp`,
      holds: (p: ConnectionParams) => {
        const [cidr, ip] = [p[`${prefix}.TunnelCidr`], p[`${prefix}.LocalBgpIp`]];
        return typeof cidr !== 'string' || typeof ip !== 'string' || isTunnelHost(cidr, ip);
      },
      message: (p: ConnectionParams) => {
        const cidr = str(p[`${prefix}.TunnelCidr`]);
        const [first, second] = tunnelHosts(cidr) ?? ['', ''];
        return text(
          `${str(p[`${prefix}.LocalBgpIp`])} is not a usable address of ${cidr}. Use ${first} or ${second} (or leave it empty for ${first}).`,
          spaced`${str(p[`${prefix}.LocalBgpIp`])}不是${cidr}中的可用地址。请填写${first}或${second}（留空则为${first}）。`,
        );
      },
    })),
    {
      param: `${BGP_PREFIXES[1]}.TunnelCidr`,
      holds: (p: ConnectionParams) => {
        const [one, two] = [p[`${BGP_PREFIXES[0]}.TunnelCidr`], p[`${BGP_PREFIXES[1]}.TunnelCidr`]];
        return one === undefined || one !== two;
      },
      message: (p: ConnectionParams) =>
        text(
          `${str(p[`${BGP_PREFIXES[1]}.TunnelCidr`])} is tunnel 1's too, and the two tunnels need /30s of their own. Choose another.`,
          `${str(p[`${BGP_PREFIXES[1]}.TunnelCidr`])} 已用于隧道 1，两条隧道须各用不同的 /30 网段。请另选一个。`,
        ),
    },
    {
      param: 'RemoteSubnet',
      holds: (p) => firstOverlap(p.LocalSubnet, p.RemoteSubnet) === undefined,
      message: (p) => {
        const [local, remote] = firstOverlap(p.LocalSubnet, p.RemoteSubnet) ?? ['', ''];
        return text(
          `${remote} overlaps the local network ${local}, and traffic between overlapping networks cannot be routed through the tunnel. Use distinct blocks (or 0.0.0.0/0 on both sides to route by destination).`,
          `${remote} 与本端网段 ${local} 重叠，重叠网段之间的流量无法经隧道路由。请使用不重叠的网段（或两侧均填 0.0.0.0/0，按目的路由）。`,
        );
      },
    },
  ],
  // One connection per VPN gateway and customer gateway, whichever field names the latter.
  unique: [
    ['VpnGatewayId', 'CustomerGatewayId'],
    ['VpnGatewayId', TUNNEL_CGW[0]],
    ['VpnGatewayId', TUNNEL_CGW[1]],
    // A tunnel's BGP /30, once per gateway, among open requests too (whichever tunnel asks for it).
    ['VpnGatewayId', `${BGP_PREFIXES[0]}.TunnelCidr` as const],
    ['VpnGatewayId', `${BGP_PREFIXES[1]}.TunnelCidr` as const],
    ['VpnGatewayId', `${BGP_PREFIXES[2]}.TunnelCidr` as const],
  ],
  create: { action: 'CreateVpnConnection', idField: 'VpnConnectionId' },
  list: CONNECTION_LIST,
  quota: {
    // Alibaba's default: 10 IPsec connections per VPN gateway.
    setting: integerSetting('VPN_CONNECTION_QUOTA', { default: 10, min: 1, max: 10_000 }),
    per: 'VpnGatewayId',
    sharesListPage: true,
    what: { en: 'IPsec connections', zh: 'IPsec 连接' },
  },
  // A connection holds its VPN gateway and its customer gateways: neither can be deleted under it.
  uses: [
    { resource: 'vpn_gateway', ids: (item) => [str(item.VpnGatewayId)] },
    { resource: 'customer_gateway', ids: (item) => tunnelsOf(item).map((t) => t.customerGatewayId) },
  ],
  wire,
  watch: {
    // The connection exists as soon as it is listed; its tunnels are watched on (settle).
    observe(item) {
      // The connection's own state (`active`); how its tunnels stand is in the facts.
      return {
        status: str(item.State) || 'active',
        ready: true,
        facts: connectionFacts(item),
      };
    },
    timeoutHint: (id, regionId) =>
      text(
        `Alibaba Cloud answered the create call but never listed ${id}. Check it with \`/gateway status ${id}\` or in the VPN console (region ${regionId}) before asking again.`,
        `阿里云已应答创建请求，但始终未列出 ${id}。请先使用 \`/gateway status ${id}\` 或在 VPN 控制台（地域 ${regionId}）中查看，再决定是否重新申请。`,
      ),
  },
  settle: {
    observe(item) {
      // With BGP on, settled once every session is established too: the routes come from it.
      const settled =
        tunnelsOf(item).every((t) => t.status === TUNNEL_UP) && bgpOf(item).every((b) => b.status === BGP_UP);
      return { settled, facts: connectionFacts(item) };
    },
    settled: (id, facts, locale) =>
      (tunnelCount(facts) === 2
        ? text(
            `:link: Both tunnels of \`${id}\` are up (IPsec SA established): traffic can flow.`,
            `:link: 连接 \`${id}\` 的两条隧道均已建立（IPsec SA 已协商成功），流量现在可以通过。`,
          )
        : text(
            `:link: The tunnel of \`${id}\` is up (IPsec SA established): traffic can flow.`,
            `:link: 连接 \`${id}\` 的隧道已建立（IPsec SA 已协商成功），流量现在可以通过。`,
          ))[locale] + bgpSettled(facts)[locale],
    unsettled: (id, facts, waited, locale) => {
      const down = downTunnels(facts);
      if (down.length === 0) return bgpUnsettled(id, facts, waited)[locale];
      const list = (zh: boolean) =>
        down
          .map(
            (n) => `• ${tunnelName(facts, n)[zh ? 'zh-CN' : 'en']}${zh ? '：' : ': '}${facts[`Tunnel${n}`]}`,
          )
          .join('\n');
      return text(
        `:warning: After ${waited}, \`${id}\` still has a tunnel that never came up:\n${list(false)}\n${DEVICE_CHECKS.en}`,
        spaced`:warning: ${waited}后，连接 \`${id}\` 仍有隧道未建立：\n${list(true)}\n${DEVICE_CHECKS['zh-CN']}`,
      )[locale];
    },
    down: (facts) =>
      downTunnels(facts).map((n) => {
        const name = tunnelName(facts, n);
        const seen = facts[`Tunnel${n}`] ?? '';
        return text(`${name.en}: ${seen}`, `${name['zh-CN']}：${seen}`);
      }),
  },
  // Compared with the account: its networks and customer gateways, as approved.
  drift: {
    attributes: [
      {
        key: 'LocalSubnet',
        label: text('Local networks', '本端网段'),
        approved: (params) => sortedCidrs(params.LocalSubnet),
        now: (item) => sortedCidrs(item.LocalSubnet),
      },
      {
        key: 'RemoteSubnet',
        label: text('Remote networks', '对端网段'),
        approved: (params) => sortedCidrs(params.RemoteSubnet),
        now: (item) => sortedCidrs(item.RemoteSubnet),
      },
      {
        key: 'CustomerGateways',
        label: text('Customer gateways', '用户网关'),
        approved: (params) =>
          [params.CustomerGatewayId, ...TUNNEL_CGW.map((p) => params[p])]
            .filter((v): v is string => typeof v === 'string' && v !== '')
            .join(', '),
        now: (item) =>
          tunnelsOf(item)
            .map((t) => t.customerGatewayId)
            .join(', '),
      },
    ],
  },
  // For its whole life: each tunnel, read from the region's list of connections (DescribeVpnConnections).
  health: {
    facts: connectionFacts,
    parts: tunnelParts,
    down: (id, part, since, locale) =>
      text(
        `:rotating_light: ${part} of \`${id}\` is down since ${since} (IPsec SA not established).\n${DEVICE_CHECKS.en}`,
        spaced`:rotating_light: 连接 \`${id}\` 的${part}自 ${since} 起中断（IPsec SA 未建立）。\n${DEVICE_CHECKS['zh-CN']}`,
      )[locale],
    back: (id, part, downFor, locale) =>
      text(
        `:white_check_mark: ${part} of \`${id}\` is up again (IPsec SA established), after ${downFor} down.`,
        spaced`:white_check_mark: 连接 \`${id}\` 的${part}已恢复（IPsec SA 已建立），中断时长${downFor}。`,
      )[locale],
  },
  delete: {
    action: 'DeleteVpnConnection',
    watched: false,
    describe: describeConnection,
  },
  adopt: { describe: describeConnection },
  // New keys for its tunnels (`/gateway rotate-key`), watched until Alibaba has applied them.
  rotateKey: connectionKeyRotation,
  // The on-premises device's configuration, key included (`peer_config`), read at each look.
  peerConfig: {
    actions: [DOWNLOAD_ACTION, DESCRIBE_ACTION],
    label: text('Device configuration', '本地设备配置'),
    read: readPeerConfig,
  },
  reveal: {
    action: 'DescribeVpnConnection',
    label: text('Show pre-shared key', '查看预共享密钥'),
    read: (answer, locale) =>
      presharedKeys(answer).map((k) => ({
        label: (k.tunnelId === undefined
          ? text('Pre-shared key', '预共享密钥')
          : text(`Tunnel ${k.index} (${k.tunnelId})`, `隧道 ${k.index}（${k.tunnelId}）`))[locale],
        value: k.key,
      })),
  },
  preflight: [
    gatewayReady(),
    customerGatewaysInRegion(),
    onePerCustomerGateway(),
    bgpPeersHaveAsn(),
    tunnelCidrsFree(),
  ],
  result(facts, _params, locale) {
    const rows = [];
    for (let n = 1; n <= tunnelCount(facts); n++) {
      const value = facts[`Tunnel${n}`];
      if (value) rows.push({ label: tunnelName(facts, n), value });
    }
    for (let n = 1; n <= tunnelCount(facts); n++) {
      const value = facts[`Tunnel${n}Bgp`];
      if (value)
        rows.push({
          label:
            tunnelCount(facts) === 2
              ? text(`Tunnel ${n} BGP (Alibaba Cloud ↔ your device)`, `隧道 ${n} BGP（阿里云 ↔ 本地设备）`)
              : text('BGP (Alibaba Cloud ↔ your device)', 'BGP（阿里云 ↔ 本地设备）'),
          value,
        });
    }
    const up = (n: number) => facts[`Tunnel${n}`]?.endsWith(TUNNEL_UP) === true;
    if (Array.from({ length: tunnelCount(facts) }, (_, i) => up(i + 1)).every(Boolean)) return rows;
    rows.push({
      label: text('Tunnels', '隧道'),
      value: text(
        'As they were at creation. They come up once your on-premises device is configured; I will post here when they do, and `/gateway status` shows them as they are now.',
        '以上为创建时的状态。本地设备配置完成后隧道才会建立；建立后我会在这里通知，`/gateway status` 可查看当前状态。',
      )[locale],
    });
    return rows;
  },
  readyStatus: 'created',
});
