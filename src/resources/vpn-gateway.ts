/**
 * The VPN gateway. CreateVpnGateway, from seed 004_8671ff757a168c72.txt and today's API: RegionId,
 * VpcId and Bandwidth required; Name 2–100 characters starting with a letter, with digits, "_" and
 * "-"; Period 1–9, 12, 24 or 36 months with PREPAY; SslConnections only with SSL-VPN; AutoPay false
 * by default, which leaves the order unpaid. In a dual-tunnel region two vSwitches of the VPC in
 * different zones (`VSwitchId`, `DisasterRecoveryVSwitchId`); bandwidths per network type;
 * `ResourceGroupId`. Asynchronous: watched by a sweep of DescribeVpnGateways until `active`.
 */
import { text } from '../i18n/index.js';
import { vpcInRegion } from './checks.js';
import { defineResource } from './define.js';
import { idFormat, onlyCharacters, regionParam, resourceGroupParam, startsWithLetter } from './rules.js';
import { integerSetting, settingOf } from './settings.js';
import type { CloudItem, ParamSpec, ResourceOptions, ResultFact, ValueChoice } from './spec.js';
import { notInSubscriptionTerm } from './subscription.js';
import {
  bandwidthsOffered,
  isDualTunnelGateway,
  isDualTunnelRegion,
  parseSpec,
  VPN_GATEWAY_SETTINGS,
} from './vpn-gateway-facts.js';
import { gatewayVSwitches, vpnGatewayVSwitches } from './vpn-gateway-zones.js';

const numbers = (list: readonly number[]): ValueChoice[] =>
  list.map((n) => ({ value: n, label: text(String(n), String(n)) }));

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const dualTunnel = (region: unknown, o: ResourceOptions) => isDualTunnelRegion(region, o);

/** A vSwitch pick-list for the gateway's tunnels: the VPC's vSwitches in zones that can host one. */
const GATEWAY_VSWITCHES = {
  list: 'vswitch',
  narrow: gatewayVSwitches,
  noneFits: text(
    'No vSwitch of this VPC is in a zone that can host a VPN gateway',
    '该 VPC 没有位于支持 VPN 网关的可用区的交换机',
  ),
} as const;

