import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVpcClient, type VpcClient } from '../../src/cloud/index.js';
import { DEFAULT_ACCOUNT } from '../../src/config/index.js';
import { resourceOf } from '../../src/resources/index.js';
import { defaultSeed } from '../../src/sandbox/simulator/index.js';
import { createOptionsLoader } from '../../src/slack/options/index.js';
import type { ViewStateValues } from '../../src/slack/view-state.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

const KEY = { accessKeyId: 'opt', accessKeySecret: 'options-secret' };
let sim: TestSimulator;

beforeAll(async () => {
  const seed = defaultSeed();
  // A crowded region: more VPCs than Slack can show.
  for (let i = 0; i < 150; i++) {
    seed.vpcs.push({
      VpcId: `vpc-crowded${String(i).padStart(4, '0')}`,
      VpcName: `team-${i}`,
      RegionId: 'cn-beijing',
      CidrBlock: `10.${i}.0.0/16`,
      IsDefault: false,
    });
  }
  sim = await startTestSimulator({ ...KEY, seed });
});
afterAll(async () => {
  sim.expectConformance();
  await sim.close();
});

/** The one client, for every account. */
const always = (vpc: VpcClient) => () => vpc;

const ask = (param: string, typed: string, state: ViewStateValues | undefined, locale: 'en' | 'zh-CN') => {
  const source = resourceOf('vpn_gateway').params.find((p) => p.name === param)?.source;
  if (!source) throw new Error(`${param} has no pick-list`);
  return { param, source, typed, state, locale, account: DEFAULT_ACCOUNT };
};

const region = (id: string) => ({
  RegionId: { RegionId: { type: 'external_select', selected_option: { value: id } } },
});

