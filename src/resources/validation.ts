/**
 * Form input to validated API parameters, derived from a declaration: a zod schema types each
 * field by its declaration (defaults applied, empty fields omitted), then the whole form is
 * checked (parameters that do not apply dropped, conditional requirements, value sets that depend
 * on other values, rules across fields). Every problem is reported at once, keyed by the API
 * parameter name (the modal's block id), in both languages and in one phrasing: "<Label>: <what
 * is wrong>. <what to do>." The validation's own words are the catalogue's (`field`); a rule's,
 * a conditional requirement's and a cross-field rule's are their declaration's, after the label.
 */
import { z } from 'zod';
import { inBoth, type Locale, type Messages, type Text } from '../i18n/index.js';
import { hiddenCharacter } from '../text/hidden-characters.js';
import { tagProblem } from './rules.js';
import type {
  Condition,
  ParamSpec,
  ParamValue,
  ParamValues,
  RequestParams,
  Resource,
  ResourceOptions,
  ValueChoice,
} from './spec.js';

/** Whether a condition holds for these values, with every condition it is joined to (`also`). */
export function holds(condition: Condition, values: ParamValues, options: ResourceOptions = {}): boolean {
  return (
    condition.test(values[condition.param], options) &&
    (condition.also === undefined || holds(condition.also, values, options))
  );
}

/** Whether a parameter applies, given the other values (defaults included). */
export function applies(param: ParamSpec, values: ParamValues, options: ResourceOptions = {}): boolean {
  return param.onlyWhen === undefined || holds(param.onlyWhen, values, options);
}

/** Whether a parameter must be given, given the other values. */
export function isRequired(param: ParamSpec, values: ParamValues, options: ResourceOptions = {}): boolean {
  return param.required || (param.requiredWhen !== undefined && holds(param.requiredWhen, values, options));
}

/** Parameters whose value changes what another shows or offers: the modal re-renders on them. */
export function controllingParams(resource: Pick<Resource, 'params'>): Set<string> {
  const names = new Set<string>();
  for (const p of resource.params) {
    for (let condition of [p.onlyWhen, p.requiredWhen, p.warnWhen])
      for (; condition; condition = condition.also) names.add(condition.param);
    for (const name of p.dependsOn ?? []) names.add(name);
    if (p.suggest) names.add(p.suggest.after);
  }
  return names;
}

/** The value choices of a parameter for the values so far, or undefined for a free value. */
export function choicesOf(
  param: ParamSpec,
  values: ParamValues = {},
  options: ResourceOptions = {},
): readonly ValueChoice[] | undefined {
  return typeof param.values === 'function' ? param.values(values, options) : param.values;
}

/** Values with each parameter's default where none was given. */
export function withDefaults(resource: Pick<Resource, 'params'>, values: ParamValues): ParamValues {
  const out: Record<string, ParamValue | undefined> = { ...values };
  for (const p of resource.params) if (out[p.name] === undefined) out[p.name] = p.default;
  return out;
}

/** Issues carry both languages: English in `message`, Chinese in `params.zh`. */
function issue(ctx: z.RefinementCtx, message: Text): void {
  ctx.addIssue({ code: 'custom', message: message.en, params: { zh: message['zh-CN'] } });
}

/** A field error: the field's label, then the problem (a declaration's, or the catalogue's). */
function fieldError(label: Text, problem: Text | ((m: Messages, locale: Locale) => string)): Text {
  return inBoth((m, locale) =>
    m.field.problem({
      label: label[locale],
      problem: typeof problem === 'function' ? problem(m, locale) : problem[locale],
    }),
  );
}

/** A value echoed in an error, cut short: a forged select can carry anything. */
function shown(value: ParamValue): string {
  const chars = [...String(value)];
  return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : chars.join('');
}

/** Chosen from a list (select, radio), or typed. */
const chosen = (param: ParamSpec) => param.input !== 'text' && param.input !== 'multiline';

const required = (param: ParamSpec) =>
  fieldError(param.label, (m) => m.field.required({ choose: chosen(param) }));

/** Form input as it arrives: a string (possibly empty), a boolean, a number, or nothing. */
function rawToString(raw: unknown): string | boolean | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : null;
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return null; // objects, arrays, functions: never a valid form value
}

