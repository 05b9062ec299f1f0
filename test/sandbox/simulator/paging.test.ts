import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crowdedSeed } from '../../../src/sandbox/simulator/index.js';
import {
  type PopParams,
  popClient,
  startTestSimulator,
  type TestSimulator,
} from '../../support/simulator.js';

const KEY = { accessKeyId: 'paging-key', accessKeySecret: 'paging-secret' };
const seed = crowdedSeed({ regionId: 'cn-shanghai', vpcs: 110, vswitchesPerVpc: 2 });
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ ...KEY, seed });
});
afterAll(async () => {
  sim.expectConformance();
  await sim.close();
});

interface Page {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
}

/** Every item of a paged list, page by page, as a client must fetch it. */
async function fetchAll<T>(action: string, plural: string, singular: string, params: PopParams) {
  const items: T[] = [];
  const pages: Page[] = [];
  for (let page = 1; ; page++) {
    const answer = await popClient(sim, KEY).call<Page & Record<string, Record<string, T[]>>>(action, {
      ...params,
      PageSize: 50,
      PageNumber: page,
    });
    const { TotalCount, PageNumber, PageSize } = answer;
    pages.push({ TotalCount, PageNumber, PageSize });
    const chunk = answer[plural]?.[singular] ?? [];
    items.push(...chunk);
    if (chunk.length === 0 || items.length >= TotalCount) break;
  }
  return { items, pages };
}

describe('paging through a crowded account', () => {
  it('returns more than 100 vSwitches of a region in pages of at most 50, each exactly once', async () => {
    const { items, pages } = await fetchAll<{ VSwitchId: string; RegionId: string }>(
      'DescribeVSwitches',
      'VSwitches',
      'VSwitch',
      { RegionId: 'cn-shanghai' },
    );
    const expected = seed.vswitches.filter((s) => s.RegionId === 'cn-shanghai').map((s) => s.VSwitchId);
    expect(expected.length).toBeGreaterThan(200);
    expect(pages.map((p) => p.PageNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(pages.every((p) => p.PageSize === 50 && p.TotalCount === expected.length)).toBe(true);
    expect(items.map((s) => s.VSwitchId)).toEqual(expected);
    expect(new Set(items.map((s) => s.VSwitchId)).size).toBe(expected.length);
  });

  it('returns more than 100 VPCs of a region, and only that region', async () => {
    const { items } = await fetchAll<{ VpcId: string; RegionId: string }>('DescribeVpcs', 'Vpcs', 'Vpc', {
      RegionId: 'cn-shanghai',
    });
    expect(items.length).toBe(seed.vpcs.filter((v) => v.RegionId === 'cn-shanghai').length);
    expect(items.length).toBeGreaterThan(100);
    expect(items.every((v) => v.RegionId === 'cn-shanghai')).toBe(true);
    const other = await popClient(sim, KEY).call<Page>('DescribeVpcs', { RegionId: 'cn-beijing' });
    expect(other.TotalCount).toBe(3);
  });

  it('filters vSwitches by zone', async () => {
    const { items } = await fetchAll<{ ZoneId: string }>('DescribeVSwitches', 'VSwitches', 'VSwitch', {
      RegionId: 'cn-shanghai',
      ZoneId: 'cn-shanghai-i',
    });
    expect(items.length).toBeGreaterThan(100);
    expect(items.every((s) => s.ZoneId === 'cn-shanghai-i')).toBe(true);
  });
});
