/**
 * Live pick-lists for the modal's `external_select` elements, by the source a parameter declares:
 * regions, VPCs of the chosen region, vSwitches of the chosen VPC, or a registered type's resources
 * of the region, each narrowed down as the parameter's declaration says (a VPN gateway's vSwitches
 * to the zones that can host it), all in the account the form is for (its regions only, where it
 * names some). Slack wants an answer within 3 s and at most 100 options, so lists are cached per
 * account and region for a short time, a slow cloud answer falls back to the stale list, options
 * are filtered by what the user typed and ordered usefully (default VPC first).
 */
import { toCloudError } from '../../cloud/errors.js';
import type { VpcClient } from '../../cloud/index.js';
import type { Account } from '../../config/index.js';
import { type Locale, messages } from '../../i18n/index.js';
import {
  findResource,
  type NarrowContext,
  type ParamValue,
  type PickList,
  type Proposals,
  type Resource,
  type ResourceOptions,
} from '../../resources/index.js';
import { selectedValue, type ViewStateValues } from '../view-state.js';
import { type Cached, createListCache, type ListCacheOptions } from './cache.js';
import { type Item, regionItems, resourceItems, vpcItems, vswitchItems } from './lists.js';

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
  /** The account the form is for; unset while a form that offers several has none chosen. */
  account: Account | undefined;
}

/** What a form's placeholders are read from (`suggest`): its type, its values so far, its account. */
export interface SuggestRequest {
  resource: Resource;
  /** The form's values so far, by field. */
  chosen: Readonly<Record<string, ParamValue>>;
  locale: Locale;
  account: Account | undefined;
}

export interface OptionsLoader {
  load(request: OptionsRequest): Promise<SlackOption[]>;
  /**
   * The placeholders the declaration reads from the account for the form so far, by field, in the
   * person's language; a field whose read fails or takes longer than `withinMs` keeps its own.
   */
  suggest(request: SuggestRequest, withinMs: number): Promise<Record<string, string>>;
}

/** Values of the hint options, which the validation refuses with a clear message if submitted. */
export const HINT_VALUES = {
  chooseAccount: '__choose_account__',
  chooseRegion: '__choose_region__',
  chooseVpc: '__choose_vpc__',
  noneFits: '__none_fits__',
  noneYet: '__none_yet__',
  unavailable: '__unavailable__',
};

export interface OptionsLoaderOptions extends ListCacheOptions {
  resourceOptions?: ResourceOptions;
}

const MAX_OPTIONS = 100;
const MAX_TEXT = 75;

function option(text: string, value: string): SlackOption {
  return {
    text: { type: 'plain_text', text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text },
    value,
  };
}

/** What answering one option load needs: the account's client, the cache, the resource settings. */
interface Lookup {
  vpc: VpcClient;
  account: Account;
  cached: Cached;
  options: ResourceOptions;
}

/**
 * The items the declaration lets this parameter take, in its order (a VPN gateway's vSwitches in
 * the zones that can host it): its narrowing sees the form so far and asks the cloud through the
 * same short-lived cache as the lists.
 */
async function narrowed(
  request: OptionsRequest,
  narrow: NonNullable<PickList['narrow']>,
  items: Item[],
  l: Lookup,
): Promise<Item[]> {
  const byRow = new Map(items.map((i) => [i.row, i]));
  const rows = await narrow(
    items.map((i) => i.row),
    formContext(request, l),
  );
  return rows.flatMap((row, rank) => {
    const item = byRow.get(row);
    return item ? [{ ...item, rank }] : [];
  });
}

/**
 * What the form so far may use to narrow a list down or propose values: its values, and the cloud
 * through the cache (answers up to `maxAgeMs` old; a call in flight is shared, and a cloud too slow
 * for Slack is answered from the last answer).
 */
function formContext(request: OptionsRequest, l: Lookup, maxAgeMs?: number): NarrowContext {
  return {
    param: request.param,
    chosen: (param) => selectedValue(request.state, param),
    options: l.options,
    call: <T>(action: string, params: Record<string, ParamValue>) =>
      l.cached(
        `${l.account.name}:call:${action}:${JSON.stringify(params)}`,
        () => l.vpc.call<T>(action, params),
        maxAgeMs,
      ),
  };
}

/** The values a declaration proposes (free BGP tunnel /30s), as they are typed. */
async function proposed(request: OptionsRequest, source: Proposals, l: Lookup): Promise<Item[]> {
  // Read afresh at each load: a value proposed must not be one a connection made a moment ago holds.
  const choices = await source.propose({ ...formContext(request, l, 0), typed: request.typed });
  return choices.map((c) => {
    const label = c.label[request.locale];
    return { value: String(c.value), label, haystack: label.toLowerCase(), rank: 0, row: {} };
  });
}

