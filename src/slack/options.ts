/**
 * Live pick-lists for the modal's `external_select` elements, by the source a parameter declares:
 * regions, VPCs of the chosen region, vSwitches of the chosen VPC, or a registered type's resources
 * of the region, each narrowed down as the parameter's declaration says (a VPN gateway's vSwitches
 * to the zones that can host it). Slack wants an answer within 3 s and at most 100 options, so
 * lists are cached per region for a short time, a slow cloud answer falls back to the stale list,
 * options are filtered by what the user typed and ordered usefully (default VPC first).
 */
import { toCloudError } from '../cloud/errors.js';
import type {
  DescribeRegionsResponse,
  DescribeVpcsResponse,
  DescribeVSwitchesResponse,
  VpcClient,
} from '../cloud/index.js';
import { type Locale, messages } from '../i18n/index.js';
import {
  type CloudItem,
  findResource,
  NETWORK_LISTS,
  type ParamValue,
  type PickList,
  type ResourceOptions,
} from '../resources/index.js';
import { selectedValue, type ViewStateValues } from './view-state.js';

export interface SlackOption {
  text: { type: 'plain_text'; text: string };
  value: string;
}

export interface OptionsRequest {
  /** The parameter (block id) whose options are asked for. */
  param: string;
  source: PickList;
  typed: string;
  state: ViewStateValues | undefined;
  locale: Locale;
}

export interface OptionsLoader {
  load(request: OptionsRequest): Promise<SlackOption[]>;
}

/** Values of the hint options, which the validation refuses with a clear message if submitted. */
export const HINT_VALUES = {
  chooseRegion: '__choose_region__',
  chooseVpc: '__choose_vpc__',
  noneFits: '__none_fits__',
  noneYet: '__none_yet__',
  unavailable: '__unavailable__',
};

interface Item {
  value: string;
  label: string;
  /** Lower-case text the typed filter matches against. */
  haystack: string;
  rank: number;
  /** The item as the cloud listed it, for a declaration that narrows the list down. */
  row: CloudItem;
}

export interface OptionsLoaderOptions {
  resourceOptions?: ResourceOptions;
  cacheTtlMs?: number;
  /** Time allowed for the cloud before answering from the stale cache (Slack's limit is 3 s). */
  timeoutMs?: number;
  now?: () => number;
}

const MAX_OPTIONS = 100;
const MAX_TEXT = 75;
const PAGE = 50;
const MAX_PAGES = 10;

function option(text: string, value: string): SlackOption {
  return {
    text: { type: 'plain_text', text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text },
    value,
  };
}

