/**
 * What else is derived from a declaration once parameters are valid: the flat parameter map sent
 * to the cloud API, the hash an approval covers, and the summary an approver reads.
 */
import { createHash } from 'node:crypto';
import { type Locale, messages } from '../i18n/index.js';
import { parseTags } from './rules.js';
import type { ParamValue, RequestParams, Resource } from './spec.js';

/**
 * The parameters sent to the cloud (ClientToken is added by the worker): each declared parameter
 * present, tags expanded to `Tags.N.Key`/`Tags.N.Value`, secrets (kept apart from the stored
 * parameters) merged back in, then put in the API's own shape by the declaration (`wire`).
 */
export function toApiParams(
  resource: Resource,
  params: RequestParams,
  secrets: Readonly<Record<string, string>> = {},
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const param of resource.params) {
    const value = param.secret ? secrets[param.name] : params[param.name];
    if (value === undefined || value === null) continue;
    if (param.type === 'tags' && typeof value === 'string') {
      (parseTags(value) ?? []).forEach((tag, i) => {
        out[`${param.name}.${i + 1}.Key`] = tag.key;
        out[`${param.name}.${i + 1}.Value`] = tag.value;
      });
    } else out[param.name] = value;
  }
  return resource.wire(out);
}

/**
 * SHA-256 of the operation, the resource type and the parameters in a canonical order: what an
 * approval covers. A secret enters as its digest (an HMAC under the secrets key, see
 * workflow/secrets.ts), so the hash covers it without letting anyone who reads the hash guess it.
 */
export function paramsHash(
  operation: string,
  type: string,
  params: RequestParams,
  secretDigests: Readonly<Record<string, string>> = {},
  account?: string,
): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  const secrets = Object.keys(secretDigests)
    .sort()
    .map((k) => [k, secretDigests[k]]);
  // The account, where there is a choice of one, is part of what an approval covers.
  const covered = [operation, type, canonical, secrets, ...(account === undefined ? [] : [account])];
  return createHash('sha256').update(JSON.stringify(covered)).digest('hex');
}

export interface SummaryRow {
  name: string;
  label: string;
  value: string;
  /** The value is what a person typed (free text): show it as data, never as formatting. */
  typed: boolean;
}

/**
 * What an approver reads: each parameter that will be sent, labelled, values explained; secrets as
 * "set"; settings people can leave alone (`advanced`) in one line while they keep their defaults.
 */
export function summarizeParams(
  resource: Resource,
  params: RequestParams,
  locale: Locale,
  secretNames: readonly string[] = [],
): SummaryRow[] {
  const m = messages(locale).summary;
  const rows: SummaryRow[] = [];
  const untouched = resource.params.filter(
    (p) => p.advanced && p.default !== undefined && params[p.name] === p.default,
  );
  if (untouched.length > 0)
    rows.push({
      name: untouched
        .map((p) => p.name.split('.')[0])
        .filter((n, i, all) => all.indexOf(n) === i)
        .join(', '),
      label: m.defaults,
      value: untouched.map((p) => `${p.label[locale]} ${String(p.default)}`).join(', '),
      typed: false,
    });
  for (const param of resource.params) {
    if (untouched.includes(param)) continue;
    if (param.secret) {
      if (secretNames.includes(param.name))
        rows.push({ name: param.name, label: param.label[locale], value: m.secretSet, typed: false });
      continue;
    }
    const value = params[param.name];
    if (value === undefined) continue;
    let shown: string;
    if (param.type === 'boolean') shown = value ? m.yes : m.no;
    else {
      const choice = Array.isArray(param.values) ? param.values.find((c) => c.value === value) : undefined;
      shown =
        choice && choice.label[locale] !== String(value)
          ? `${String(value)} — ${choice.label[locale]}`
          : String(value);
    }
    const typed = (param.input === 'text' || param.input === 'multiline') && param.type !== 'integer';
    rows.push({ name: param.name, label: param.label[locale], value: shown, typed });
  }
  return rows;
}