const params = [
  regionParam(
    text(
      'The region of the VPN gateway. In most regions a new gateway is dual-tunnel and needs two vSwitches.',
      'VPN 网关所在的地域。多数地域的新网关为双隧道模式，需要两个交换机。',
    ),
  ),
  {
    name: 'VpcId',
    type: 'string',
    required: true,
    input: 'external_select',
    source: { list: 'vpc' },
    label: text('VPC', '专有网络（VPC）'),
    help: text(
      'The VPC where the VPN gateway is created. Choose the region first.',
      '创建 VPN 网关的 VPC。请先选择地域。',
    ),
    rules: [idFormat('vpc', { en: 'VPC', zh: 'VPC' })],
  },
  {
    name: 'VSwitchId',
    type: 'string',
    required: false,
    input: 'external_select',
    source: GATEWAY_VSWITCHES,
    label: text('vSwitch', '交换机'),
    help: text(
      'A vSwitch of the VPC, in a zone that can host a VPN gateway. Required in dual-tunnel regions; optional elsewhere.',
      '所选 VPC 中的交换机，须位于支持 VPN 网关的可用区。双隧道地域必填，其他地域可选。',
    ),
    requiredWhen: {
      param: 'RegionId',
      test: dualTunnel,
      message: text(
        'not chosen, and this region makes dual-tunnel VPN gateways. Choose a vSwitch for the first tunnel.',
        '未选择，而该地域创建双隧道 VPN 网关。请为第一条隧道选择交换机。',
      ),
    },
    rules: [idFormat('vsw', { en: 'vSwitch', zh: '交换机' })],
  },
  {
    name: 'DisasterRecoveryVSwitchId',
    type: 'string',
    required: false,
    input: 'external_select',
    source: GATEWAY_VSWITCHES,
    label: text('Second vSwitch (other zone)', '第二个交换机（其他可用区）'),
    help: text(
      'Dual-tunnel regions: a second vSwitch of the VPC in another zone, for the second tunnel. The same vSwitch twice only where the region has one zone.',
      '双隧道地域：VPC 中位于另一可用区的第二个交换机，用于第二条隧道。仅当地域只有一个可用区时可与第一个相同。',
    ),
    onlyWhen: { param: 'RegionId', test: dualTunnel },
    requiredWhen: {
      param: 'RegionId',
      test: dualTunnel,
      message: text(
        'not chosen, and this region makes dual-tunnel VPN gateways. Choose a second vSwitch, in another zone than the first.',
        '未选择，而该地域创建双隧道 VPN 网关。请选择第二个交换机，且与第一个位于不同可用区。',
      ),
    },
    rules: [idFormat('vsw', { en: 'vSwitch', zh: '交换机' })],
  },
  {
    name: 'NetworkType',
    type: 'string',
    required: false,
    input: 'radio',
    default: 'public',
    values: [
      { value: 'public', label: text('Public', '公网') },
      { value: 'private', label: text('Private', '私网') },
    ],
    label: text('Network type', '网络类型'),
  },
  {
    name: 'Bandwidth',
    type: 'integer',
    required: true,
    input: 'static_select',
    values: (v, o) => numbers(bandwidthsOffered(v.NetworkType, o)),
    dependsOn: ['NetworkType'],
    label: text('Bandwidth (Mbit/s)', '带宽（Mbit/s）'),
    help: text(
      'The bandwidth of the VPN gateway; private gateways offer fewer sizes.',
      'VPN 网关的带宽；私网网关可选规格较少。',
    ),
  },
  {
    name: 'Name',
    type: 'string',
    required: false,
    input: 'text',
    label: text('Name', '名称'),
    help: text(
      '2–100 characters, starting with a letter; letters, digits, "_" and "-". Defaults to the gateway id.',
      '长度为 2–100 个字符，以英文字母开头，可包含字母、数字、下划线（_）和短横线（-）。默认为网关 ID。',
    ),
    minLength: 2,
    maxLength: 100,
    rules: [
      startsWithLetter(false),
      onlyCharacters(false, '_-', {
        en: 'letters, digits, "_" and "-"',
        zh: '英文字母、数字、下划线（_）和短横线（-）',
      }),
    ],
  },
  {
    name: 'InstanceChargeType',
    type: 'string',
    required: false,
    input: 'radio',
    default: 'POSTPAY',
    values: [
      { value: 'POSTPAY', label: text('Pay-as-you-go (POSTPAY)', '按量付费（POSTPAY）') },
      { value: 'PREPAY', label: text('Subscription (PREPAY, China site)', '包年包月（PREPAY，中国站）') },
    ],
    label: text('Billing method', '计费方式'),
    help: text(
      'POSTPAY is pay-as-you-go. PREPAY needs a subscription period.',
      'POSTPAY 为按量付费；PREPAY 需要选择购买时长。',
    ),
  },
  {
    name: 'Period',
    type: 'integer',
    required: false,
    input: 'static_select',
    values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36].map((months) => ({
      value: months,
      label: text(`${months} month${months === 1 ? '' : 's'}`, `${months} 个月`),
    })),
    label: text('Subscription period', '购买时长'),
    help: text('Months of the subscription.', '订阅的月数。'),
    onlyWhen: { param: 'InstanceChargeType', test: (v) => v === 'PREPAY' },
    requiredWhen: {
      param: 'InstanceChargeType',
      test: (v) => v === 'PREPAY',
      message: text(
        'not chosen, and PREPAY needs one. Choose the months of the subscription.',
        '未选择，而 PREPAY 必须指定。请选择购买时长。',
      ),
    },
  },
  {
    name: 'AutoPay',
    type: 'boolean',
    required: false,
    input: 'checkbox',
    default: false,
    values: [{ value: true, label: text('Pay the order automatically', '自动支付订单') }],
    label: text('Automatic payment', '自动支付'),
    onlyWhen: { param: 'InstanceChargeType', test: (v) => v === 'PREPAY' },
    warning: text(
      'Without automatic payment the subscription order stays unpaid and the gateway does not become active until someone pays it in the Alibaba Cloud console.',
      '不开启自动支付时，包年包月订单将处于未支付状态，在有人于阿里云控制台完成支付之前，网关不会开通。',
    ),
  },
  {
    name: 'EnableIpsec',
    type: 'boolean',
    required: false,
    input: 'checkbox',
    default: true,
    values: [{ value: true, label: text('Enable IPsec-VPN', '开启 IPsec-VPN') }],
    label: text('IPsec-VPN', 'IPsec-VPN'),
  },
  {
    name: 'EnableSsl',
    type: 'boolean',
    required: false,
    input: 'checkbox',
    default: false,
    values: [{ value: true, label: text('Enable SSL-VPN', '开启 SSL-VPN') }],
    label: text('SSL-VPN', 'SSL-VPN'),
  },
  {
    name: 'SslConnections',
    type: 'integer',
    required: false,
    input: 'static_select',
    values: (_v, o) => numbers(settingOf(o, VPN_GATEWAY_SETTINGS.sslConnections)),
    label: text('SSL connections', 'SSL 连接数'),
    help: text('Clients connected at the same time.', '可同时连接的客户端数量。'),
    onlyWhen: { param: 'EnableSsl', test: (v) => v === true },
  },
  {
    name: 'VpnType',
    type: 'string',
    required: false,
    input: 'radio',
    default: 'Normal',
    values: [
      { value: 'Normal', label: text('Standard (Normal)', '普通型（Normal）') },
      {
        value: 'NationalStandard',
        label: text('ShangMi (NationalStandard)', '国密型（NationalStandard）'),
      },
    ],
    label: text('VPN type', 'VPN 类型'),
  },
  resourceGroupParam,
] as const satisfies readonly ParamSpec[];

