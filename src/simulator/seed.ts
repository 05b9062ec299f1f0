/**
 * The account the simulator pretends to be: a few regions, each with VPCs and vSwitches, so the
 * modal's pick-lists have something real-looking to show. `crowdedSeed` makes an account with
 * hundreds of VPCs and vSwitches, for paging and pick-list limits.
 */
export interface SeedRegion {
  RegionId: string;
  LocalName: { 'zh-CN': string; 'en-US': string };
}
export interface SeedVpc {
  VpcId: string;
  VpcName: string;
  RegionId: string;
  CidrBlock: string;
  IsDefault: boolean;
}
export interface SeedVSwitch {
  VSwitchId: string;
  VSwitchName: string;
  VpcId: string;
  RegionId: string;
  ZoneId: string;
  CidrBlock: string;
  /** The default vSwitches are those of the default VPC. */
  IsDefault?: boolean;
}
export interface SimulatorSeed {
  regions: SeedRegion[];
  vpcs: SeedVpc[];
  vswitches: SeedVSwitch[];
}

const REGIONS: SeedRegion[] = [
  { RegionId: 'cn-hangzhou', LocalName: { 'zh-CN': '华东1（杭州）', 'en-US': 'China (Hangzhou)' } },
  { RegionId: 'cn-shanghai', LocalName: { 'zh-CN': '华东2（上海）', 'en-US': 'China (Shanghai)' } },
  { RegionId: 'cn-beijing', LocalName: { 'zh-CN': '华北2（北京）', 'en-US': 'China (Beijing)' } },
  { RegionId: 'cn-shenzhen', LocalName: { 'zh-CN': '华南1（深圳）', 'en-US': 'China (Shenzhen)' } },
  { RegionId: 'ap-southeast-1', LocalName: { 'zh-CN': '新加坡', 'en-US': 'Singapore' } },
  { RegionId: 'eu-central-1', LocalName: { 'zh-CN': '德国（法兰克福）', 'en-US': 'Germany (Frankfurt)' } },
];

/** Deterministic ids that look like Alibaba's (`vpc-` + 21 lower-case letters and digits). */
export function fakeId(prefix: string, n: number, salt: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let x = 2166136261;
  for (const c of `${salt}:${n}`) x = Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 21; i++) {
    x = Math.imul(x ^ (x >>> 13), 0x5bd1e995) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return `${prefix}-${out}`;
}

/** Zones named as Alibaba names them: `cn-hangzhou-h`, `ap-southeast-1a`, `eu-central-1b`. */
function zoneOf(regionId: string, index: number): string {
  if (regionId.startsWith('cn-')) return `${regionId}-${'hijkbg'[index % 6]}`;
  return `${regionId}${'abc'[index % 3]}`;
}

export function defaultSeed(): SimulatorSeed {
  const vpcs: SeedVpc[] = [];
  const vswitches: SeedVSwitch[] = [];
  REGIONS.forEach((region, r) => {
    const names = ['default', 'production', 'staging'];
    names.forEach((name, v) => {
      const vpc: SeedVpc = {
        VpcId: fakeId('vpc', v, region.RegionId),
        VpcName: name === 'default' ? '' : `${name}-vpc`,
        RegionId: region.RegionId,
        CidrBlock: `172.${16 + v}.0.0/16`,
        IsDefault: name === 'default',
      };
      vpcs.push(vpc);
      ['a', 'b', 'c'].slice(0, v === 0 ? 2 : 3).forEach((zone, s) => {
        vswitches.push({
          VSwitchId: fakeId('vsw', r * 100 + v * 10 + s, region.RegionId),
          VSwitchName: `${name}-${zone}`,
          VpcId: vpc.VpcId,
          RegionId: region.RegionId,
          ZoneId: zoneOf(region.RegionId, s),
          CidrBlock: `172.${16 + v}.${s * 16}.0/20`,
          IsDefault: vpc.IsDefault,
        });
      });
    });
  });
  return { regions: REGIONS.map((r) => ({ ...r, LocalName: { ...r.LocalName } })), vpcs, vswitches };
}

/**
 * The default seed plus, in one region, `vpcs` more VPCs with `vswitchesPerVpc` vSwitches each,
 * spread over the region's zones. Ids are deterministic.
 */
export function crowdedSeed(options: { regionId?: string; vpcs?: number; vswitchesPerVpc?: number } = {}) {
  const seed = defaultSeed();
  const regionId = options.regionId ?? 'cn-hangzhou';
  if (!seed.regions.some((r) => r.RegionId === regionId)) throw new Error(`unknown region ${regionId}`);
  const count = options.vpcs ?? 120;
  const perVpc = options.vswitchesPerVpc ?? 2;
  for (let v = 0; v < count; v++) {
    const vpc: SeedVpc = {
      VpcId: fakeId('vpc', 1000 + v, `crowded:${regionId}`),
      VpcName: `team-${String(v).padStart(3, '0')}`,
      RegionId: regionId,
      CidrBlock: `10.${v % 256}.0.0/16`,
      IsDefault: false,
    };
    seed.vpcs.push(vpc);
    for (let s = 0; s < perVpc; s++) {
      seed.vswitches.push({
        VSwitchId: fakeId('vsw', 100_000 + v * 100 + s, `crowded:${regionId}`),
        VSwitchName: `${vpc.VpcName}-${s}`,
        VpcId: vpc.VpcId,
        RegionId: regionId,
        ZoneId: zoneOf(regionId, s),
        CidrBlock: `10.${v % 256}.${s % 256}.0/24`,
        IsDefault: false,
      });
    }
  }
  return seed;
}
