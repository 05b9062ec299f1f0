/**
 * The account the simulator pretends to be: a few regions, each with zones, VPCs and vSwitches,
 * so the modal's pick-lists have something real-looking to show. Most regions are dual-tunnel
 * regions with several zones, one of which cannot host a VPN gateway; `cn-nanjing` is a
 * dual-tunnel region with a single zone; `me-east-1` is a single-tunnel region. `crowdedSeed`
 * makes an account with hundreds of VPCs and vSwitches, for paging and pick-list limits.
 */
export interface SeedRegion {
  RegionId: string;
  LocalName: { 'zh-CN': string; 'en-US': string };
  /** The region's zones, in order. */
  zones: string[];
  /** Zones that can host a VPN gateway (DescribeVpnGatewayAvailableZones). */
  vpnZones: string[];
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

/** A region with zones named as Alibaba names them (`cn-hangzhou-h`, `ap-southeast-1a`); the last of three cannot host a VPN gateway. */
function region(RegionId: string, zh: string, en: string, letters: string): SeedRegion {
  const zones = [...letters].map((l) =>
    RegionId.startsWith('cn-') ? `${RegionId}-${l}` : `${RegionId}${l}`,
  );
  return {
    RegionId,
    LocalName: { 'zh-CN': zh, 'en-US': en },
    zones,
    vpnZones: zones.length > 2 ? zones.slice(0, -1) : zones,
  };
}

const REGIONS: SeedRegion[] = [
  region('cn-hangzhou', '华东1（杭州）', 'China (Hangzhou)', 'hij'),
  region('cn-shanghai', '华东2（上海）', 'China (Shanghai)', 'hij'),
  region('cn-beijing', '华北2（北京）', 'China (Beijing)', 'hij'),
  region('cn-shenzhen', '华南1（深圳）', 'China (Shenzhen)', 'hij'),
  region('cn-nanjing', '华东5（南京-本地地域）', 'China (Nanjing - Local Region)', 'a'),
  region('ap-southeast-1', '新加坡', 'Singapore', 'abc'),
  region('eu-central-1', '德国（法兰克福）', 'Germany (Frankfurt)', 'abc'),
  region('me-east-1', '阿联酋（迪拜）', 'UAE (Dubai)', 'ab'),
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

/** The zone of a region's n-th vSwitch of a VPC: its zones in turn. */
function zoneOf(regionId: string, index: number): string {
  const zones = REGIONS.find((r) => r.RegionId === regionId)?.zones ?? [`${regionId}a`];
  return zones[index % zones.length] as string;
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
      [0, 1, 2].slice(0, v === 0 ? 2 : 3).forEach((s) => {
        const zone = zoneOf(region.RegionId, s);
        vswitches.push({
          VSwitchId: fakeId('vsw', r * 100 + v * 10 + s, region.RegionId),
          VSwitchName: `${name}-${zone.slice(-1)}${s + 1}`,
          VpcId: vpc.VpcId,
          RegionId: region.RegionId,
          ZoneId: zone,
          CidrBlock: `172.${16 + v}.${s * 16}.0/20`,
          IsDefault: vpc.IsDefault,
        });
      });
    });
  });
  return {
    regions: REGIONS.map((r) => ({
      ...r,
      LocalName: { ...r.LocalName },
      zones: [...r.zones],
      vpnZones: [...r.vpnZones],
    })),
    vpcs,
    vswitches,
  };
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
