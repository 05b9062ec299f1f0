/**
 * The lists a pick-list offers, read from one account's cloud: its regions, the VPCs of a region,
 * the vSwitches of a VPC, and a region's resources of a registered type (as its declaration lists,
 * labels and offers them). Each item keeps the row the cloud listed, for a declaration that
 * narrows a list down.
 */
import type {
  DescribeRegionsResponse,
  DescribeVpcsResponse,
  DescribeVSwitchesResponse,
  VpcClient,
} from '../../cloud/index.js';
import { type Locale, messages } from '../../i18n/index.js';
import { type CloudItem, findResource, NETWORK_LISTS, type ResourceOptions } from '../../resources/index.js';

export interface Item {
  value: string;
  label: string;
  /** Lower-case text the typed filter matches against. */
  haystack: string;
  rank: number;
  /** The item as the cloud listed it, for a declaration that narrows the list down. */
  row: CloudItem;
}

const PAGE = 50;
const MAX_PAGES = 10;

/** Every page of a paged list, as `read` turns each answer into items. */
async function allPages<A>(
  fetch: (page: number) => Promise<A>,
  read: (answer: A) => { items: Item[]; total: number; listed?: number },
): Promise<Item[]> {
  const items: Item[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { items: batch, total, listed = batch.length } = read(await fetch(page));
    items.push(...batch);
    // `listed` counts what the page held, before any was left out.
    if (page * PAGE >= total || listed === 0) break;
  }
  return items;
}

/** The account's regions, named in the reader's language; only those it offers, where it names some. */
export async function regionItems(
  vpc: VpcClient,
  locale: Locale,
  offered: readonly string[] | undefined,
): Promise<Item[]> {
  const r = await vpc.call<DescribeRegionsResponse>(NETWORK_LISTS.region.action, {
    AcceptLanguage: locale === 'zh-CN' ? 'zh-CN' : 'en-US',
  });
  return r.Regions.Region.filter((region) => !offered || offered.includes(region.RegionId))
    .map((region) => ({
      value: region.RegionId,
      // Full-width brackets after a Chinese name.
      label:
        locale === 'zh-CN'
          ? `${region.LocalName}（${region.RegionId}）`
          : `${region.LocalName} (${region.RegionId})`,
      haystack: `${region.LocalName} ${region.RegionId}`.toLowerCase(),
      rank: 0,
      row: region as unknown as CloudItem,
    }))
    .sort((a, b) => a.value.localeCompare(b.value));
}

/** The region's VPCs, the default one first. */
export async function vpcItems(vpc: VpcClient, region: string, locale: Locale): Promise<Item[]> {
  const items = await allPages(
    (page) =>
      vpc.call<DescribeVpcsResponse>(NETWORK_LISTS.vpc.action, {
        RegionId: region,
        PageNumber: page,
        PageSize: PAGE,
      }),
    (r) => ({
      total: r.TotalCount,
      items: r.Vpcs.Vpc.map((v) => {
        const name = v.VpcName || '—';
        const isDefault = v.IsDefault ? [messages(locale).options.defaultVpc] : [];
        return {
          value: v.VpcId,
          label: [name, v.VpcId, v.CidrBlock ?? '', ...isDefault].join(' · '),
          haystack: `${name} ${v.VpcId} ${v.CidrBlock ?? ''}`.toLowerCase(),
          rank: v.IsDefault ? 0 : 1,
          row: v as unknown as CloudItem,
        };
      }),
    }),
  );
  return items.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
}

/** The VPC's vSwitches, with their zones. */
export async function vswitchItems(vpc: VpcClient, region: string, vpcId: string): Promise<Item[]> {
  const items = await allPages(
    (page) =>
      vpc.call<DescribeVSwitchesResponse>(NETWORK_LISTS.vswitch.action, {
        RegionId: region,
        VpcId: vpcId,
        PageNumber: page,
        PageSize: PAGE,
      }),
    (r) => ({
      total: r.TotalCount,
      items: r.VSwitches.VSwitch.map((s) => {
        const name = s.VSwitchName || '—';
        return {
          value: s.VSwitchId,
          label: `${name} · ${s.VSwitchId} · ${s.ZoneId} · ${s.CidrBlock ?? ''}`,
          haystack: `${name} ${s.VSwitchId} ${s.ZoneId} ${s.CidrBlock ?? ''}`.toLowerCase(),
          rank: 0,
          row: s as unknown as CloudItem,
        };
      }),
    }),
  );
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

/** A region's resources of a registered type, as its declaration lists, labels and offers them. */
export async function resourceItems(
  vpc: VpcClient,
  type: string,
  region: string,
  options: ResourceOptions,
): Promise<Item[]> {
  const resource = findResource(type);
  if (!resource) return [];
  const { list } = resource;
  const items = await allPages(
    (page) => vpc.call(list.action, { RegionId: region, PageNumber: page, PageSize: PAGE }),
    (answer) => {
      const wrapper = answer[list.plural] as Record<string, unknown> | undefined;
      const batch = (wrapper?.[list.singular] as CloudItem[] | undefined) ?? [];
      return {
        total: Number(answer.TotalCount ?? 0),
        listed: batch.length,
        items: batch
          .filter((item) => !list.offer || list.offer(item, region, options))
          .map((item) => {
            const label = list.label(item);
            return {
              value: String(item[list.idField]),
              label,
              haystack: label.toLowerCase(),
              rank: 0,
              row: item,
            };
          }),
      };
    },
  );
  return items.sort((a, b) => a.label.localeCompare(b.label));
}
