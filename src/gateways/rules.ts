/**
 * Value rules shared by the gateway declarations: the seeds' name and description rules, IPv4
 * format and the address ranges Alibaba refuses, and the id formats of account objects.
 */
import { text } from '../i18n/index.js';
import type { ValueRule } from './spec.js';

const HAN = '\\u4e00-\\u9fff';

export const noUrlPrefix: ValueRule = {
  test: (v) => !/^https?:\/\//i.test(v),
  message: text('It must not start with http:// or https://.', '不能以 http:// 或 https:// 开头。'),
};

export function startsWithLetter(allowChinese: boolean): ValueRule {
  const first = new RegExp(`^[A-Za-z${allowChinese ? HAN : ''}]`);
  return {
    test: (v) => first.test(v),
    message: allowChinese
      ? text('It must start with a letter or a Chinese character.', '必须以字母或中文开头。')
      : text('It must start with a letter (A–Z or a–z).', '必须以英文字母开头。'),
  };
}

export function onlyCharacters(
  allowChinese: boolean,
  extra: string,
  described: { en: string; zh: string },
): ValueRule {
  const escaped = extra.replace(/[-\\^\]]/g, '\\$&');
  const allowed = new RegExp(`^[A-Za-z0-9${allowChinese ? HAN : ''}${escaped}]*$`);
  return {
    test: (v) => allowed.test(v),
    message: text(`It may contain only ${described.en}.`, `只能包含${described.zh}。`),
  };
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function parseIpv4(value: string): [number, number, number, number] | undefined {
  const match = IPV4.exec(value);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
}

export const ipv4Format: ValueRule = {
  test: (v) => parseIpv4(v) !== undefined,
  message: text(
    'Enter an IPv4 address such as 47.96.1.10: four numbers from 0 to 255 separated by dots, without leading zeros.',
    '请输入 IPv4 地址，例如 47.96.1.10：四个 0–255 的数字，以点分隔，不带前导零。',
  ),
};

/** Ranges Alibaba refuses for a customer gateway: this-network, shared, loopback, link-local, multicast and above. */
export function refusedRange(value: string): string | undefined {
  const ip = parseIpv4(value);
  if (!ip) return undefined;
  const [a, b] = ip;
  if (a === 0) return '0.0.0.0/8';
  if (a === 100 && b >= 64 && b <= 127) return '100.64.0.0/10';
  if (a === 127) return '127.0.0.0/8';
  if (a === 169 && b === 254) return '169.254.0.0/16';
  if (a >= 224) return '224.0.0.0/4 and above';
  return undefined;
}

export const ipv4Usable: ValueRule = {
  test: (v) => refusedRange(v) === undefined,
  message: text(
    'Alibaba Cloud does not accept this address for a customer gateway: 0.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16 and 224.0.0.0 and above are refused. Use the public (or private, for a private VPN) address of your on-premises VPN device.',
    '阿里云不接受该地址作为用户网关：0.0.0.0/8、100.64.0.0/10、127.0.0.0/8、169.254.0.0/16 以及 224.0.0.0 及以上地址均不可用。请填写本地 VPN 设备的公网地址（私网 VPN 可填私网地址）。',
  ),
};

export function idFormat(prefix: string, what: { en: string; zh: string }): ValueRule {
  const pattern = new RegExp(`^${prefix}-[a-z0-9]{4,64}$`);
  return {
    test: (v) => pattern.test(v),
    message: text(`Choose a ${what.en} from the list.`, `请从列表中选择${what.zh}。`),
  };
}

export const regionFormat: ValueRule = {
  test: (v) => /^[a-z]{2,}-[a-z0-9-]{2,40}$/.test(v),
  message: text('Choose a region from the list.', '请从列表中选择地域。'),
};
