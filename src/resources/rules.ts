/**
 * Value rules shared by the gateway declarations: the seeds' name and description rules, IPv4
 * format and the address ranges Alibaba refuses, and the id formats of account objects. A rule's
 * message is what follows the field's label in a field error: what is wrong, then what to do
 * ("Name: starts with http://. Remove the prefix.").
 */
import { spaced, type Text, text } from '../i18n/index.js';
import type { ValueRule } from './spec.js';

const HAN = '\\u4e00-\\u9fff';

export const noUrlPrefix: ValueRule = {
  test: (v) => !/^https?:\/\//i.test(v),
  message: text(
    'starts with http:// or https://. Remove the prefix.',
    '以 http:// 或 https:// 开头。请去掉该前缀。',
  ),
};

export function startsWithLetter(allowChinese: boolean): ValueRule {
  const first = new RegExp(`^[A-Za-z${allowChinese ? HAN : ''}]`);
  return {
    test: (v) => first.test(v),
    message: allowChinese
      ? text(
          'does not start with a letter or a Chinese character. Start it with one.',
          '没有以字母或中文开头。请以字母或中文开头。',
        )
      : text(
          'does not start with a letter. Start it with one from A–Z or a–z.',
          '没有以英文字母开头。请以英文字母（A–Z 或 a–z）开头。',
        ),
  };
}

