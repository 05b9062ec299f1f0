/**
 * Live pick-lists for the modal's `external_select` elements: regions, VPCs of the chosen region,
 * vSwitches of the chosen VPC. Slack wants an answer within 3 s and at most 100 options, so
 * lists are cached per region for a short time, a slow cloud answer falls back to the stale list,
 * options are filtered by what the user typed and ordered usefully (default VPC first).
 */
import { toCloudError } from '../cloud/errors.js';
import type { VpcClient } from '../cloud/index.js';
import type { Locale } from '../i18n/index.js';
import { selectedValue, type ViewStateValues } from './view-state.js';

export interface SlackOption {
  text: { type: 'plain_text'; text: string };
  value: string;
}

export interface OptionsLoader {
  load(
    actionId: string,
    typed: string,
    state: ViewStateValues | undefined,
    locale: Locale,
  ): Promise<SlackOption[]>;
}

/** Values of the hint options, which the validation refuses with a clear message if submitted. */
export const HINT_VALUES = {
  chooseRegion: '__choose_region__',
  chooseVpc: '__choose_vpc__',
  unavailable: '__unavailable__',
};

interface Item {
  value: string;
  label: string;
  /** Lower-case text the typed filter matches against. */
  haystack: string;
  rank: number;
}

export interface OptionsLoaderOptions {
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
  const cache = new Map<string, { items: Item[]; at: number }>();

  async function cached(key: string, fetch: () => Promise<Item[]>): Promise<Item[]> {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttl) return hit.items;
    const fresh = fetch().then((items) => {
      cache.set(key, { items, at: now() });
      return items;
    });
    const slow = new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), timeout).unref());
    try {
      const first = await Promise.race([fresh, slow]);
      if (first !== 'slow') return first;
      // Too slow for Slack: answer from what we had; the fetch still fills the cache for next time.
      fresh.catch(() => {});
      if (hit) return hit.items;
      throw new Error('timeout');
    } catch (err) {
      if (hit) return hit.items;
      throw err;
    }
  }

  async function regions(locale: Locale): Promise<Item[]> {
    const r = await vpc.describeRegions({ AcceptLanguage: locale === 'zh-CN' ? 'zh-CN' : 'en-US' });
    return r.Regions.Region.map((region) => ({
      value: region.RegionId,
      label: `${region.LocalName} (${region.RegionId})`,
      haystack: `${region.LocalName} ${region.RegionId}`.toLowerCase(),
      rank: 0,
    })).sort((a, b) => a.value.localeCompare(b.value));
  }

  async function vpcs(region: string): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await vpc.describeVpcs({ RegionId: region, PageNumber: page, PageSize: PAGE });
      for (const v of r.Vpcs.Vpc) {
        const name = v.VpcName || '—';
        items.push({
          value: v.VpcId,
          label: `${name} · ${v.VpcId} · ${v.CidrBlock ?? ''}${v.IsDefault ? ' · default' : ''}`,
          haystack: `${name} ${v.VpcId} ${v.CidrBlock ?? ''}`.toLowerCase(),
          rank: v.IsDefault ? 0 : 1,
        });
      }
      if (items.length >= r.TotalCount || r.Vpcs.Vpc.length === 0) break;
    }
    return items.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  }

  async function vswitches(region: string, vpcId: string): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await vpc.describeVSwitches({
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
        });
      }
      if (items.length >= r.TotalCount || r.VSwitches.VSwitch.length === 0) break;
    }
    return items.sort((a, b) => a.label.localeCompare(b.label));
  }

  const say = (locale: Locale, en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

  return {
    async load(actionId, typed, state, locale) {
      const region = selectedValue(state, 'RegionId');
      let items: Item[];
      try {
        if (actionId === 'RegionId') items = await cached(`regions:${locale}`, () => regions(locale));
        else if (actionId === 'VpcId' || actionId === 'VSwitchId') {
          if (!region)
            return [option(say(locale, 'Choose a region first', '请先选择地域'), HINT_VALUES.chooseRegion)];
          if (actionId === 'VpcId') items = await cached(`vpcs:${region}`, () => vpcs(region));
          else {
            const vpcId = selectedValue(state, 'VpcId');
            if (!vpcId)
              return [option(say(locale, 'Choose a VPC first', '请先选择 VPC'), HINT_VALUES.chooseVpc)];
            items = await cached(`vswitches:${region}:${vpcId}`, () => vswitches(region, vpcId));
          }
        } else return [];
      } catch (err) {
        const code =
          err instanceof Error && err.message === 'timeout' ? 'timeout' : toCloudError(err, actionId).code;
        return [
          option(
            say(
              locale,
              `Could not load the list (${code}); try again in a moment`,
              `无法加载列表（${code}），请稍后重试`,
            ),
            HINT_VALUES.unavailable,
          ),
        ];
      }
      const needle = typed.trim().toLowerCase();
      const matching = needle ? items.filter((i) => i.haystack.includes(needle)) : items;
      return matching.slice(0, MAX_OPTIONS).map((i) => option(i.label, i.value));
    },
  };
}