/** The list the source names, or the one option that says what to choose first. */
async function listFor(request: OptionsRequest, l: Lookup): Promise<Item[] | SlackOption> {
  const { source, state, locale } = request;
  const m = messages(locale).options;
  const at = l.account.name;
  if (source.list === 'region')
    return l.cached(`${at}:regions:${locale}`, () => regionItems(l.vpc, locale, l.account.regions));
  const region = selectedValue(state, 'RegionId');
  if (!region) return option(m.chooseRegionFirst, HINT_VALUES.chooseRegion);
  if (typeof source.list === 'object' && 'propose' in source.list) return proposed(request, source.list, l);
  if (typeof source.list === 'object') {
    const type = source.list.resource;
    // Short-lived: a gateway that just became active should be offered within seconds.
    const items = await l.cached(
      `${at}:${type}:${region}`,
      () => resourceItems(l.vpc, type, region, l.options),
      5_000,
    );
    if (items.length > 0) return items;
    return option(
      m.noneInRegion({ title: findResource(type)?.title[locale] ?? type, region }),
      HINT_VALUES.noneYet,
    );
  }
  if (source.list === 'vpc')
    return l.cached(`${at}:vpcs:${region}:${locale}`, () => vpcItems(l.vpc, region, locale));
  const vpcId = selectedValue(state, 'VpcId');
  if (!vpcId) return option(m.chooseVpcFirst, HINT_VALUES.chooseVpc);
  return l.cached(`${at}:vswitches:${region}:${vpcId}`, () => vswitchItems(l.vpc, region, vpcId));
}

/** The options of one load: the list, narrowed, filtered by what was typed; or a hint. */
async function optionsFor(request: OptionsRequest, l: Lookup): Promise<SlackOption[]> {
  const m = messages(request.locale).options;
  let items: Item[];
  try {
    const listed = await listFor(request, l);
    if (!Array.isArray(listed)) return [listed];
    items = listed;
    if (request.source.narrow) {
      items = await narrowed(request, request.source.narrow, items, l);
      if (items.length === 0)
        return [option(request.source.noneFits?.[request.locale] ?? m.noneFits, HINT_VALUES.noneFits)];
    }
  } catch (err) {
    const text =
      err instanceof Error && err.message === 'timeout'
        ? m.tooSlow
        : m.unavailable({ code: toCloudError(err, request.param).code });
    return [option(text, HINT_VALUES.unavailable)];
  }
  const needle = request.typed.trim().toLowerCase();
  const matching = needle ? items.filter((i) => i.haystack.includes(needle)) : items;
  return matching.slice(0, MAX_OPTIONS).map((i) => option(i.label, i.value));
}

/** Pick-lists answered from each account's cloud: `vpcIn` is that account's client. */
export function createOptionsLoader(
  vpcIn: (account: string) => VpcClient,
  o: OptionsLoaderOptions = {},
): OptionsLoader {
  const cached = createListCache(o);
  const options = o.resourceOptions ?? {};
  return {
    async load(request) {
      const account = request.account;
      if (!account)
        return [option(messages(request.locale).options.chooseAccountFirst, HINT_VALUES.chooseAccount)];
      return optionsFor(request, { vpc: vpcIn(account.name), account, cached, options });
    },
    async suggest(request, withinMs) {
      const { account } = request;
      if (!account) return {};
      const l: Lookup = { vpc: vpcIn(account.name), account, cached, options };
      const reads = request.resource.params.flatMap((param) => {
        const suggest = param.suggest;
        if (!suggest || request.chosen[suggest.after] === undefined) return [];
        const ctx = suggestContext(param.name, request.chosen, l);
        return [
          withinTime(suggest.read(ctx), withinMs).then((t) => [param.name, t?.[request.locale]] as const),
        ];
      });
      const read = await Promise.all(reads);
      return Object.fromEntries(read.filter((r): r is readonly [string, string] => typeof r[1] === 'string'));
    },
  };
}

/** What a declaration's `suggest` reads: the form's values as chosen, and the cloud through the cache. */
function suggestContext(
  param: string,
  chosen: Readonly<Record<string, ParamValue>>,
  l: Lookup,
): NarrowContext {
  return {
    param,
    chosen: (name) => (chosen[name] === undefined ? undefined : String(chosen[name])),
    options: l.options,
    call: <T>(action: string, params: Record<string, ParamValue>) =>
      l.cached(`${l.account.name}:call:${action}:${JSON.stringify(params)}`, () =>
        l.vpc.call<T>(action, params),
      ),
  };
}

/** The answer, or undefined when it fails or takes longer than `ms` (left to finish on its own). */
async function withinTime<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