export function onlyCharacters(
  allowChinese: boolean,
  extra: string,
  described: { en: string; zh: string },
): ValueRule {
  const escaped = extra.replace(/[-\\^\]]/g, '\\$&');
  const one = new RegExp(`[A-Za-z0-9${allowChinese ? HAN : ''}${escaped}]`);
  const allowed = new RegExp(`^${one.source}*$`);
  return {
    test: (v) => allowed.test(v),
    message: (v) => {
      const wrong = [...v].find((c) => !one.test(c)) ?? '';
      return text(
        `contains "${wrong}", which is not allowed. Use only ${described.en}.`,
        `包含不允许的字符“${wrong}”。只能使用${described.zh}。`,
      );
    },
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
    'not an IPv4 address. Enter one such as 47.96.1.10: four numbers from 0 to 255 separated by dots, without leading zeros.',
    '不是 IPv4 地址。请输入形如 47.96.1.10 的地址：四个 0–255 的数字，以点分隔，不带前导零。',
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

/** The private range (RFC 1918) an address is in, or undefined. */
export function privateRange(value: string): string | undefined {
  const ip = parseIpv4(value);
  if (!ip) return undefined;
  const [a, b] = ip;
  if (a === 10) return '10.0.0.0/8';
  if (a === 172 && b >= 16 && b <= 31) return '172.16.0.0/12';
  if (a === 192 && b === 168) return '192.168.0.0/16';
  return undefined;
}

export const ipv4Usable: ValueRule = {
  test: (v) => refusedRange(v) === undefined,
  message: text(
    'in a range Alibaba Cloud refuses for a customer gateway: 0.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, and 224.0.0.0 and above. Use the public address of your on-premises VPN device (or its private address, for a private VPN).',
    '属于阿里云不接受作为用户网关的地址段：0.0.0.0/8、100.64.0.0/10、127.0.0.0/8、169.254.0.0/16 以及 224.0.0.0 及以上。请填写本地 VPN 设备的公网地址（私网 VPN 可填私网地址）。',
  ),
};

export function idFormat(prefix: string, what: { en: string; zh: string }): ValueRule {
  const pattern = new RegExp(`^${prefix}-[a-z0-9]{4,64}$`);
  return {
    test: (v) => pattern.test(v),
    message: text(
      `not an id from the list. Choose a ${what.en} from the list.`,
      spaced`不是列表中的 ID。请从列表中选择${what.zh}。`,
    ),
  };
}

/** The region every resource type starts with: a pick-list of the account's regions; `help` says what it decides. */
export function regionParam(help: Text) {
  return {
    name: 'RegionId',
    type: 'string',
    required: true,
    input: 'external_select',
    source: { list: 'region' },
    label: text('Region', '地域'),
    help,
    rules: [regionFormat],
  } as const;
}

export const regionFormat: ValueRule = {
  test: (v) => /^[a-z]{2,}-[a-z0-9-]{2,40}$/.test(v),
  message: text('not a region id. Choose a region from the list.', '不是地域 ID。请从列表中选择地域。'),
};

/**
 * A BGP AS number as Alibaba takes it: 1 to 4294967295, or `high.low` (two 16-bit halves, so
 * `123.456` is 123 × 65536 + 456). 45104 is Alibaba's own and refused. Returns the decimal number.
 */
export function parseAsn(value: string): number | undefined {
  const dotted = /^(\d{1,5})\.(\d{1,5})$/.exec(value);
  let n: number;
  if (dotted) {
    const high = Number(dotted[1]);
    const low = Number(dotted[2]);
    if (high > 65_535 || low > 65_535) return undefined;
    n = high * 65_536 + low;
  } else if (/^\d{1,10}$/.test(value)) n = Number(value);
  else return undefined;
  return n >= 1 && n <= 4_294_967_295 ? n : undefined;
}

export const ALIBABA_ASN = 45_104;

export const asnFormat: ValueRule = {
  test: (v) => parseAsn(v) !== undefined,
  message: text(
    'not an AS number. Enter one from 1 to 4294967295, or two 16-bit halves such as 123.456.',
    '不是 AS 号。请输入 1–4294967295 之间的数字，或以点分隔的两段 16 位数字，例如 123.456。',
  ),
};

export const asnNotAlibaba: ValueRule = {
  test: (v) => parseAsn(v) !== ALIBABA_ASN,
  message: text(
    '45104 is Alibaba Cloud’s own AS number. Use your device’s (a private ASN such as 65001 is usual).',
    '45104 是阿里云自己的 AS 号。请填写本地设备的 AS 号（通常使用私有 AS 号，例如 65001）。',
  ),
};

/** A BGP key: 1 to 64 printable ASCII characters, no spaces and no `?` (Alibaba's rule). */
export const bgpKeyFormat: ValueRule = {
  test: (v) => /^[\x21-\x3e\x40-\x7e]{1,64}$/.test(v),
  message: text(
    'has a space, a "?" or a character outside ASCII. Use 1 to 64 ASCII characters without spaces or "?".',
    '包含空格、问号“?”或非 ASCII 字符。请使用 1–64 个 ASCII 字符，不含空格和问号“?”。',
  ),
};

export const resourceGroupFormat: ValueRule = {
  test: (v) => /^rg-[a-z0-9]{4,64}$/.test(v),
  message: text(
    'not a resource group id. Enter one such as rg-acfmzw2jz2z7abc (Resource Management console → Resource Groups).',
    '不是资源组 ID。请输入形如 rg-acfmzw2jz2z7abc 的资源组 ID（资源管理控制台 → 资源组）。',
  ),
};

/** The optional resource group, the same wherever a resource type takes one. */
export const resourceGroupParam = {
  name: 'ResourceGroupId',
  type: 'string',
  required: false,
  input: 'text',
  placeholder: text('e.g. rg-acfmzw2jz2z7abc', '例如 rg-acfmzw2jz2z7abc'),
  label: text('Resource group', '资源组'),
  help: text(
    'Optional: the resource group for cost and ownership tracking. The account’s default group when empty.',
    '可选：用于成本与归属管理的资源组。留空则使用账号的默认资源组。',
  ),
  maxLength: 68,
  rules: [resourceGroupFormat],
} as const;

/** At most this many tags per resource (Alibaba's limit). */
export const MAX_TAGS = 20;

/** One tag line, `key=value`; the value may be empty. */
export interface Tag {
  key: string;
  value: string;
}

/** `key=value` lines, blank lines ignored; undefined when a line has no `=`. */
export function parseTags(text: string): Tag[] | undefined {
  const tags: Tag[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) return undefined;
    tags.push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return tags;
}

/** Why a tag list breaks Alibaba's rules (up to 20; key 1–128, value ≤ 128; no `aliyun`, `acs:`, URLs), or undefined. */
export function tagProblem(lines: string): Text | undefined {
  const tags = parseTags(lines);
  if (!tags)
    return text(
      'a line is not key=value. Write one tag per line as key=value, such as team=netops.',
      '有一行不是“键=值”格式。请每行写一个标签，格式为“键=值”，例如 team=netops。',
    );
  if (tags.length > MAX_TAGS)
    return text(
      `${tags.length} tags, more than ${MAX_TAGS}. Keep at most ${MAX_TAGS}.`,
      `共 ${tags.length} 个标签，超过 ${MAX_TAGS} 个。请最多保留 ${MAX_TAGS} 个。`,
    );
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key.length < 1 || [...key].length > 128 || [...value].length > 128)
      return text(
        'a key is empty or longer than 128 characters, or a value is longer than 128. Keep keys to 1–128 characters and values to 128 at most.',
        '有标签键为空或超过 128 个字符，或标签值超过 128 个字符。请将键控制在 1–128 个字符，值不超过 128 个字符。',
      );
    if (/^(aliyun|acs:)/i.test(key) || /^(aliyun|acs:)/i.test(value))
      return text(
        'a key or a value starts with "aliyun" or "acs:". Rename it.',
        '有标签键或值以“aliyun”或“acs:”开头。请修改。',
      );
    if (/https?:\/\//i.test(key) || /https?:\/\//i.test(value))
      return text(
        'a key or a value contains http:// or https://. Remove it.',
        '有标签键或值包含 http:// 或 https://。请删除。',
      );
    if (seen.has(key))
      return text(`the key "${key}" appears twice. Keep one.`, `标签键“${key}”出现了两次。请只保留一个。`);
    seen.add(key);
  }
  return undefined;
}

/** Tags in one canonical form: `key=value` lines in the order typed. */
export function normalizeTags(text: string): string {
  return (parseTags(text) ?? []).map((t) => `${t.key}=${t.value}`).join('\n');
}
