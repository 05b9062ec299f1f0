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
import { presharedKeys, TUNNEL_UP, type Tunnel, tunnelsOf } from './connection-items.js';
import { defineResource } from './define.js';
import { idFormat, noUrlPrefix, regionParam } from './rules.js';
import { integerSetting } from './settings.js';
import type { Check, CheckOutcome, ParamSpec, ParamValue, ResourceOptions, ValueChoice } from './spec.js';
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

/** The flat form parameters as CreateVpnConnection takes them, for a single- or a dual-tunnel gateway. */
function wire(p: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(p))
    if (!name.startsWith('IkeConfig.') && !name.startsWith('IpsecConfig.')) out[name] = value;
  const ike = phase('IkeConfig', p);
  const ipsec = phase('IpsecConfig', p);
  if (p[TUNNEL_CGW[0]] === undefined) {
    out.IkeConfig = JSON.stringify(ike);
    out.IpsecConfig = JSON.stringify(ipsec);
    return out;
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
  ],
  create: { action: 'CreateVpnConnection', idField: 'VpnConnectionId' },
  list: {
    action: 'DescribeVpnConnections',
    plural: 'VpnConnections',
    singular: 'VpnConnection',
    idField: 'VpnConnectionId',
    idParam: 'VpnConnectionId',
    label: (item) => `${str(item.Name) || '—'} · ${str(item.VpnConnectionId)} · ${str(item.VpnGatewayId)}`,
  },
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
      const tunnels = tunnelsOf(item);
      // The connection's own state (`active`); how its tunnels stand is in the facts.
      return {
        status: str(item.State) || 'active',
        ready: true,
        facts: tunnelFacts(tunnels),
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
      const tunnels = tunnelsOf(item);
      return { settled: tunnels.every((t) => t.status === TUNNEL_UP), facts: tunnelFacts(tunnels) };
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
          ))[locale],
    unsettled: (id, facts, waited, locale) => {
      const down = downTunnels(facts);
      const list = (zh: boolean) =>
        down
          .map(
            (n) => `• ${tunnelName(facts, n)[zh ? 'zh-CN' : 'en']}${zh ? '：' : ': '}${facts[`Tunnel${n}`]}`,
          )
          .join('\n');
      return text(
        `:warning: After ${waited}, \`${id}\` still has a tunnel that never came up:\n${list(false)}\nOn the on-premises device, check: the peer address is the VPN gateway's public IP; the pre-shared key matches (Show pre-shared key on the result); the IKE and IPsec settings match; the local and remote networks mirror these; UDP 500 and 4500 are open.`,
        spaced`:warning: ${waited}后，连接 \`${id}\` 仍有隧道未建立：\n${list(true)}\n请在本地设备上检查：对端地址为 VPN 网关的公网 IP；预共享密钥与连接一致（点击结果中的“查看预共享密钥”）；IKE/IPsec 参数与连接一致；两侧网段互为镜像；UDP 500 和 4500 端口已放行。`,
      )[locale];
    },
    down: (facts) =>
      downTunnels(facts).map((n) => {
        const name = tunnelName(facts, n);
        const seen = facts[`Tunnel${n}`] ?? '';
        return text(`${name.en}: ${seen}`, `${name['zh-CN']}：${seen}`);
      }),
  },
  delete: {
    action: 'DeleteVpnConnection',
    watched: false,
    describe: (item) => [
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
    ],
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
  preflight: [gatewayReady(), customerGatewaysInRegion(), onePerCustomerGateway()],
  result(facts, _params, locale) {
    const rows = [];
    for (let n = 1; n <= tunnelCount(facts); n++) {
      const value = facts[`Tunnel${n}`];
      if (value) rows.push({ label: tunnelName(facts, n), value });
    }
    rows.push({
      label: text('Tunnels', '隧道'),
      value: text(
        'They come up once your on-premises device is configured; I will post here when they do.',
        '本地设备配置完成后隧道才会建立；建立后我会在这里通知。',
      )[locale],
    });
    return rows;
  },
  readyStatus: 'created',
});
