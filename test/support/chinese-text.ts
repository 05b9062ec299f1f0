/**
 * What a Chinese message must look like, as a check tests run over every message: a space between
 * Chinese and Latin letters, digits or code spans; full-width punctuation (no half-width colon,
 * comma, parenthesis or quote in a Chinese sentence); no English word left in prose. What is not
 * prose is set aside first: code spans (a typed command stays as typed, but its `&lt;…&gt;`
 * placeholders are prose), Slack mentions and dates, emoji codes, URLs, “quoted” literal values,
 * `key=value` examples, letter ranges (A–Z), and mrkdwn's bold and italic markers (Slack wants a
 * space between a bold marker and Chinese, so that space is not a gap). A code span that is not
 * a command must hold a value, not a word. Latin words that remain must be
 * proper nouns or identifiers: the allow-list below, or a word that reads as an id (a digit, an
 * underscore, a capital after a small letter, a dot between capitals, a region's shape:
 * `vpn-bp1x`, `ipsec_sa_established`, `ClientToken`, `Throttling.User`, `cn-hangzhou`). A code span
 * holding an id prefix (`vpn-…`) is an id too.
 */

/** Proper nouns, acronyms and API values a Chinese text names as they are. */
export const LATIN_ALLOWED: ReadonlySet<string> = new Set([
  // Products, protocols and acronyms.
  'VPN',
  'IPsec',
  'IPsec-VPN',
  'SSL',
  'SSL-VPN',
  'IKE',
  'IKEv1',
  'IKEv2',
  'BGP',
  'VPC',
  'ID',
  'IP',
  'IPv4',
  'CIDR',
  'AS',
  'ASN',
  'ASCII',
  'UDP',
  'SA',
  'DH',
  'PFS',
  'RAM',
  'README',
  'Slack',
  // Device software a configuration is written for.
  'strongSwan',
  'swanctl.conf',
  'Cisco',
  'IOS',
  'VRP',
  'FortiOS',
  'FortiGate',
  'Junos',
  'SRX',
  // API values shown as the console and the API show them.
  'PREPAY',
  'POSTPAY',
  'Normal',
  'NationalStandard',
  'FinancialLocked',
  'main',
  'aggressive',
  'aes',
  'des',
  'disabled',
  'active',
  'available',
  'init',
  'provisioning',
  'deleting',
  'created',
]);

const HAN = '\\p{Script=Han}';
/** Stands for something set aside that reads as Latin (a code span, a mention, a URL). */
const LATIN_TOKEN = '\uE000';
/** Stands for something set aside that reads as neither (an emoji, a template's inserted value). */
export const NEUTRAL = '\uE001';

/** Region and zone ids (`cn-hangzhou`, `cn-hangzhou-a`): ids without a digit. */
const REGION = /^(cn|ap|eu|us|me|na|sa)-[a-z-]+$/;

function readsAsId(word: string): boolean {
  return (
    LATIN_ALLOWED.has(word) ||
    REGION.test(word) ||
    /\d/.test(word) ||
    word.includes('_') ||
    /[a-z][A-Z]/.test(word) ||
    /^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+$/.test(word) ||
    /^[A-Z][A-Z0-9_-]+$/.test(word)
  );
}

/** Latin words of a prose text that are not allowed in Chinese. */
function englishWords(prose: string): string[] {
  return [...prose.replace(/\bMbit\/s\b/g, ' ').matchAll(/[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]/g)]
    .map(([w]) => w)
    .filter((w) => !readsAsId(w));
}

function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * The problems of one Chinese text (a message as shown, or a source template with its inserted
 * values replaced by NEUTRAL); empty when it is well set.
 */
export function chineseProblems(text: string): string[] {
  if (!new RegExp(HAN, 'u').test(text)) return [];
  const problems: string[] = [];
  const placeholders: string[] = [];
  let prose = text
    .replace(/U\+[0-9A-F]{4,6}/g, LATIN_TOKEN)
    // Code spans: a command keeps its words, but its placeholders are prose; anything else in code
    // is a value, which must read as one (`list` alone is an English word, not an id).
    .replace(/`([^`]*)`/g, (_, code: string) => {
      const inner = decodeEntities(code.trim());
      if (/^(\/|npm |\uE001)/u.test(inner)) {
        for (const [, p] of inner.matchAll(/<([^<>]*)>/g)) placeholders.push(p ?? '');
      } else if (!/^[a-z]+-…$/.test(inner)) {
        for (const word of englishWords(inner)) problems.push(`English word in a code span: "${word}"`);
      }
      return LATIN_TOKEN;
    })
    .replace(/<[@#!][^>]*>/g, LATIN_TOKEN)
    // A link's address is no prose; its label is, shown as a word of the sentence.
    .replace(/<https?:\/\/[^|>]*\|([^>]*)>/g, (_, label: string) => label)
    .replace(/&lt;|&gt;/g, NEUTRAL)
    .replace(/:[a-z0-9_+-]+:/g, NEUTRAL)
    .replace(/https?:\/\//g, LATIN_TOKEN)
    .replace(/“[^”]*”/g, `“${NEUTRAL}”`)
    .replace(/\b[A-Za-z]–[A-Za-z]\b/g, LATIN_TOKEN)
    .replace(/[A-Za-z0-9_-]+=[A-Za-z0-9_-]*/g, LATIN_TOKEN);
  prose = prose.replace(/(^|\n)_|_($|\n)/g, '$1$2');
  // Slack needs a space beside a bold marker that touches Chinese: the space is not a gap.
  const gaps = prose.replaceAll('*', NEUTRAL);
  prose = prose.replaceAll('*', '');
  // A placeholder in a command is prose: Chinese, with Latin only where an id is named.
  for (const p of placeholders)
    problems.push(
      ...(new RegExp(HAN, 'u').test(p)
        ? chineseProblems(p)
        : englishWords(p).map((w) => `English word in Chinese: "${w}"`)
      ).map((x) => `in \`${p}\`: ${x}`),
    );
  const show = (s: string) => s.replaceAll(LATIN_TOKEN, '`…`').replaceAll(NEUTRAL, '…');
  const latin = `A-Za-z0-9${LATIN_TOKEN}`;
  for (const [pair] of prose.matchAll(new RegExp(`[${HAN}][${latin}]|[${latin}][${HAN}]`, 'gu')))
    problems.push(`no space between Chinese and Latin in "${show(pair)}"`);
  for (const [mark] of prose.matchAll(/.?[,:;!?()"].?/gu))
    problems.push(`half-width punctuation in Chinese: "${show(mark)}"`);
  for (const [dot] of prose.matchAll(new RegExp(`[${HAN}]\\.`, 'gu')))
    problems.push(`half-width full stop: "${show(dot)}"`);
  for (const [gap] of gaps.matchAll(new RegExp(`[${HAN}] +[${HAN}]`, 'gu')))
    problems.push(`space between Chinese characters: "${show(gap)}"`);
  for (const word of englishWords(prose)) problems.push(`English word in Chinese: "${word}"`);
  return problems;
}
