/**
 * Form input to validated API parameters, derived from a declaration: a zod schema types each
 * field by its declaration (defaults applied, empty fields omitted), then the whole form is
 * checked (parameters that do not apply dropped, conditional requirements, value sets that depend
 * on other values, rules across fields). Every problem is reported at once, keyed by the API
 * parameter name (the modal's block id), in both languages.
 */
import { z } from 'zod';
import { type Text, text } from '../i18n/index.js';
import { hiddenCharacter } from './hidden-characters.js';
import { tagProblem } from './rules.js';
import type {
  ParamSpec,
  ParamValue,
  ParamValues,
  RequestParams,
  Resource,
  ResourceOptions,
  ValueChoice,
} from './spec.js';

/** Whether a parameter applies, given the other values (defaults included). */
export function applies(param: ParamSpec, values: ParamValues, options: ResourceOptions = {}): boolean {
  return param.onlyWhen === undefined || param.onlyWhen.test(values[param.onlyWhen.param], options);
}

/** Whether a parameter must be given, given the other values. */
export function isRequired(param: ParamSpec, values: ParamValues, options: ResourceOptions = {}): boolean {
  return param.required || param.requiredWhen?.test(values[param.requiredWhen.param], options) === true;
}

/** Parameters whose value changes what another shows or offers: the modal re-renders on them. */
export function controllingParams(resource: Pick<Resource, 'params'>): Set<string> {
  const names = new Set<string>();
  for (const p of resource.params) {
    for (const condition of [p.onlyWhen, p.requiredWhen, p.warnWhen])
      if (condition) names.add(condition.param);
    for (const name of p.dependsOn ?? []) names.add(name);
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

const REQUIRED = (label: Text) => text(`${label.en} is required.`, `请填写${label['zh-CN']}。`);

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

function notAChoice(param: ParamSpec, choices: readonly ValueChoice[]): Text {
  const list = choices.map((c) => String(c.value)).join(', ');
  return text(
    `${param.label.en} must be one of: ${list}.`,
    `${param.label['zh-CN']}必须是以下之一：${list}。`,
  );
}

/** One field: typed, its length and rules checked; `undefined` when absent (no default yet). */
function fieldSchema(param: ParamSpec, options: ResourceOptions) {
  const label = param.label;
  return z.unknown().transform((raw, ctx): ParamValue | undefined => {
    const value = rawToString(raw);
    if (value === null) {
      issue(ctx, text(`${label.en} has a value of the wrong kind.`, `${label['zh-CN']}的取值类型不正确。`));
      return z.NEVER;
    }
    if (value === undefined) return undefined;
    let typed: ParamValue;
    if (param.type === 'boolean') {
      if (value === true || value === 'true') typed = true;
      else if (value === false || value === 'false') typed = false;
      else {
        issue(ctx, text(`${label.en} must be true or false.`, `${label['zh-CN']}必须为 true 或 false。`));
        return z.NEVER;
      }
    } else if (typeof value !== 'string') {
      issue(ctx, text(`${label.en} must be text.`, `${label['zh-CN']}必须为文本。`));
      return z.NEVER;
    } else if (param.type === 'integer') {
      if (!/^\d{1,9}$/.test(value)) {
        issue(ctx, text(`${label.en} must be a whole number.`, `${label['zh-CN']}必须为整数。`));
        return z.NEVER;
      }
      typed = Number(value);
    } else typed = value;

    if (typeof typed === 'string') {
      const hidden = hiddenCharacter(typed, param.input === 'multiline');
      if (hidden) {
        issue(
          ctx,
          text(
            `${label.en} contains an invisible or control character (${hidden}); type it again without it.`,
            `${label['zh-CN']}包含不可见字符或控制字符（${hidden}），请删除后重新输入。`,
          ),
        );
        return z.NEVER;
      }
    }
    if (param.secret && options.secretsAvailable === false) {
      issue(
        ctx,
        text(
          `${label.en} cannot be kept safely: the bot has no REQUEST_SECRETS_KEY. Leave it empty, or ask the operator to set the key.`,
          `无法安全保存${label['zh-CN']}：机器人未配置 REQUEST_SECRETS_KEY。请留空，或请运维人员配置该密钥。`,
        ),
      );
      return z.NEVER;
    }
    // A boolean's one choice is only the checkbox's label; false is as valid as true.
    if (Array.isArray(param.values) && param.type !== 'boolean' && !inChoices(param.values, typed)) {
      issue(ctx, notAChoice(param, param.values));
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
          text(
            `${label.en} must be ${range} characters long (it has ${length}).`,
            `${label['zh-CN']}长度须为 ${range} 个字符（当前为 ${length}）。`,
          ),
        );
        return z.NEVER;
      }
      for (const rule of param.rules ?? []) {
        if (!rule.test(typed)) {
          const message = typeof rule.message === 'function' ? rule.message(typed) : rule.message;
          issue(ctx, text(`${label.en}: ${message.en}`, `${label['zh-CN']}：${message['zh-CN']}`));
          return z.NEVER;
        }
      }
      if (param.type === 'tags') {
        const problem = tagProblem(typed);
        if (problem) {
          issue(ctx, text(`${label.en}: ${problem.en}`, `${label['zh-CN']}：${problem['zh-CN']}`));
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
  | { ok: false; errors: Record<string, Text> };

function firstIssue(error: z.ZodError): Text {
  const problem = error.issues[0];
  const zh = (problem as { params?: { zh?: string } } | undefined)?.params?.zh ?? problem?.message ?? '';
  return { en: problem?.message ?? '', 'zh-CN': zh };
}

/**
 * Validates form input for a resource type: raw values in, validated API parameters out (defaults
 * applied, empty fields omitted, parameters that do not apply dropped, every rule checked). Never
 * throws: hostile input gets a result like any other. Only declared names are read, as own
 * properties: nothing else of the input is touched. Every field's problem is reported at once;
 * rules across fields run once every field is valid.
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
        errors[param.name] = param.required
          ? REQUIRED(param.label)
          : (param.requiredWhen?.message ?? REQUIRED(param.label));
      continue;
    }
    const choices = typeof param.values === 'function' ? param.values(values, options) : undefined;
    if (choices && !inChoices(choices, value)) {
      errors[param.name] = notAChoice(param, choices);
      continue;
    }
    out[param.name] = value;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const params = out as RequestParams;
  for (const rule of resource.crossRules) {
    if (!errors[rule.param] && !rule.holds(params, options)) errors[rule.param] = rule.message(params);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, params };
}