export function createOptionsLoader(vpc: VpcClient, o: OptionsLoaderOptions = {}): OptionsLoader {
  const ttl = o.cacheTtlMs ?? 60_000;
  const timeout = o.timeoutMs ?? 2_300;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { value: unknown; at: number }>();
  // One cloud call per list at a time: when a list is due, every option load waiting for it shares
  // the call (fifty people typing in one modal's pickers would otherwise make fifty).
  const inFlight = new Map<string, Promise<unknown>>();

  async function cached<T>(key: string, fetch: () => Promise<T>, maxAgeMs = ttl): Promise<T> {
    const hit = cache.get(key) as { value: T; at: number } | undefined;
    if (hit && now() - hit.at < maxAgeMs) return hit.value;
    let fresh = inFlight.get(key) as Promise<T> | undefined;
    if (!fresh) {
      fresh = fetch()
        .then((value) => {
          cache.set(key, { value, at: now() });
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, fresh);
    }
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), timeout).unref();
    });
    try {
      const first = await Promise.race([fresh, slow]).finally(() => clearTimeout(timer));
      if (first !== 'slow') return first;
      // Too slow for Slack: answer from what we had; the fetch still fills the cache for next time.
      fresh.catch(() => {});
      if (hit) return hit.value;
      throw new Error('timeout');
    } catch (err) {
      if (hit) return hit.value;
      throw err;
    }
  }

  async function regions(locale: Locale): Promise<Item[]> {
    const r = await vpc.call<DescribeRegionsResponse>(NETWORK_LISTS.region.action, {
      AcceptLanguage: locale === 'zh-CN' ? 'zh-CN' : 'en-US',
    });
    return r.Regions.Region.map((region) => ({
      value: region.RegionId,
      // Full-width brackets after a Chinese name.
      label:
        locale === 'zh-CN'
          ? `${region.LocalName}（${region.RegionId}）`
          : `${region.LocalName} (${region.RegionId})`,
      haystack: `${region.LocalName} ${region.RegionId}`.toLowerCase(),
      rank: 0,
      row: region as unknown as CloudItem,
    })).sort((a, b) => a.value.localeCompare(b.value));
  }

  async function vpcs(region: string, locale: Locale): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await vpc.call<DescribeVpcsResponse>(NETWORK_LISTS.vpc.action, {
        RegionId: region,
        PageNumber: page,
        PageSize: PAGE,
      });
      for (const v of r.Vpcs.Vpc) {
        const name = v.VpcName || '—';
        items.push({
          value: v.VpcId,
          label: [
            name,
            v.VpcId,
            v.CidrBlock ?? '',
            ...(v.IsDefault ? [messages(locale).options.defaultVpc] : []),
          ].join(' · '),
          haystack: `${name} ${v.VpcId} ${v.CidrBlock ?? ''}`.toLowerCase(),
          rank: v.IsDefault ? 0 : 1,
          row: v as unknown as CloudItem,
        });
      }
      if (items.length >= r.TotalCount || r.Vpcs.Vpc.length === 0) break;
    }
    return items.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  }

  async function vswitches(region: string, vpcId: string): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await vpc.call<DescribeVSwitchesResponse>(NETWORK_LISTS.vswitch.action, {
        RegionId: region,
        VpcId: vpcId,
        PageNumber: page,
        PageSize: PAGE,
      });
      for (const s of r.VSwitches.VSwitch) {
        const name = s.VSwitchName || '—';
        items.push({
          value: s.VSwitchId,
          label: `${name} · ${s.VSwitchId} · ${s.ZoneId} · ${s.CidrBlock ?? ''}`,
          haystack: `${name} ${s.VSwitchId} ${s.ZoneId} ${s.CidrBlock ?? ''}`.toLowerCase(),
          rank: 0,
          row: s as unknown as CloudItem,
        });
      }
      if (items.length >= r.TotalCount || r.VSwitches.VSwitch.length === 0) break;
    }
    return items.sort((a, b) => a.label.localeCompare(b.label));
  }

  /** A region's resources of a registered type, as its declaration lists, labels and offers them. */
  async function resourceItems(type: string, region: string): Promise<Item[]> {
    const resource = findResource(type);
    if (!resource) return [];
    const { list } = resource;
    const items: Item[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await vpc.call(list.action, { RegionId: region, PageNumber: page, PageSize: PAGE });
      const wrapper = answer[list.plural] as Record<string, unknown> | undefined;
      const batch = (wrapper?.[list.singular] as Record<string, unknown>[] | undefined) ?? [];
      for (const item of batch) {
        if (list.offer && !list.offer(item, region, o.resourceOptions ?? {})) continue;
        const label = list.label(item);
        items.push({
          value: String(item[list.idField]),
          label,
          haystack: label.toLowerCase(),
          rank: 0,
          row: item,
        });
      }
      if (page * PAGE >= Number(answer.TotalCount ?? 0) || batch.length === 0) break;
    }
    return items.sort((a, b) => a.label.localeCompare(b.label));
  }

  /**
   * The items the declaration lets this parameter take, in its order (a VPN gateway's vSwitches in
   * the zones that can host it): its narrowing sees the form so far and asks the cloud through the
   * same short-lived cache as the lists.
   */
  async function narrowed(request: OptionsRequest, narrow: NonNullable<PickList['narrow']>, items: Item[]) {
    const byRow = new Map(items.map((i) => [i.row, i]));
    const rows = await narrow(
      items.map((i) => i.row),
      {
        param: request.param,
        chosen: (param) => selectedValue(request.state, param),
        options: o.resourceOptions ?? {},
        call: <T>(action: string, params: Record<string, ParamValue>) =>
          cached(`call:${action}:${JSON.stringify(params)}`, () => vpc.call<T>(action, params)),
      },
    );
    return rows.flatMap((row, rank) => {
      const item = byRow.get(row);
      return item ? [{ ...item, rank }] : [];
    });
  }

  return {
    async load(request) {
      const { source, typed, state, locale } = request;
      const m = messages(locale).options;
      const region = selectedValue(state, 'RegionId');
      let items: Item[];
      try {
        if (source.list === 'region') items = await cached(`regions:${locale}`, () => regions(locale));
        else {
          if (!region) return [option(m.chooseRegionFirst, HINT_VALUES.chooseRegion)];
          if (typeof source.list === 'object') {
            const type = source.list.resource;
            // Short-lived: a gateway that just became active should be offered within seconds.
            items = await cached(`${type}:${region}`, () => resourceItems(type, region), 5_000);
            if (items.length === 0)
              return [
                option(
                  m.noneInRegion({ title: findResource(type)?.title[locale] ?? type, region }),
                  HINT_VALUES.noneYet,
                ),
              ];
          } else if (source.list === 'vpc')
            items = await cached(`vpcs:${region}:${locale}`, () => vpcs(region, locale));
          else {
            const vpcId = selectedValue(state, 'VpcId');
            if (!vpcId) return [option(m.chooseVpcFirst, HINT_VALUES.chooseVpc)];
            items = await cached(`vswitches:${region}:${vpcId}`, () => vswitches(region, vpcId));
          }
        }
        if (source.narrow) {
          items = await narrowed(request, source.narrow, items);
          if (items.length === 0)
            return [option(source.noneFits?.[locale] ?? m.noneFits, HINT_VALUES.noneFits)];
        }
      } catch (err) {
        const text =
          err instanceof Error && err.message === 'timeout'
            ? m.tooSlow
            : m.unavailable({ code: toCloudError(err, request.param).code });
        return [option(text, HINT_VALUES.unavailable)];
      }
      const needle = typed.trim().toLowerCase();
      const matching = needle ? items.filter((i) => i.haystack.includes(needle)) : items;
      return matching.slice(0, MAX_OPTIONS).map((i) => option(i.label, i.value));
    },
  };
}