/** What an approver reads of an existing gateway (to delete or take over), from its list item. */
const describeGateway = (item: CloudItem): ResultFact[] => [
  { label: text('Name', '名称'), value: str(item.Name), typed: true },
  { label: text('Status', '状态'), value: str(item.Status) },
  { label: text('VPC', '专有网络（VPC）'), value: str(item.VpcId) },
  {
    label: text('Public IPs', '公网 IP'),
    value: [str(item.InternetIp), str(item.DisasterRecoveryInternetIp)].filter(Boolean).join(', '),
  },
  { label: text('Bandwidth', '带宽'), value: str(item.Spec) },
  { label: text('Billing', '计费方式'), value: str(item.ChargeType) },
];

export const vpnGateway = defineResource({
  type: 'vpn_gateway',
  words: ['vpn'],
  callbackId: 'create_vpn_gateway',
  title: text('VPN gateway', 'VPN 网关'),
  summary: text('request a VPN gateway', '申请 VPN 网关'),
  idPrefix: 'vpn-',
  params,
  create: { action: 'CreateVpnGateway', idField: 'VpnGatewayId', keep: ['OrderId'] },
  list: {
    action: 'DescribeVpnGateways',
    plural: 'VpnGateways',
    singular: 'VpnGateway',
    idField: 'VpnGatewayId',
    idParam: 'VpnGatewayId',
    label: (item) =>
      [
        str(item.Name) || '—',
        str(item.VpnGatewayId),
        str(item.InternetIp),
        str(item.DisasterRecoveryInternetIp),
      ]
        .filter(Boolean)
        .join(' · '),
    // What a connection can be made to now: active, IPsec on, and of the region's tunnel mode.
    offer: (item, regionId, options) =>
      item.Status === 'active' &&
      item.IpsecVpn !== 'disable' &&
      isDualTunnelGateway(item) === isDualTunnelRegion(regionId, options),
  },
  settings: Object.values(VPN_GATEWAY_SETTINGS),
  quota: {
    // Alibaba's default: 30 VPN gateways per account and region.
    setting: integerSetting('VPN_GATEWAY_QUOTA', { default: 30, min: 1, max: 100_000 }),
    what: { en: 'VPN gateways', zh: 'VPN 网关' },
  },
  calls: ['DescribeVpnGatewayAvailableZones'],
  publishedLimits: { CreateVpnGateway: 60, DescribeVpnGateway: 600 },
  watch: {
    observe(item) {
      const status = typeof item.Status === 'string' ? item.Status : 'unknown';
      const business = typeof item.BusinessStatus === 'string' ? item.BusinessStatus : '';
      const facts: Record<string, string> = {};
      for (const name of [
        'InternetIp',
        'DisasterRecoveryInternetIp',
        'VSwitchId',
        'DisasterRecoveryVSwitchId',
      ])
        if (typeof item[name] === 'string' && item[name] !== '') facts[name] = item[name] as string;
      const bandwidth = parseSpec(typeof item.Spec === 'string' ? item.Spec : undefined);
      if (bandwidth !== undefined) facts.Spec = `${bandwidth} Mbit/s`;
      return {
        status,
        ready: status === 'active',
        ...(business === 'FinancialLocked'
          ? { attention: { code: 'FinancialLocked', businessStatus: business } }
          : {}),
        facts,
      };
    },
    timeoutHint: (id, regionId) =>
      text(
        `It may still come up: Alibaba Cloud reports no failure state for a VPN gateway, only a status that has not reached "active". Check it with \`/gateway status ${id}\` or in the VPC console (region ${regionId}); if its order is unpaid, pay it; otherwise open a ticket with Alibaba Cloud quoting the id. Do not ask for a new gateway while this one may still come up; once it is active, \`/gateway adopt ${id}\` in this channel has the bot follow it.`,
        `它仍可能完成开通：阿里云不会为 VPN 网关报告失败状态，只是状态尚未变为 active。请使用 \`/gateway status ${id}\` 或在 VPC 控制台（地域 ${regionId}）中查看；如订单未支付请完成支付，否则请提交工单并提供该 ID。在它仍可能开通时请不要重复申请；开通后在本频道执行 \`/gateway adopt ${id}\`，机器人即会开始监控它。`,
      ),
  },
  // Compared with the account: its bandwidth, as approved (Spec `10M` in the list).
  drift: {
    attributes: [
      {
        key: 'Bandwidth',
        label: text('Bandwidth (Mbit/s)', '带宽（Mbit/s）'),
        approved: (params) => (params.Bandwidth === undefined ? '' : String(params.Bandwidth)),
        now: (item) =>
          String(parseSpec(typeof item.Spec === 'string' ? item.Spec : undefined) ?? item.Spec ?? ''),
      },
    ],
  },
  delete: {
    action: 'DeleteVpnGateway',
    // Alibaba answers at once and lists the gateway as `deleting` until it is gone.
    watched: true,
    preflight: [notInSubscriptionTerm()],
    describe: describeGateway,
  },
  adopt: { describe: describeGateway },
  followUp: {
    resource: 'vpn_connection',
    label: text('Connect to your site…', '连接到本地数据中心…'),
    values: (id, params) => ({ RegionId: params.RegionId, VpnGatewayId: id }),
  },
  preflight: [vpcInRegion(), vpnGatewayVSwitches()],
  result(facts, params, locale) {
    const rows = [];
    if (facts.InternetIp) rows.push({ label: text('Public IP', '公网 IP'), value: facts.InternetIp });
    if (facts.DisasterRecoveryInternetIp)
      rows.push({
        label: text('Second public IP', '第二个公网 IP'),
        value: facts.DisasterRecoveryInternetIp,
      });
    rows.push({ label: text('Bandwidth', '带宽'), value: facts.Spec ?? `${params.Bandwidth} Mbit/s` });
    if (facts.OrderId) rows.push({ label: text('Order', '订单'), value: facts.OrderId });
    rows.push({
      label: text('Tunnels', '隧道'),
      value: (facts.DisasterRecoveryInternetIp
        ? text('dual-tunnel', '双隧道')
        : text('single-tunnel', '单隧道'))[locale],
    });
    return rows;
  },
  readyStatus: 'active',
});
