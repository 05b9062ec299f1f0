/**
 * Everything derived from a gateway declaration: the zod schema that turns form input into
 * normalised API parameters, the validation result with every field error in both languages,
 * the parameter hash an approval covers, and the summary an approver reads.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Locale, type Text, text } from '../i18n/index.js';
import { customerGatewaySpec } from './customer-gateway.js';
import type { GatewaySpec, GatewayValidationOptions, ParamSpec, ParamValue, ValueChoice } from './spec.js';
import { vpnGatewaySpec } from './vpn-gateway.js';

export type GatewayKind = GatewaySpec['kind'];
export type GatewayParams = Readonly<Record<string, ParamValue>>;

export const GATEWAY_KINDS: readonly GatewayKind[] = ['vpn', 'customer'];

/** Bandwidth (Mbit/s) and SSL connection values from the CreateVpnGateway seed. */
export const SEED_BANDWIDTH_VALUES: readonly number[] = [5, 10, 20, 50, 100, 200];
export const SEED_SSL_CONNECTION_VALUES: readonly number[] = [5, 10, 20];

const SPECS: Record<GatewayKind, GatewaySpec> = { vpn: vpnGatewaySpec, customer: customerGatewaySpec };

export function getGatewaySpec(kind: GatewayKind): GatewaySpec {
  return SPECS[kind];
}

/** Whether a parameter applies, given the other values (defaults included). */
export function applies(param: ParamSpec, values: Readonly<Record<string, ParamValue | undefined>>): boolean {
  return param.onlyWhen === undefined || values[param.onlyWhen.param] === param.onlyWhen.equals;
}

/** Parameters whose value decides whether another one applies (the modal re-renders on them). */
export function controllingParams(spec: GatewaySpec): Set<string> {
  return new Set(spec.params.flatMap((p) => (p.onlyWhen ? [p.onlyWhen.param] : [])));
}

/** The value choices of a parameter, with configured lists resolved. */
export function choicesOf(
  param: ParamSpec,
  options: GatewayValidationOptions = {},
): readonly ValueChoice[] | undefined {
  if (param.values === undefined || typeof param.values !== 'string') return param.values;
  const list =
    param.values === 'bandwidth'
      ? (options.bandwidthValues ?? SEED_BANDWIDTH_VALUES)
      : (options.sslConnectionValues ?? SEED_SSL_CONNECTION_VALUES);
  return list.map((n) => ({ value: n, label: text(String(n), String(n)) }));
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

function fieldSchema(param: ParamSpec, options: GatewayValidationOptions) {
  const choices = choicesOf(param, options);
  return z.unknown().transform((raw, ctx): ParamValue | undefined => {
    const value = rawToString(raw);
    if (value === null) {
      issue(
        ctx,
        text(`${param.label.en} has a value of the wrong kind.`, `${param.label['zh-CN']}的取值类型不正确。`),
      );
      return z.NEVER;
    }
    if (value === undefined) {
      if (param.required) {
        issue(ctx, REQUIRED(param.label));
        return z.NEVER;
      }
      return param.default;
    }
    let typed: ParamValue;
    if (param.type === 'boolean') {
      if (value === true || value === 'true') typed = true;
      else if (value === false || value === 'false') typed = false;
      else {
        issue(
          ctx,
          text(`${param.label.en} must be true or false.`, `${param.label['zh-CN']}必须为 true 或 false。`),
        );
        return z.NEVER;
      }
    } else if (param.type === 'integer') {
      if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) {
        issue(ctx, text(`${param.label.en} must be a whole number.`, `${param.label['zh-CN']}必须为整数。`));
        return z.NEVER;
      }
      typed = Number(value);
    } else {
      if (typeof value !== 'string') {
        issue(ctx, text(`${param.label.en} must be text.`, `${param.label['zh-CN']}必须为文本。`));
        return z.NEVER;
      }
      typed = value;
    }
    // A boolean's one choice is only the checkbox's label; false is as valid as true.
    if (choices && param.type !== 'boolean' && !choices.some((c) => c.value === typed)) {
      const list = choices.map((c) => String(c.value)).join(', ');
      issue(
        ctx,
        text(
          `${param.label.en} must be one of: ${list}.`,
          `${param.label['zh-CN']}必须是以下之一：${list}。`,
        ),
      );
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
            `${param.label.en} must be ${range} characters long (it has ${length}).`,
            `${param.label['zh-CN']}长度须为 ${range} 个字符（当前为 ${length}）。`,
          ),
        );
        return z.NEVER;
      }
      for (const rule of param.rules ?? []) {
        if (!rule.test(typed)) {
          issue(
            ctx,
            text(
              `${param.label.en}: ${rule.message.en}`,
              `${param.label['zh-CN']}：${rule.message['zh-CN']}`,
            ),
          );
          return z.NEVER;
        }
      }
    }
    return typed;
  });
}

