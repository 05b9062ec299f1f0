/**
 * The playground's own words: every one in both languages, and the Chinese written as Chinese is
 * typeset — a space between Chinese and Latin letters or digits, full-width punctuation beside
 * Chinese, and no English left but product names, units and commands.
 */
import { describe, expect, it } from 'vitest';
import { langOf, type Role, WORDS, type Words } from '../../../src/sandbox/playground/client/words.js';

/** Each word as text: functions are called with sample arguments of the kinds they take. */
function texts(words: Words): [string, string][] {
  return Object.entries(words).flatMap(([key, value]): [string, string][] => {
    if (typeof value === 'string') return [[key, value]];
    const fn = value as (...args: unknown[]) => string;
    if (key === 'person')
      return (['engineer', 'lead', 'guest'] satisfies Role[]).map((role) => [key, fn('林伟', role)]);
    if (key === 'tunnel')
      return [
        [key, fn(1, true)],
        [key, fn(2, false)],
      ];
    if (['replies', 'noAnswer', 'formRefused'].includes(key))
      return [
        [key, fn(404)],
        [key, fn(1)],
      ];
    if (key === 'peerRefused') return [[key, fn('没有这个连接')]];
    if (key === 'bgp')
      return [
        [key, fn('169.254.10.0/30', true)],
        [key, fn('169.254.10.4/30', false)],
      ];
    if (key === 'asn') return [[key, fn('65001')]];
    return [[key, fn('/gateway')]];
  });
}

const HAN = '\\u4e00-\\u9fff';
const problems = (text: string): string[] =>
  [
    [new RegExp(`[${HAN}][A-Za-z0-9/]|[A-Za-z0-9][${HAN}]`), 'no space between Chinese and Latin or digits'],
    [new RegExp(`[${HAN}][,.:;!?()]|[,.:;!?()][${HAN}]`), 'half-width punctuation beside Chinese'],
    [/[（：，。；！？、]\s|\s[（），。：；！？、]/, 'a space beside full-width punctuation'],
  ]
    .filter(([pattern]) => (pattern as RegExp).test(text))
    .map(([, what]) => `${what}: ${text}`);

/** Latin words allowed in Chinese text: product and protocol names, and what a person types. */
const LATIN_ALLOWED = new Set([
  'VPN',
  'IP',
  'IKE',
  'IPsec',
  'BGP',
  'AS',
  'HTTP',
  'gateway',
  'vpn',
  'customer',
  'connection',
  'help',
]);

describe('the playground’s words', () => {
  it('exist in both languages, key for key', () => {
    expect(Object.keys(WORDS['zh-CN']).sort()).toEqual(Object.keys(WORDS.en).sort());
    for (const [key, text] of [...texts(WORDS.en), ...texts(WORDS['zh-CN'])])
      expect(text.trim(), key).not.toBe('');
  });

  it('are typeset as Chinese in Chinese, with no English left', () => {
    const found = texts(WORDS['zh-CN']).flatMap(([key, text]) => [
      ...problems(text).map((p) => `${key}: ${p}`),
      ...(text.match(/[A-Za-z]+/g) ?? [])
        .filter((w) => !LATIN_ALLOWED.has(w))
        .map((w) => `${key}: English "${w}"`),
    ]);
    expect(found).toEqual([]);
  });

  it('the check catches what it is for', () => {
    expect(problems('输入/gateway')).toHaveLength(1);
    expect(problems('隧道1')).toHaveLength(1);
    expect(problems('已建立:流量')).toHaveLength(1);
    expect(problems('名称 （选填）')).toHaveLength(1);
    expect(problems('输入 /gateway vpn、/gateway customer')).toEqual([]);
  });

  it('follow the person’s Slack locale', () => {
    expect(langOf('zh-CN')).toBe('zh-CN');
    expect(langOf('zh-TW')).toBe('zh-CN');
    expect(langOf('en-US')).toBe('en');
    expect(langOf('ja-JP')).toBe('en');
    expect(langOf(undefined)).toBe('en');
  });
});
