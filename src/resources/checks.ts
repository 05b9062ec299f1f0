/**
 * Preflight checks that several resource types share, built from the VPC API's list and describe
 * actions: the VPC is in the region, the vSwitches belong to it and sit in zones that can host a
 * VPN gateway, a value is not already taken in the region, the account's quota has room. Each
 * names the field a certain failure belongs to, so the modal can show it there.
 */
import { spaced, type Text, text } from '../i18n/index.js';
import { NETWORK_LISTS } from './network.js';
import { settingOf } from './settings.js';
import type { Check, CheckContext, DeleteParams, ListSpec, QuotaSpec } from './spec.js';

/** What every resource type's parameters have; a shared check reads the rest by name. */
type InRegion = Readonly<{ RegionId: string }>;

/** A parameter by name, for checks shared by resource types whose declarations differ. */
function read(params: InRegion, name: string): unknown {
  return (params as Readonly<Record<string, unknown>>)[name];
}

const PAGE = 50;
/** 20 pages of 50: far beyond any account quota the checks count against. */
const MAX_PAGES = 20;

type Row = Readonly<Record<string, unknown>>;

/** One page of a list action: built in one place, so that checks reading the same page share it. */
const pageOf = (params: Record<string, string | number>, page: number) => ({
  ...params,
  PageNumber: page,
  PageSize: PAGE,
});

/** A paged list action and how its answer wraps the items (`{Plural: {Singular: [...]}}`). */
export type PagedList = Pick<ListSpec, 'action' | 'plural' | 'singular'>;

