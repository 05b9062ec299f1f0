/**
 * The customer gateway. CreateCustomerGateway, from seed 000_1399818f2c93a028.txt (Alibaba's
 * Chinese API page) and today's API: RegionId and IpAddress required; Name 2–128 characters and
 * Description 2–256, both starting with a letter or a Chinese character and never with http:// or
 * https://; an IP address is unique per account and region. BGP: `Asn` (either notation, 45104
 * refused) and `AuthKey` (a secret: docs/architecture.md, "Secrets at rest"). `ResourceGroupId` and
 * `Tags`. Synchronous: ready
 * when the create call answers.
 */
import { spaced, text } from '../i18n/index.js';
import { notTakenInRegion } from './checks.js';
import { defineResource } from './define.js';
import {
  asnFormat,
  asnNotAlibaba,
  bgpKeyFormat,
  ipv4Format,
  ipv4Usable,
  normalizeTags,
  noUrlPrefix,
  onlyCharacters,
  parseAsn,
  privateRange,
  regionParam,
  resourceGroupParam,
  startsWithLetter,
} from './rules.js';
import { integerSetting } from './settings.js';
import type { CloudItem, ListSpec, ParamSpec, ResultFact } from './spec.js';
import { TUNNEL_CGW } from './vpn-connection.js';
import { isDualTunnelRegion } from './vpn-gateway-facts.js';

const params = [
  regionParam(text('The region of the customer gateway.', '用户网关所在的地域。')),
  {
    name: 'IpAddress',
    type: 'string',
    required: true,
    input: 'text',
    label: text('IP address', 'IP 地址'),
    placeholder: text('e.g. 47.96.1.10', '例如 47.96.1.10'),
    help: text(
      'The IP address of your on-premises VPN device. It can be used for only one customer gateway per region.',
      '本地 VPN 设备的 IP 地址。同一地域内，一个 IP 只能用于一个用户网关。',
    ),
    maxLength: 15,
    rules: [ipv4Format, ipv4Usable],
    confirmWhen: {
      test: (v) => privateRange(String(v)) !== undefined,
      message: (v) => {
        const ip = String(v);
        const range = privateRange(ip) ?? '';
        return text(
          `${ip} is a private address (${range}). Alibaba Cloud reaches your device at the address the Internet sees; a private one is right only for a private-network VPN gateway. Send the form again to keep it.`,
          spaced`${ip} 是私网地址（${range}）。阿里云通过公网地址连接本地设备；仅私网类型的 VPN 网关使用私网地址。如确认无误，请再次提交。`,
        );
      },
    },
  },
  {
    name: 'Name',
    type: 'string',
    required: false,
    input: 'text',
    label: text('Name', '名称'),
    help: text(
      '2–128 characters. Starts with a letter or a Chinese character; may contain digits, ".", "_" and "-". Must not start with http:// or https://.',
      '长度为 2–128 个字符，必须以字母或中文开头，可包含数字、点号（.）、下划线（_）和短横线（-），不能以 http:// 或 https:// 开头。',
    ),
    minLength: 2,
    maxLength: 128,
    rules: [
      noUrlPrefix,
      startsWithLetter(true),
      onlyCharacters(true, '._-', {
        en: 'letters, Chinese characters, digits, ".", "_" and "-"',
        zh: '字母、中文、数字、点号（.）、下划线（_）和短横线（-）',
      }),
    ],
  },
  {
    name: 'Description',
    type: 'string',
    required: false,
    input: 'multiline',
    label: text('Description', '描述'),
    help: text(
      '2–256 characters. Starts with a letter or a Chinese character; must not start with http:// or https://.',
      '长度为 2–256 个字符，必须以字母或中文开头，不能以 http:// 或 https:// 开头。',
    ),
    minLength: 2,
    maxLength: 256,
    rules: [noUrlPrefix, startsWithLetter(true)],
  },
  {
    name: 'Asn',
    type: 'string',
    required: false,
    input: 'text',
    placeholder: text('e.g. 65001', '例如 65001'),
    label: text('BGP AS number', 'BGP 自治系统号（ASN）'),
    help: text(
      'Only for BGP: your device’s AS number, 1–4294967295 or two 16-bit halves such as 123.456. 45104 is Alibaba Cloud’s.',
      '仅用于 BGP：本地设备的 AS 号，取值 1–4294967295，或以点分隔的两段 16 位数字，例如 123.456。45104 为阿里云所用。',
    ),
    maxLength: 11,
    rules: [asnFormat, asnNotAlibaba],
    normalize: (v) => String(parseAsn(v)),
  },
  {
    name: 'AuthKey',
    type: 'string',
    required: false,
    input: 'text',
    secret: true,
    label: text('BGP authentication key', 'BGP 认证密钥'),
    help: text(
      'Only for BGP with authentication: 1–64 ASCII characters, no spaces or "?". It is kept encrypted, shown to nobody, and deleted once the gateway exists.',
      '仅用于带认证的 BGP：1–64 个 ASCII 字符，不能包含空格或问号“?”。密钥加密保存，不向任何人显示，网关创建后即删除。',
    ),
    maxLength: 64,
    rules: [bgpKeyFormat],
  },
  resourceGroupParam,
  {
    name: 'Tags',
    type: 'tags',
    required: false,
    input: 'multiline',
    placeholder: text('team=netops\ncost-center=1234', 'team=netops\ncost-center=1234'),
    label: text('Tags', '标签'),
    help: text(
      'Optional: one key=value per line, up to 20. Keys and values cannot start with "aliyun" or "acs:".',
      '可选：每行一个“键=值”，最多 20 个。键和值不能以“aliyun”或“acs:”开头。',
    ),
    maxLength: 2_700,
    normalize: normalizeTags,
  },
] as const satisfies readonly ParamSpec[];

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const list: ListSpec = {
  action: 'DescribeCustomerGateways',
  plural: 'CustomerGateways',
  singular: 'CustomerGateway',
  idField: 'CustomerGatewayId',
  idParam: 'CustomerGatewayId',
  label: (item) => [str(item.Name) || '—', str(item.CustomerGatewayId), str(item.IpAddress)].join(' · '),
};

