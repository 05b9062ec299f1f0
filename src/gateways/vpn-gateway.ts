/**
 * CreateVpnGateway, from seed 004_8671ff757a168c72.txt: RegionId, VpcId and Bandwidth required;
 * Name 2–100 characters starting with a letter, with digits, "_" and "-"; Period 1–9, 12, 24 or
 * 36 months with PREPAY; SslConnections only with SSL-VPN; AutoPay false by default, which
 * leaves the order unpaid. Bandwidth and SSL connection values are configuration, seed values
 * by default, because Alibaba has changed them since.
 */
import { text } from '../i18n/index.js';
import { idFormat, onlyCharacters, regionFormat, startsWithLetter } from './rules.js';
import type { GatewaySpec } from './spec.js';

export const vpnGatewaySpec: GatewaySpec = {
  kind: 'vpn',
  action: 'CreateVpnGateway',
  callbackId: 'create_vpn_gateway',
  idField: 'VpnGatewayId',
  title: text('VPN gateway', 'VPN 网关'),
  params: [
    {
      name: 'RegionId',
      type: 'string',
      required: true,
      input: 'external_select',
      source: 'region',
      label: text('Region', '地域'),
      help: text('The region of the VPN gateway.', 'VPN 网关所在的地域。'),
      rules: [regionFormat],
    },
    {
      name: 'VpcId',
      type: 'string',
      required: true,
      input: 'external_select',
      source: 'vpc',
      label: text('VPC', '专有网络（VPC）'),
      help: text(
        'The VPC where the VPN gateway is created. Choose the region first.',
        '创建 VPN 网关的 VPC。请先选择地域。',
      ),
      rules: [idFormat('vpc', { en: 'VPC', zh: ' VPC' })],
    },
    {
      name: 'VSwitchId',
      type: 'string',
      required: false,
      input: 'external_select',
      source: 'vswitch',
      label: text('vSwitch', '交换机'),
      help: text(
        'Optional: the vSwitch the VPN gateway belongs to, in the chosen VPC.',
        '可选：VPN 网关所属的交换机，须属于所选 VPC。',
      ),
      rules: [idFormat('vsw', { en: 'vSwitch', zh: '交换机' })],
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
      name: 'Bandwidth',
      type: 'integer',
      required: true,
      input: 'static_select',
      values: 'bandwidth',
      label: text('Bandwidth (Mbit/s)', '带宽（Mbit/s）'),
      help: text('The public bandwidth of the VPN gateway.', 'VPN 网关的公网带宽。'),
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
      help: text(
        'Months, for PREPAY only (ignored with POSTPAY).',
        '单位为月，仅用于 PREPAY（按量付费时忽略）。',
      ),
      onlyWhen: { param: 'InstanceChargeType', equals: 'PREPAY' },
    },
    {
      name: 'AutoPay',
      type: 'boolean',
      required: false,
      input: 'checkbox',
      default: false,
      values: [{ value: true, label: text('Pay the order automatically', '自动支付订单') }],
      label: text('Automatic payment', '自动支付'),
      warning: text(
        'Without automatic payment the order stays unpaid and the gateway never becomes active until someone pays it in the Alibaba Cloud console.',
        '不开启自动支付时，订单将处于未支付状态，在有人于阿里云控制台完成支付之前，网关不会开通。',
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
      values: 'sslConnections',
      label: text('SSL connections', 'SSL 连接数'),
      help: text(
        'Clients connected at the same time; only with SSL-VPN (ignored without it).',
        '可同时连接的客户端数量；仅在开启 SSL-VPN 时有效（未开启时忽略）。',
      ),
      onlyWhen: { param: 'EnableSsl', equals: true },
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
  ],
  crossRules: [
    {
      param: 'Period',
      holds: (p) => p.InstanceChargeType !== 'PREPAY' || p.Period !== undefined,
      message: text('Choose a subscription period: PREPAY needs one.', '请选择购买时长：PREPAY 必须指定。'),
    },
  ],
};