function inChoices(choices: readonly ValueChoice[], value: ParamValue): boolean {
  return choices.some((c) => c.value === value);
}

function notAChoice(param: ParamSpec, value: ParamValue, choices: readonly ValueChoice[]): Text {
  return fieldError(param.label, (m, locale) =>
    m.field.notAChoice({ value: shown(value), choices: choices.map((c) => c.label[locale]) }),
  );
}

/**
 * Each field's schema, made once: what it checks depends on the field and on whether secrets can
 * be sealed, nothing else. Building it cost about half of a submission's validation.
 */
const schemas = new WeakMap<ParamSpec, Map<boolean | undefined, ReturnType<typeof makeFieldSchema>>>();

function fieldSchema(param: ParamSpec, options: ResourceOptions) {
  let made = schemas.get(param);
  if (!made) {
    made = new Map();
    schemas.set(param, made);
  }
  const key = options.secretsAvailable;
  let schema = made.get(key);
  if (!schema) {
    schema = makeFieldSchema(param, key);
    made.set(key, schema);
  }
  return schema;
}

/** One field: typed, its length and rules checked; `undefined` when absent (no default yet). */
function makeFieldSchema(param: ParamSpec, secretsAvailable: boolean | undefined) {
  const label = param.label;
  return z.unknown().transform((raw, ctx): ParamValue | undefined => {
    const value = rawToString(raw);
    if (value === null) {
      issue(
        ctx,
        fieldError(label, (m) => m.field.wrongKind),
      );
      return z.NEVER;
    }
    if (value === undefined) return undefined;
    let typed: ParamValue;
    if (param.type === 'boolean') {
      if (value === true || value === 'true') typed = true;
      else if (value === false || value === 'false') typed = false;
      else {
        issue(
          ctx,
          fieldError(label, (m) => m.field.notBoolean),
        );
        return z.NEVER;
      }
    } else if (typeof value !== 'string') {
      issue(
        ctx,
        fieldError(label, (m) => m.field.notText),
      );
      return z.NEVER;
    } else if (param.type === 'integer') {
      if (!/^\d{1,9}$/.test(value)) {
        issue(
          ctx,
          fieldError(label, (m) => m.field.notInteger),
        );
        return z.NEVER;
      }
      typed = Number(value);
    } else typed = value;

    if (typeof typed === 'string') {
      const hidden = hiddenCharacter(typed, param.input === 'multiline');
      if (hidden) {
        issue(
          ctx,
          fieldError(label, (m) => m.field.hidden({ character: hidden })),
        );
        return z.NEVER;
      }
    }
    if (param.secret && secretsAvailable === false) {
      issue(
        ctx,
        fieldError(label, (m) => m.field.secretUnavailable),
      );
      return z.NEVER;
    }
    // A boolean's one choice is only the checkbox's label; false is as valid as true.
    if (Array.isArray(param.values) && param.type !== 'boolean' && !inChoices(param.values, typed)) {
      issue(ctx, notAChoice(param, typed, param.values));
      return z.NEVER;
    }
    if (typeof typed === 'string') {
      const length = [...typed].length;
      if (
        (param.minLength !== undefined && length < param.minLength) ||
        (param.maxLength !== undefined && length > param.maxLength)
      ) {
        const range = `${param.minLength ?? 1}–${param.maxLength ?? '∞'}`;
        issue(
          ctx,
          fieldError(label, (m) => m.field.length({ length, range })),
        );
        return z.NEVER;
      }
      for (const rule of param.rules ?? []) {
        if (!rule.test(typed)) {
          const message = typeof rule.message === 'function' ? rule.message(typed) : rule.message;
          issue(ctx, fieldError(label, message));
          return z.NEVER;
        }
      }
      if (param.type === 'tags') {
        const problem = tagProblem(typed);
        if (problem) {
          issue(ctx, fieldError(label, problem));
          return z.NEVER;
        }
      }
      if (param.normalize) typed = param.normalize(typed);
    }
    return typed;
  });
}

export type ValidationResult =
  | { ok: true; params: RequestParams }
  | {
      ok: false;
      errors: Record<string, Text>;
      /**
       * The valid fields, read only through `readingValid`: checks that need none of the invalid
       * ones still run, so that a form's every problem is said at once.
       */
      valid: RequestParams;
      invalid: readonly string[];
    };

