/**
 * Shape checks for what Slack sends, read without copying: each check walks the parsed body and
 * returns the path of the first part that is not as expected, or undefined. A schema library
 * builds a copy of every object it accepts; for every request, a 20 kB modal body included, that
 * was about a twentieth of the bot's CPU per request (`npm run bench`). Objects are loose: fields
 * not named are let through, so a field Slack adds tomorrow is no problem.
 */

declare const accepts: unique symbol;

/**
 * The path to what is wrong, outermost first; empty when the value itself is. `T` is what the
 * check lets through, so that a type is derived from its check (`Checked`) and not written twice.
 */
export type Check<T = unknown> = ((value: unknown) => readonly string[] | undefined) & {
  readonly [accepts]?: T;
};

/** The type of what a check lets through. */
export type Checked<C> = C extends Check<infer T> ? T : never;

/** An object's fields as checked: a field whose check lets `undefined` through is optional. */
type Fields<F extends Record<string, Check>> = OneObject<
  { [K in keyof F as undefined extends Checked<F[K]> ? K : never]?: Checked<F[K]> } & {
    [K in keyof F as undefined extends Checked<F[K]> ? never : K]: Checked<F[K]>;
  }
>;
type OneObject<T> = { [K in keyof T]: T[K] };

/** The value itself is wrong. */
export const HERE: readonly string[] = Object.freeze([]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const string: Check<string> = (v) => (typeof v === 'string' ? undefined : HERE);
/** A string with at least one character (an id). */
export const id: Check<string> = (v) => (typeof v === 'string' && v.length > 0 ? undefined : HERE);

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v) =>
    v === undefined ? undefined : check(v);

export const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v) =>
    v === null ? undefined : check(v);

export const literal =
  <L extends string>(expected: L): Check<L> =>
  (v) =>
    v === expected ? undefined : HERE;

/** An object with at least these fields as checked; other fields are let through. */
export function object<F extends Record<string, Check>>(fields: F): Check<Fields<F>> {
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
export function record<T>(check: Check<T>): Check<Record<string, T>> {
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

export function array<T>(check: Check<T>, o: { min?: number } = {}): Check<T[]> {
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
export function either<A, B>(first: Check<A>, second: Check<B>): Check<A | B> {
  return (v) => (first(v) === undefined ? undefined : second(v));
}
