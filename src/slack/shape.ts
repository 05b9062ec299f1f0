/**
 * Shape checks for what Slack sends, read without copying: each check walks the parsed body and
 * returns the path of the first part that is not as expected, or undefined. A schema library
 * builds a copy of every object it accepts; for every request, a 20 kB modal body included, that
 * was about a twentieth of the bot's CPU per request (`npm run bench`). Objects are loose: fields
 * not named are let through, so a field Slack adds tomorrow is no problem.
 */

/** The path to what is wrong, outermost first; empty when the value itself is. */
export type Check = (value: unknown) => readonly string[] | undefined;

/** The value itself is wrong. */
export const HERE: readonly string[] = Object.freeze([]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const string: Check = (v) => (typeof v === 'string' ? undefined : HERE);
/** A string with at least one character (an id). */
export const id: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : HERE);

export const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined ? undefined : check(v);

export const nullable =
  (check: Check): Check =>
  (v) =>
    v === null ? undefined : check(v);

export const literal =
  (expected: string): Check =>
  (v) =>
    v === expected ? undefined : HERE;

/** An object with at least these fields as checked; other fields are let through. */
export function object(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (v) => {
    if (!isObject(v)) return HERE;
    for (const [name, check] of entries) {
      // Only its own fields: an inherited one (`constructor`) is not something Slack sent.
      const wrong = check(Object.hasOwn(v, name) ? v[name] : undefined);
      if (wrong) return [name, ...wrong];
    }
    return undefined;
  };
}

/** An object whose every value passes `check` (a map from names to values). */
export function record(check: Check): Check {
  return (v) => {
    if (!isObject(v)) return HERE;
    for (const name in v) {
      if (!Object.hasOwn(v, name)) continue;
      const wrong = check(v[name]);
      if (wrong) return [name, ...wrong];
    }
    return undefined;
  };
}

export function array(check: Check, o: { min?: number } = {}): Check {
  return (v) => {
    if (!Array.isArray(v) || v.length < (o.min ?? 0)) return HERE;
    for (let i = 0; i < v.length; i++) {
      const wrong = check(v[i]);
      if (wrong) return [String(i), ...wrong];
    }
    return undefined;
  };
}

/** Passes when either check passes; the path is the last one's. */
export function either(first: Check, second: Check): Check {
  return (v) => (first(v) === undefined ? undefined : second(v));
}
