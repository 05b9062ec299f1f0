/**
 * CreateCustomerGateway, from seed 000_1399818f2c93a028.txt (Alibaba's Chinese API page):
 * RegionId and IpAddress required; Name 2–128 characters and Description 2–256, both starting
 * with a letter or a Chinese character and never with http:// or https://. An IP address is
 * unique per account and region.
 */
import { text } from '../i18n/index.js';
import {
  ipv4Format,
  ipv4Usable,
  noUrlPrefix,
  onlyCharacters,
  regionFormat,
  startsWithLetter,
} from './rules.js';
import type { GatewaySpec } from './spec.js';

export const customerGatewaySpec: GatewaySpec = {
  kind: 'customer',
  action: 'CreateCustomerGateway',
  callbackId: 'create_customer_gateway',
  idField: 'CustomerGatewayId',
  title: text('Customer gateway', '用户网关'),
  params: [
    {
      name: 'RegionId',
      type: 'string',
      required: true,
      input: 'external_select',
      source: 'region',
      label: text('Region', '地域'),
      help: text('The region of the customer gateway.', '用户网关所在的地域。'),
      rules: [regionFormat],
    },
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
  ],
  crossRules: [],
};
