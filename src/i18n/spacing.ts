/**
 * Chinese text built from parts: where a Chinese character meets a Latin letter, a digit or a code
 * span at the seam between the template and an inserted value, a space goes between them
 * ("创建 VPN 网关", "已有 3 个"), and nowhere else. Only the seams are touched: an inserted value
 * (an id, a name someone typed) is never changed inside.
 */
const HAN = /\p{Script=Han}/u;
/** What reads as Latin at a seam: letters, digits, a code span's backtick, a Slack mention's bracket. */
const LATIN_LEFT = /[A-Za-z0-9`>]/;
const LATIN_RIGHT = /[A-Za-z0-9`<]/;

function seam(left: string, right: string): string {
  if (left === '' || right === '') return '';
  const l = left.slice(-1);
  const r = right.charAt(0);
  return (HAN.test(l) && LATIN_RIGHT.test(r)) || (LATIN_LEFT.test(l) && HAN.test(r)) ? ' ' : '';
}

/** A tagged template for Chinese sentences: `spaced\`创建${title}\`` gives "创建 VPN 网关" and "创建用户网关". */
export function spaced(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((raw, i) => {
    const value = String(raw);
    const next = strings[i + 1] ?? '';
    out += seam(out, value) + value;
    out += seam(value === '' ? '' : out, next) + next;
  });
  return out;
}
