/**
 * The account's network objects that are not resource types of their own but that forms pick
 * from and checks read: regions, VPCs, vSwitches. Each is declared once, as its list action answers
 * (the action, how the answer wraps the items, the id field), with the rate limits of the actions.
 */
import type { ListSpec } from './spec.js';

type NetworkList = Pick<ListSpec, 'action' | 'plural' | 'singular' | 'idField'>;

export const NETWORK_LISTS = {
  /** DescribeRegions: not paged; `AcceptLanguage` picks the names' language. */
  region: { action: 'DescribeRegions', plural: 'Regions', singular: 'Region', idField: 'RegionId' },
  vpc: { action: 'DescribeVpcs', plural: 'Vpcs', singular: 'Vpc', idField: 'VpcId' },
  vswitch: { action: 'DescribeVSwitches', plural: 'VSwitches', singular: 'VSwitch', idField: 'VSwitchId' },
} as const satisfies Record<string, NetworkList>;

/** The network actions the bot calls, for the rate pacing (none has a published limit). */
export const NETWORK_CALLS: readonly string[] = Object.values(NETWORK_LISTS).map((l) => l.action);
