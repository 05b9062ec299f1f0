/**
 * swanctl.conf read back as strongSwan's settings lexer reads it (strongSwan's
 * src/libstrongswan/settings/settings_lexer.l; docs.strongswan.org, "strongswan.conf", syntax):
 * `#` starts a comment outside a string; `name {` opens a section and `}` closes it; `key = value`,
 * the value up to `#`, `}` or the line's end, or a double-quoted string in which a backslash takes
 * the next character as it is (`\n`, `\r`, `\t` excepted). Written for the tests, independently of
 * the renderer, so a quoting mistake shows as a value that reads back differently.
 */
export interface Section {
  [key: string]: string | Section;
}

export function readSwanctl(source: string): Section {
  const root: Section = {};
  const stack: Section[] = [root];
  let i = 0;
  const current = () => stack[stack.length - 1] as Section;
  const skipBlanks = () => {
    while (i < source.length && ' \t\r'.includes(source.charAt(i))) i++;
  };
  while (i < source.length) {
    skipBlanks();
    const c = source.charAt(i);
    if (c === '' || c === '\n') {
      i++;
    } else if (c === '#') {
      while (i < source.length && source.charAt(i) !== '\n') i++;
    } else if (c === '}') {
      if (stack.length === 1) throw new Error(`unbalanced } at ${i}`);
      stack.pop();
      i++;
    } else {
      const name = /^[^#{}="\r\n\t ]+/.exec(source.slice(i))?.[0];
      if (!name) throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
      i += name.length;
      skipBlanks();
      if (source.charAt(i) === '{') {
        const section: Section = {};
        current()[name] = section;
        stack.push(section);
        i++;
      } else if (source.charAt(i) === '=') {
        i++;
        skipBlanks();
        const [value, next] = readValue(source, i);
        current()[name] = value;
        i = next;
      } else {
        throw new Error(`expected { or = after ${name}`);
      }
    }
  }
  if (stack.length !== 1) throw new Error('unclosed section');
  return root;
}

function readValue(source: string, start: number): [string, number] {
  if (source.charAt(start) !== '"') {
    const raw = /^[^#}\n]*/.exec(source.slice(start))?.[0] ?? '';
    return [raw.trim(), start + raw.length];
  }
  let out = '';
  let i = start + 1;
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === '"') return [out, i + 1];
    if (c === '\\') {
      const next = source.charAt(i + 1);
      // An escaped line end joins the lines.
      if (next !== '\n') out += escapes[next] ?? next;
      i += 2;
    } else {
      if (c !== '\r') out += c;
      i++;
    }
  }
  throw new Error('unterminated string');
}

/** The section at `path` (names joined by dots). */
export function sectionAt(root: Section, path: string): Section {
  let at: string | Section = root;
  for (const part of path.split('.')) {
    if (typeof at === 'string' || !(part in at)) throw new Error(`no section ${path}`);
    at = at[part] as string | Section;
  }
  if (typeof at === 'string') throw new Error(`${path} is a value`);
  return at;
}
