/**
 * What every action handler shares: its context, parameter readers that answer Alibaba's
 * `Missing<Param>` / `Invalid<Param>` codes, paging with list wrappers, and ClientToken idempotency.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { invalid, missing, SimError } from '../errors.js';
import type { SimulatorState } from '../state.js';

export interface ActionContext {
  state: SimulatorState;
  clock: Clock;
  provisionTimeMs: number;
  /** Time from DeleteVpnGateway to the gateway being gone (`deleting` meanwhile). */
  deleteTimeMs: number;
  /** Time from a change of a connection to its VPN gateway being `active` again (`updating` meanwhile). */
  updateTimeMs: number;
  /** When set, each new VPN gateway's time to `active` is drawn evenly from this range. */
  provisionTimeSpreadMs?: readonly [number, number];
  /** Bandwidths accepted for every network type; unset: today's per network type. */
  bandwidthValues?: readonly number[];
  sslConnectionValues: readonly number[];
  /** Regions where a new VPN gateway is dual-tunnel (Alibaba's table by default). */
  dualTunnelRegions: readonly string[];
  quotas: { vpnGateways: number; customerGateways: number; vpnConnectionsPerGateway: number };
}

export type Params = Readonly<Record<string, string>>;
export type Handler = (p: Params, ctx: ActionContext) => Record<string, unknown>;

/** Parameters every RPC request carries; they are not part of an action's business parameters. */
export const COMMON_PARAMS: ReadonlySet<string> = new Set([
  'AccessKeyId',
  'Action',
  'Format',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
  'Version',
  'SecurityToken',
  'Signature',
]);

/** Alibaba's RequestIds are upper-case UUIDs. */
export const requestId = (): string => randomUUID().toUpperCase();

export function need(p: Params, name: string): string {
  const value = p[name];
  if (value === undefined || value === '') throw missing(name);
  return value;
}

export function bool(p: Params, name: string, fallback: boolean): boolean {
  const value = p[name];
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(name, `${name} must be true or false.`);
}

export function int(p: Params, name: string): number | undefined {
  const value = p[name];
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw invalid(name, `${name} must be an integer.`);
  return Number(value);
}

/** The request's region, which must be one the account has (`InvalidRegionId.NotFound` otherwise). */
export function region(p: Params, ctx: ActionContext): string {
  const id = need(p, 'RegionId');
  checkRegion(id, ctx);
  return id;
}

export function checkRegion(id: string, ctx: ActionContext): void {
  if (!ctx.state.seed.regions.some((r) => r.RegionId === id)) {
    throw new SimError('InvalidRegionId.NotFound', 404, `The specified RegionId ${id} does not exist.`);
  }
}

function paging(p: Params): { page: number; size: number } {
  const page = int(p, 'PageNumber') ?? 1;
  const size = int(p, 'PageSize') ?? 10;
  if (page < 1) throw invalid('PageNumber', 'PageNumber must be at least 1.');
  if (size < 1 || size > 50) throw invalid('PageSize', 'PageSize must be from 1 to 50.');
  return { page, size };
}

/** A paged list answer: `{ <Plural>: { <Singular>: [...] }, TotalCount, PageNumber, PageSize, RequestId }`. */
export function pagedList<T>(plural: string, singular: string, items: readonly T[], p: Params) {
  const { page, size } = paging(p);
  return {
    [plural]: { [singular]: items.slice((page - 1) * size, page * size) },
    TotalCount: items.length,
    PageNumber: page,
    PageSize: size,
    RequestId: requestId(),
  };
}

/** The action's own parameters, canonical, for comparing two uses of one ClientToken. */
function businessKey(p: Params): string {
  return JSON.stringify(
    Object.keys(p)
      .filter((k) => !COMMON_PARAMS.has(k) && k !== 'ClientToken')
      .sort()
      .map((k) => [k, p[k]]),
  );
}

/**
 * ClientToken idempotency, per action. Same token and same business parameters: the first answer
 * again (with a new RequestId), nothing new done. Same token, other parameters:
 * `IdempotentParameterMismatch`. Only successes are remembered: a call that failed did nothing, so
 * retrying it with its token must be allowed to succeed. Tokens are kept until a reset (Alibaba does
 * not document how long it keeps them).
 */
export function idempotent(
  action: string,
  p: Params,
  ctx: ActionContext,
  run: () => Record<string, unknown>,
): Record<string, unknown> {
  const token = p.ClientToken;
  if (token === undefined) return run();
  if (token.length === 0 || token.length > 64 || !/^[\x20-\x7e]+$/.test(token))
    throw invalid('ClientToken', 'ClientToken must be 1 to 64 ASCII characters.');
  const key = `${action}:${token}`;
  const paramsKey = businessKey(p);
  const seen = ctx.state.tokens.get(key);
  if (seen) {
    if (seen.paramsKey !== paramsKey) {
      throw new SimError(
        'IdempotentParameterMismatch',
        400,
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
    return { ...seen.response, RequestId: requestId() };
  }
  const response = run();
  ctx.state.tokens.set(key, { action, token, paramsKey, response });
  return response;
}

/** `ResourceGroupId`, when given: an id such as `rg-acfmzw2jz2z7abc`. Any well-formed one is accepted. */
export function resourceGroup(p: Params): string {
  const value = p.ResourceGroupId;
  if (value === undefined) return '';
  if (!/^rg-[a-z0-9]{4,64}$/.test(value))
    throw new SimError(
      'InvalidResourceGroupId.NotFound',
      404,
      `The specified ResourceGroupId ${value} does not exist.`,
    );
  return value;
}

/**
 * `Tags.N.Key` / `Tags.N.Value` (a RepeatList): up to 20; a key of 1–128 characters and a value of
 * at most 128; neither starting with `aliyun` or `acs:`, nor containing `http://` / `https://`.
 */
export function tags(p: Params, name = 'Tags'): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  for (let n = 1; ; n++) {
    const key = p[`${name}.${n}.Key`];
    const value = p[`${name}.${n}.Value`];
    if (key === undefined && value === undefined) break;
    if (key === undefined || key.length < 1 || [...key].length > 128)
      throw new SimError('InvalidTagKey', 400, `The tag key ${name}.${n}.Key is not valid.`);
    const v = value ?? '';
    if ([...v].length > 128)
      throw new SimError('InvalidTagValue', 400, `The tag value ${name}.${n}.Value is too long.`);
    for (const text of [key, v]) {
      if (/^(aliyun|acs:)/i.test(text) || /https?:\/\//i.test(text))
        throw new SimError('InvalidTagKey', 400, 'Tags cannot start with aliyun or acs:, or contain a URL.');
    }
    out.push({ Key: key, Value: v });
  }
  if (out.length > 20) throw new SimError('InvalidTagCount', 400, 'At most 20 tags can be given.');
  if (new Set(out.map((t) => t.Key)).size !== out.length)
    throw new SimError('InvalidTagKey.Duplicate', 400, 'A tag key is given twice.');
  return out;
}