describe('pick-lists for the modal', () => {
  it('stays under 100 options, default VPC first, filtered by what was typed, cached per region', async () => {
    const loader = createOptionsLoader(always(createVpcClient({ ...KEY, endpoint: sim.url })));
    const before = sim.state().calls.DescribeVpcs ?? 0;
    const all = await loader.load(ask('VpcId', '', region('cn-beijing'), 'en'));
    expect(all).toHaveLength(100);
    expect(all[0]?.text.text).toContain('default');
    expect(all.every((o) => o.text.text.length <= 75)).toBe(true);
    const typed = await loader.load(ask('VpcId', 'team-14', region('cn-beijing'), 'en'));
    expect(typed.map((o) => o.value)).toEqual([
      'vpc-crowded0014',
      'vpc-crowded0140',
      'vpc-crowded0141',
      'vpc-crowded0142',
      'vpc-crowded0143',
      'vpc-crowded0144',
      'vpc-crowded0145',
      'vpc-crowded0146',
      'vpc-crowded0147',
      'vpc-crowded0148',
      'vpc-crowded0149',
    ]);
    const calls = (sim.state().calls.DescribeVpcs ?? 0) - before;
    expect(calls).toBe(4); // 153 VPCs in pages of 50, fetched once for both loads
    const other = await loader.load(ask('VpcId', '', region('cn-shanghai'), 'en'));
    expect(other).toHaveLength(3);
  });

  it('asks the cloud once for a list that many option loads want at the same moment', async () => {
    let now = 0;
    const loader = createOptionsLoader(always(createVpcClient({ ...KEY, endpoint: sim.url })), {
      cacheTtlMs: 1_000,
      now: () => now,
    });
    const calls = () => sim.state().calls.DescribeRegions ?? 0;
    const before = calls();
    const loads = await Promise.all(
      Array.from({ length: 20 }, () => loader.load(ask('RegionId', '', undefined, 'en'))),
    );
    expect(calls() - before).toBe(1);
    expect(new Set(loads.map((l) => JSON.stringify(l))).size).toBe(1);
    // Due again: once more, and once only.
    now = 5_000;
    await Promise.all(
      Array.from({ length: 20 }, () => loader.load(ask('RegionId', 'hang', undefined, 'en'))),
    );
    expect(calls() - before).toBe(2);
  });

  it('answers from the stale list when the cloud is too slow for Slack, and explains when there is none', async () => {
    let now = 0;
    const loader = createOptionsLoader(always(createVpcClient({ ...KEY, endpoint: sim.url })), {
      cacheTtlMs: 1_000,
      timeoutMs: 200,
      now: () => now,
    });
    const fresh = await loader.load(ask('RegionId', '', undefined, 'zh-CN'));
    expect(fresh.find((o) => o.value === 'cn-hangzhou')?.text.text).toBe('华东1（杭州）（cn-hangzhou）');
    now = 5_000;
    sim.setFaults({ rules: [], latencyMs: 1_000 });
    try {
      const started = Date.now();
      const stale = await loader.load(ask('RegionId', '', undefined, 'zh-CN'));
      expect(Date.now() - started).toBeLessThan(900);
      expect(stale).toEqual(fresh);
      const none = await loader.load(ask('VpcId', '', region('cn-hangzhou'), 'en'));
      expect(none).toEqual([
        {
          text: { type: 'plain_text', text: expect.stringMatching(/The cloud is slow to answer; try again/) },
          value: '__unavailable__',
        },
      ]);
    } finally {
      sim.setFaults({ rules: [], latencyMs: 0 });
    }
  });

  it('offers a VPN gateway only vSwitches in zones that can host it, other zones first for the second', async () => {
    const vpc = createVpcClient({ ...KEY, endpoint: sim.url });
    const loader = createOptionsLoader(always(vpc));
    const seed = defaultSeed();
    const production = seed.vpcs.find((v) => v.RegionId === 'cn-hangzhou' && v.VpcName === 'production-vpc');
    if (!production) throw new Error('no production VPC in the seed');
    const switches = seed.vswitches.filter((v) => v.VpcId === production.VpcId);
    const hangzhou = seed.regions.find((r) => r.RegionId === 'cn-hangzhou');
    const unusable = switches.filter((v) => !hangzhou?.vpnZones.includes(v.ZoneId));
    expect(unusable.length).toBeGreaterThan(0);
    const state = (extra: ViewStateValues = {}): ViewStateValues => ({
      ...region('cn-hangzhou'),
      VpcId: { VpcId: { type: 'external_select', selected_option: { value: production.VpcId } } },
      ...extra,
    });
    const first = await loader.load(ask('VSwitchId', '', state(), 'en'));
    expect(first.map((o) => o.value).sort()).toEqual(
      switches
        .filter((v) => hangzhou?.vpnZones.includes(v.ZoneId))
        .map((v) => v.VSwitchId)
        .sort(),
    );
    const chosen = switches.find((v) => v.VSwitchId === first[0]?.value);
    const second = await loader.load(
      ask(
        'DisasterRecoveryVSwitchId',
        '',
        state({
          VSwitchId: {
            VSwitchId: { type: 'external_select', selected_option: { value: chosen?.VSwitchId ?? '' } },
          },
        }),
        'en',
      ),
    );
    const zoneOf = (id: string) => switches.find((v) => v.VSwitchId === id)?.ZoneId;
    expect(zoneOf(second[0]?.value ?? '')).not.toBe(chosen?.ZoneId);
    expect(second.every((o) => o.text.text.includes('cn-hangzhou-'))).toBe(true);
  });

  it('asks for the region before VPCs and the VPC before vSwitches', async () => {
    const loader = createOptionsLoader(always(createVpcClient({ ...KEY, endpoint: sim.url })));
    expect((await loader.load(ask('VpcId', '', undefined, 'en'))).map((o) => o.value)).toEqual([
      '__choose_region__',
    ]);
    expect(
      (await loader.load(ask('VSwitchId', '', region('cn-hangzhou'), 'zh-CN'))).map((o) => o.text.text),
    ).toEqual(['请先选择 VPC']);
  });
});