/** Every item of a paged list action, up to 1,000. */
export async function listAll(
  ctx: Pick<CheckContext, 'call'>,
  list: PagedList,
  params: Record<string, string | number>,
): Promise<Row[]> {
  const items: Row[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await ctx.call<Record<string, unknown>>(list.action, pageOf(params, page));
    const wrapper = answer[list.plural] as Record<string, unknown> | undefined;
    const batch = (wrapper?.[list.singular] as Row[] | undefined) ?? [];
    items.push(...batch);
    if (batch.length === 0 || items.length >= Number(answer.TotalCount ?? 0)) break;
  }
  return items;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

/** The VPC named by `param` exists in the request's region. */
export function vpcInRegion(param = 'VpcId'): Check<InRegion> {
  return {
    id: 'vpc',
    async run(params, ctx) {
      const region = params.RegionId;
      const vpcId = str(read(params, param));
      const vpcs = await listAll(ctx, NETWORK_LISTS.vpc, { RegionId: region, VpcId: vpcId });
      const found = vpcs.find((v) => v.VpcId === vpcId);
      if (!found)
        return {
          id: 'vpc',
          param,
          outcome: 'fail',
          detail: text(
            `VPC ${vpcId} is not in ${region}. Choose the region first, then a VPC from the list.`,
            `VPC ${vpcId} 不在 ${region} 中。请先选择地域，再从列表中选择 VPC。`,
          ),
        };
      const name = str(found.VpcName);
      return {
        id: 'vpc',
        outcome: 'pass',
        detail: text(
          `VPC ${vpcId} (${name || 'unnamed'}, ${str(found.CidrBlock)}) is in ${region}.`,
          `VPC ${vpcId}（${name || '未命名'}，${str(found.CidrBlock)}）位于 ${region}。`,
        ),
      };
    },
  };
}

/** No existing resource in the region has the same value of `param` (a customer gateway's IP). */
export function notTakenInRegion(spec: {
  /** The check's name in results and the audit trail. */
  id: string;
  param: string;
  list: { action: string; plural: string; singular: string; idField: string };
  what: { en: string; zh: string };
}): Check<InRegion> {
  return {
    id: spec.id,
    async run(params, ctx) {
      const region = params.RegionId;
      const value = str(read(params, spec.param));
      const items = await listAll(ctx, spec.list, { RegionId: region });
      const clash = items.find((item) => str(item[spec.param]) === value);
      return clash
        ? {
            id: spec.id,
            param: spec.param,
            outcome: 'fail',
            detail: text(
              `${value} is already ${spec.what.en} ${str(clash[spec.list.idField])} in ${region}; it can be used once per region.`,
              spaced`${value} 已是 ${region} 中的${spec.what.zh} ${str(clash[spec.list.idField])}；同一地域内不可重复使用。`,
            ),
          }
        : {
            id: spec.id,
            outcome: 'pass',
            detail: text(`${value} is not yet used in ${region}.`, `${value} 在 ${region} 中尚未被使用。`),
          };
    },
  };
}

/**
 * The account's quota of a resource type has room: the count from a list call (filtered by the
 * request's value of `per`, where the quota is per gateway), against the setting in force.
 */
export function quotaHasRoom(quota: QuotaSpec, list: PagedList, perLabel?: Text): Check<InRegion> {
  const { setting, per, what } = quota;
  return {
    id: 'quota',
    async run(params, ctx) {
      const region = params.RegionId;
      const limit = settingOf(ctx.options, setting);
      const filter: Record<string, string> = { RegionId: region };
      const owner = per === undefined ? undefined : str(read(params, per));
      if (per !== undefined && owner !== undefined) filter[per] = owner;
      const answer = await ctx.call<Record<string, unknown>>(
        list.action,
        quota.sharesListPage ? pageOf(filter, 1) : { ...filter, PageSize: 1 },
      );
      const used = Number(answer.TotalCount ?? 0);
      const where =
        owner === undefined || perLabel === undefined
          ? text(`in ${region}`, `${region} `)
          : text(`on ${perLabel.en} ${owner}`, `${perLabel['zh-CN']} ${owner} 上`);
      if (used < limit)
        return {
          id: 'quota',
          outcome: 'pass',
          detail: text(
            `${used} of ${limit} ${what.en} used ${where.en}.`,
            spaced`${where['zh-CN']}已使用 ${used}/${limit} 个${what.zh}。`,
          ),
        };
      return {
        id: 'quota',
        param: per ?? 'RegionId',
        outcome: 'fail',
        detail: text(
          `${used} of ${limit} ${what.en} are already used ${where.en}: the quota is full. Delete one, ask Alibaba Cloud to raise the quota (and set ${setting.variable} to match)${per === undefined ? ', or choose another region' : ''}.`,
          spaced`${where['zh-CN']}已使用 ${used}/${limit} 个${what.zh}，配额已满。请删除一个、向阿里云申请提升配额（并同步设置 ${setting.variable}）${per === undefined ? '，或选择其他地域' : ''}。`,
        ),
      };
    },
  };
}

/** The id a delete request is about: its one parameter besides the region. */
export function deleteTarget(params: DeleteParams): { param: string; id: string } {
  const param = Object.keys(params).find((k) => k !== 'RegionId') ?? '';
  return { param, id: str(params[param]) };
}

/** A title inside an English sentence: "customer gateway", but "IPsec connection" keeps its capitals. */
const midSentence = (title: string) =>
  /^.[A-Z]/.test(title) ? title : title.charAt(0).toLowerCase() + title.slice(1);

/** A resource type that uses others, as the delete check of the types it uses sees it. */
export interface Dependant {
  title: Text;
  list: PagedList & { idField: string };
  /** The ids of the deleted type one of its items uses. */
  ids: (item: Row) => readonly string[];
}

/**
 * Before a delete: nothing in the region uses the resource (an IPsec connection its VPN gateway or
 * customer gateway), for every type that declares it uses this one; refused naming what uses it.
 */
export function nothingUses(dependants: readonly Dependant[]): Check<DeleteParams> {
  return {
    id: 'dependents',
    async run(params, ctx) {
      const { id } = deleteTarget(params);
      const region = params.RegionId;
      const users = await Promise.all(
        dependants.map(async (d) => {
          const items = await listAll(ctx, d.list, { RegionId: region });
          const ids = items
            .filter((item) => d.ids(item).includes(id))
            .map((item) => str(item[d.list.idField]));
          return { title: d.title, ids };
        }),
      );
      const using = users.filter((u) => u.ids.length > 0);
      if (using.length === 0)
        return {
          id: 'dependents',
          outcome: 'pass',
          detail: text(`Nothing in ${region} uses ${id}.`, `${region} 中没有资源使用 ${id}。`),
        };
      const first = using[0]?.ids[0] ?? '';
      const named = (locale: 'en' | 'zh-CN', comma: string, more: (n: number) => string) =>
        using
          .map((u) => {
            const shown = u.ids.slice(0, 10).join(comma) + (u.ids.length > 10 ? more(u.ids.length) : '');
            return `${locale === 'en' ? midSentence(u.title.en) : u.title[locale]} ${shown}`;
          })
          .join(locale === 'en' ? '; ' : '；');
      const count = using.reduce((n, u) => n + u.ids.length, 0);
      return {
        id: 'dependents',
        outcome: 'fail',
        detail: text(
          `${id} is used by ${named('en', ', ', (n) => ` (+${n - 10})`)}. Delete ${count === 1 ? 'it' : 'them'} first (\`/gateway delete ${first}\`), then ask again.`,
          `${id} 正被 ${named('zh-CN', '、', (n) => ` 等 ${n} 个`)} 使用。请先删除（\`/gateway delete ${first}\`），再重新申请。`,
        ),
      };
    },
  };
}