/**
 * The zod schema of a gateway kind: raw form input in, normalised API parameters out (defaults
 * applied, empty fields omitted, parameters that do not apply dropped, cross-field rules checked).
 */
export function gatewaySchema(kind: GatewayKind, options: GatewayValidationOptions = {}) {
  const spec = getGatewaySpec(kind);
  const shape: Record<string, ReturnType<typeof fieldSchema>> = {};
  for (const param of spec.params) shape[param.name] = fieldSchema(param, options);
  return z.object(shape).transform((values, ctx): GatewayParams => {
    const present: Record<string, ParamValue | undefined> = { ...values };
    const out: Record<string, ParamValue> = {};
    for (const param of spec.params) {
      const value = present[param.name];
      if (value === undefined) continue;
      if (!applies(param, present)) continue;
      out[param.name] = value;
    }
    for (const rule of spec.crossRules) {
      if (!rule.holds(out))
        ctx.addIssue({
          code: 'custom',
          path: [rule.param],
          message: rule.message.en,
          params: { zh: rule.message['zh-CN'] },
        });
    }
    return out;
  });
}

export type ValidationResult =
  | { ok: true; params: GatewayParams }
  | { ok: false; errors: Record<string, Text> };

/**
 * Validates form input for a gateway kind. Never throws: hostile input gets a result like any
 * other. Every problem is reported at once, keyed by the API parameter name (the block id).
 */
export function validateGatewayRequest(
  kind: GatewayKind,
  raw: unknown,
  options: GatewayValidationOptions = {},
): ValidationResult {
  const spec = getGatewaySpec(kind);
  // Read only declared names, as own properties: nothing else of the input is ever touched.
  const input: Record<string, unknown> = {};
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  for (const param of spec.params) {
    input[param.name] = Object.hasOwn(source, param.name) ? source[param.name] : undefined;
  }
  const parsed = gatewaySchema(kind, options).safeParse(input);
  if (parsed.success) return { ok: true, params: parsed.data };
  const errors: Record<string, Text> = {};
  for (const problem of parsed.error.issues) {
    const key = String(problem.path[0] ?? spec.params[0]?.name ?? 'form');
    if (errors[key]) continue;
    const zh = (problem as { params?: { zh?: string } }).params?.zh ?? problem.message;
    errors[key] = { en: problem.message, 'zh-CN': zh };
  }
  return { ok: false, errors };
}

/** The flat parameter map sent to the cloud API (ClientToken is added by the worker). */
export function toApiParams(kind: GatewayKind, params: GatewayParams): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const param of getGatewaySpec(kind).params) {
    const value = params[param.name];
    if (value !== undefined && value !== null) out[param.name] = value;
  }
  return out;
}

/** SHA-256 of the kind and the normalised parameters in a canonical order: what an approval covers. */
export function paramsHash(kind: GatewayKind, params: GatewayParams): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return createHash('sha256')
    .update(JSON.stringify([kind, canonical]))
    .digest('hex');
}

export interface SummaryRow {
  name: string;
  label: string;
  value: string;
}

/** What an approver reads: each parameter that will be sent, labelled, values explained. */
export function summarizeParams(kind: GatewayKind, params: GatewayParams, locale: Locale): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const param of getGatewaySpec(kind).params) {
    const value = params[param.name];
    if (value === undefined) continue;
    let shown: string;
    if (param.type === 'boolean')
      shown = value ? (locale === 'zh-CN' ? '是' : 'Yes') : locale === 'zh-CN' ? '否' : 'No';
    else {
      const choice = Array.isArray(param.values) ? param.values.find((c) => c.value === value) : undefined;
      shown =
        choice && choice.label[locale] !== String(value)
          ? `${String(value)} — ${choice.label[locale]}`
          : String(value);
    }
    rows.push({ name: param.name, label: param.label[locale], value: shown });
  }
  return rows;
}
