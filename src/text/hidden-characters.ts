/**
 * Characters that would let text pretend to be something else: control characters, format
 * characters (direction overrides, embeddings and isolates, the Arabic letter mark, zero-width
 * spaces and joiners, the byte-order mark, soft hyphens, invisible tag characters), line and
 * paragraph separators, and lone surrogates. Typed fields refuse them (a line break only where a
 * field is multi-line); text echoed back shows each one by name, so it can neither hide nor turn
 * a line around.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** A character by its code point, as Unicode charts name it: `U+202E`. */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first hidden character of `value` by name, or undefined; line breaks pass where `multiline`. */
export function hiddenCharacter(value: string, multiline: boolean): string | undefined {
  for (const [found] of value.replace(/\r\n/g, '\n').matchAll(HIDDEN)) {
    if (!(multiline && found === '\n')) return codePointName(found);
  }
  return undefined;
}

/** `text` with each hidden character but the line feed shown by name, in brackets: `[U+202E]`. */
export function nameHiddenCharacters(text: string): string {
  return text.replace(HIDDEN, (c) => (c === '\n' ? c : `[${codePointName(c)}]`));
}