/** Read by a rule or check from a field that has an error: it cannot be judged now. */
export class InvalidFieldRead extends Error {
  constructor(readonly field: string) {
    super(`${field} is not valid yet`);
  }
}

/**
 * The parameters as a rule or check sees them while some fields are invalid: reading one of those
 * throws `InvalidFieldRead`, so the rule or check is skipped instead of judging a value it never
 * got; absent optional fields read as absent, as always.
 */
export function readingValid(params: RequestParams, invalid: readonly string[]): RequestParams {
  if (invalid.length === 0) return params;
  const bad = new Set(invalid);
  return new Proxy(params, {
    get(target, key, receiver) {
      if (typeof key === 'string' && bad.has(key)) throw new InvalidFieldRead(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === 'string' && bad.has(key)) throw new InvalidFieldRead(key);
      return Reflect.has(target, key);
    },
  });
}

function firstIssue(error: z.ZodError): Text {
  const problem = error.issues[0];
  const zh = (problem as { params?: { zh?: string } } | undefined)?.params?.zh ?? problem?.message ?? '';
  return { en: problem?.message ?? '', 'zh-CN': zh };
}

/**
 * Validates form input for a resource type: raw values in, validated API parameters out (defaults
 * applied, empty fields omitted, parameters that do not apply dropped, every rule checked). Never
 * throws: hostile input gets a result like any other. Only declared names are read, as own
 * properties: nothing else of the input is touched. Every problem is reported at once: each
 * field's, and each rule across fields whose fields could be read.
 */
export function validateParams(
  resource: Resource,
  raw: unknown,
  options: ResourceOptions = {},
): ValidationResult {
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const errors: Record<string, Text> = {};
  const typed: Record<string, ParamValue | undefined> = {};
  for (const param of resource.params) {
    const input = Object.hasOwn(source, param.name) ? source[param.name] : undefined;
    const parsed = fieldSchema(param, options).safeParse(input);
    if (parsed.success) typed[param.name] = parsed.data;
    else errors[param.name] = firstIssue(parsed.error);
  }
  const values = withDefaults(resource, typed);
  const out: Record<string, ParamValue> = {};
  for (const param of resource.params) {
    if (errors[param.name] || !applies(param, values, options)) continue;
    const value = values[param.name];
    if (value === undefined) {
      if (isRequired(param, values, options))
        errors[param.name] =
          !param.required && param.requiredWhen
            ? fieldError(param.label, param.requiredWhen.message)
            : required(param);
      continue;
    }
    const choices = typeof param.values === 'function' ? param.values(values, options) : undefined;
    if (choices && !inChoices(choices, value)) {
      errors[param.name] = notAChoice(param, value, choices);
      continue;
    }
    out[param.name] = value;
  }
  // A field in error may still be read for its meaning (a CIDR list with host bits set, as the
  // networks it names), so that the rules across fields say their part too.
  const invalid: string[] = [];
  for (const param of resource.params) {
    if (!errors[param.name]) continue;
    const input = Object.hasOwn(source, param.name) ? source[param.name] : undefined;
    const meant = typeof input === 'string' ? param.readAnyway?.(input.trim()) : undefined;
    if (meant === undefined) invalid.push(param.name);
    else out[param.name] = meant;
  }
  const params = out as RequestParams;
  const seen = readingValid(params, invalid);
  for (const rule of resource.crossRules) {
    if (errors[rule.param]) continue;
    try {
      if (rule.holds(seen, options)) continue;
    } catch (err) {
      if (err instanceof InvalidFieldRead) continue;
      throw err;
    }
    const label = resource.params.find((p) => p.name === rule.param)?.label;
    errors[rule.param] = label ? fieldError(label, rule.message(params)) : rule.message(params);
  }
  if (Object.keys(errors).length === 0) return { ok: true, params };
  // What was read anyway is no valid value: checks against the cloud see only the valid fields.
  const valid = Object.fromEntries(Object.entries(out).filter(([name]) => !errors[name])) as RequestParams;
  return { ok: false, errors, valid, invalid: Object.keys(errors) };
}
