/**
 * The account the simulator pretends to be: a few regions, each with VPCs and vSwitches, so the
 * modal's pick-lists have something real-looking to show.
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
          ZoneId: `${region.RegionId}-${region.RegionId.startsWith('cn-') ? (zone === 'a' ? 'h' : zone === 'b' ? 'i' : 'j') : zone}`,
          CidrBlock: `172.${16 + v}.${s * 16}.0/20`,
        });
      });
    });
  });
  return { regions: REGIONS, vpcs, vswitches };
}
