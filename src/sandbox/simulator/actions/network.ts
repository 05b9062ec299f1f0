/**
 * The account's network, read-only and seeded: DescribeRegions, DescribeZones, DescribeVpcs,
 * DescribeVSwitches.
 * These feed the modal's pick-lists, so their paging and filters matter.
 */
import { invalid, missing } from '../errors.js';
import { bool, checkRegion, type Handler, pagedList, region, requestId } from './common.js';

const LANGUAGES = new Set(['zh-CN', 'en-US', 'ja']);

export const networkActions: Readonly<Record<string, Handler>> = {
  DescribeRegions(p, ctx) {
    const language = p.AcceptLanguage ?? 'zh-CN';
    if (!LANGUAGES.has(language))
      throw invalid('AcceptLanguage', 'AcceptLanguage must be zh-CN, en-US or ja.');
    return {
      Regions: {
        Region: ctx.state.seed.regions.map((r) => ({
          RegionId: r.RegionId,
          // The seed has Chinese and English names; Japanese falls back to English.
          LocalName: language === 'zh-CN' ? r.LocalName['zh-CN'] : r.LocalName['en-US'],
          RegionEndpoint: `vpc.${r.RegionId}.aliyuncs.com`,
        })),
      },
      RequestId: requestId(),
    };
  },

  DescribeZones(p, ctx) {
    const regionId = region(p, ctx);
    const seed = ctx.state.seed.regions.find((r) => r.RegionId === regionId);
    return {
      Zones: { Zone: (seed?.zones ?? []).map((z) => ({ ZoneId: z, LocalName: z })) },
      RequestId: requestId(),
    };
  },

  DescribeVpcs(p, ctx) {
    const regionId = region(p, ctx);
    const ids = p.VpcId?.split(',').map((s) => s.trim());
    if (ids && ids.length > 20) throw invalid('VpcId', 'At most 20 VPC ids can be given.');
    const isDefault = p.IsDefault === undefined ? undefined : bool(p, 'IsDefault', false);
    const all = ctx.state.seed.vpcs
      .filter((v) => v.RegionId === regionId)
      .filter((v) => !ids || ids.includes(v.VpcId))
      .filter((v) => !p.VpcName || v.VpcName === p.VpcName)
      .filter((v) => isDefault === undefined || v.IsDefault === isDefault)
      .map((v) => ({
        ...v,
        Status: 'Available',
        VSwitchIds: {
          VSwitchId: ctx.state.seed.vswitches.filter((s) => s.VpcId === v.VpcId).map((s) => s.VSwitchId),
        },
      }));
    return pagedList('Vpcs', 'Vpc', all, p);
  },

  DescribeVSwitches(p, ctx) {
    // The metadata makes RegionId optional: a VpcId alone is enough.
    const regionId = p.RegionId;
    if (regionId !== undefined) checkRegion(regionId, ctx);
    else if (p.VpcId === undefined) throw missing('RegionId');
    const isDefault = p.IsDefault === undefined ? undefined : bool(p, 'IsDefault', false);
    const all = ctx.state.seed.vswitches
      .filter((s) => !regionId || s.RegionId === regionId)
      .filter((s) => !p.VpcId || s.VpcId === p.VpcId)
      .filter((s) => !p.VSwitchId || s.VSwitchId === p.VSwitchId)
      .filter((s) => !p.ZoneId || s.ZoneId === p.ZoneId)
      .filter((s) => !p.VSwitchName || s.VSwitchName === p.VSwitchName)
      .filter((s) => isDefault === undefined || s.IsDefault === isDefault)
      .map((s) => ({ ...s, Status: 'Available', AvailableIpAddressCount: 4000 }));
    return pagedList('VSwitches', 'VSwitch', all, p);
  },
};