/** What an approver reads of an existing customer gateway (to delete or take over), from its list item. */
const describeCustomerGateway = (item: CloudItem): ResultFact[] => [
  { label: text('Name', '名称'), value: str(item.Name), typed: true },
  { label: text('IP address', 'IP 地址'), value: str(item.IpAddress) },
  ...(item.Asn ? [{ label: text('BGP AS number', 'BGP AS 号'), value: str(item.Asn) }] : []),
];

export const customerGateway = defineResource({
  type: 'customer_gateway',
  words: ['customer', 'cgw'],
  callbackId: 'create_customer_gateway',
  title: text('Customer gateway', '用户网关'),
  summary: text('request a customer gateway', '申请用户网关'),
  idPrefix: 'cgw-',
  params,
  unique: ['IpAddress'],
  create: { action: 'CreateCustomerGateway', idField: 'CustomerGatewayId' },
  list,
  quota: {
    // Alibaba's default: 100 customer gateways per account and region.
    setting: integerSetting('CUSTOMER_GATEWAY_QUOTA', { default: 100, min: 1, max: 100_000 }),
    sharesListPage: true,
    what: { en: 'customer gateways', zh: '用户网关' },
  },
  publishedLimits: { CreateCustomerGateway: 120, DeleteCustomerGateway: 120, DescribeCustomerGateways: 600 },
  // Compared with the account: only whether it is still there (nothing of it can be changed).
  drift: { attributes: [] },
  delete: {
    action: 'DeleteCustomerGateway',
    watched: false,
    describe: describeCustomerGateway,
  },
  adopt: { describe: describeCustomerGateway },
  followUp: {
    resource: 'vpn_connection',
    label: text('Connect to a VPN gateway…', '连接到 VPN 网关…'),
    values: (id, params, options) =>
      isDualTunnelRegion(params.RegionId, options)
        ? { RegionId: params.RegionId, [TUNNEL_CGW[0]]: id, [TUNNEL_CGW[1]]: id }
        : { RegionId: params.RegionId, CustomerGatewayId: id },
  },
  preflight: [
    notTakenInRegion({
      id: 'ip_unique',
      param: 'IpAddress',
      list,
      what: { en: 'customer gateway', zh: '用户网关' },
    }),
  ],
  result: (_facts, params) => [
    { label: text('IP address', 'IP 地址'), value: params.IpAddress },
    ...(params.Asn ? [{ label: text('BGP AS number', 'BGP AS 号'), value: params.Asn }] : []),
  ],
  readyStatus: 'available',
});
