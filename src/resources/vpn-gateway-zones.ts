/**
 * Where a VPN gateway can sit: in the zones of its region that can host a gateway of its bandwidth
 * (DescribeVpnGatewayAvailableZones), on vSwitches of its VPC there, and in a dual-tunnel region
 * on two vSwitches in two zones. One rule, used by the vSwitch pick-lists (which offer only such
 * vSwitches, other zones first for the second) and by the preflight (which refuses any other).
 */
import { text } from '../i18n/index.js';
import { listAll } from './checks.js';
import { NETWORK_LISTS } from './network.js';
import type { Check, CheckContext, CheckOutcome, CloudItem, PickList } from './spec.js';
import { bandwidthsOffered, specOf } from './vpn-gateway-facts.js';

/** What every resource type's parameters have; a shared check reads the rest by name. */
type InRegion = Readonly<{ RegionId: string }>;

type Row = Readonly<Record<string, unknown>>;

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

function read(params: InRegion, name: string): unknown {
  return (params as Readonly<Record<string, unknown>>)[name];
}

/** Zones of the region that can host a VPN gateway of this bandwidth (DescribeVpnGatewayAvailableZones). */
export async function vpnGatewayZones(
  ctx: Pick<CheckContext, 'call'>,
  regionId: string,
  bandwidth: number,
): Promise<ReadonlySet<string>> {
  const answer = await ctx.call<Record<string, unknown>>('DescribeVpnGatewayAvailableZones', {
    RegionId: regionId,
    Spec: specOf(bandwidth),
  });
  // Documented as a list of {ZoneId, ZoneName}; RPC answers sometimes wrap lists once more.
  const raw = answer.AvailableZoneIdList;
  const list = Array.isArray(raw)
    ? raw
    : ((raw as Record<string, unknown> | undefined)?.AvailableZoneId as unknown[] | undefined);
  return new Set((list ?? []).map((z) => str((z as Row).ZoneId)).filter(Boolean));
}

/** The vSwitches, in their order, that sit in one of the zones that can host the gateway. */
function canHost<T extends CloudItem>(vswitches: readonly T[], zones: ReadonlySet<string>): T[] {
  return vswitches.filter((s) => zones.has(str(s.ZoneId)));
}

/**
 * The vSwitch pick-lists of a VPN gateway: only vSwitches in zones that can host a gateway of the
 * bandwidth chosen so far (the smallest offered when none is), and for the second vSwitch those in
 * another zone than the first ahead.
 */
export const gatewayVSwitches: NonNullable<PickList['narrow']> = async (items, ctx) => {
  const region = ctx.chosen('RegionId') ?? '';
  const chosen = Number(ctx.chosen('Bandwidth'));
  const offered = bandwidthsOffered(ctx.chosen('NetworkType'), ctx.options);
  const bandwidth = Number.isFinite(chosen) && chosen > 0 ? chosen : Math.min(...offered);
  const usable = canHost(items, await vpnGatewayZones(ctx, region, bandwidth));
  if (ctx.param !== 'DisasterRecoveryVSwitchId') return usable;
  const firstZone = str(items.find((i) => str(i.VSwitchId) === ctx.chosen('VSwitchId'))?.ZoneId);
  return [
    ...usable.filter((i) => str(i.ZoneId) !== firstZone),
    ...usable.filter((i) => str(i.ZoneId) === firstZone),
  ];
};

function zoneList(zones: readonly string[]): string {
  return zones.length > 0 ? zones.join(', ') : '—';
}

/**
 * The VPN gateway's vSwitches: each belongs to the VPC and sits in a zone that can host a VPN
 * gateway of the chosen bandwidth, and in a dual-tunnel region the two are in different zones
 * (the same vSwitch twice only where the region has a single such zone).
 */
export function vpnGatewayVSwitches(): Check<InRegion> {
  return {
    id: 'vswitch',
    when: (p) => read(p, 'VSwitchId') !== undefined || read(p, 'DisasterRecoveryVSwitchId') !== undefined,
    async run(params, ctx) {
      const region = params.RegionId;
      const vpcId = str(read(params, 'VpcId'));
      const bandwidth = Number(read(params, 'Bandwidth'));
      const [vswitches, zones] = await Promise.all([
        listAll(ctx, NETWORK_LISTS.vswitch, { RegionId: region, VpcId: vpcId }),
        vpnGatewayZones(ctx, region, bandwidth),
      ]);
      const zoneOf = new Map(vswitches.map((s) => [str(s.VSwitchId), str(s.ZoneId)]));
      const usableZones = [...new Set(canHost(vswitches, zones).map((s) => str(s.ZoneId)))];
      const outcomes: CheckOutcome[] = [];
      for (const param of ['VSwitchId', 'DisasterRecoveryVSwitchId'] as const) {
        const id = read(params, param);
        if (id === undefined) continue;
        const zone = zoneOf.get(str(id));
        if (zone === undefined) {
          outcomes.push({
            id: 'vswitch',
            param,
            outcome: 'fail',
            detail: text(
              `vSwitch ${str(id)} is not in VPC ${vpcId}. Choose one from the list, after the VPC.`,
              `交换机 ${str(id)} 不属于 VPC ${vpcId}。请在选择 VPC 后从列表中选择。`,
            ),
          });
        } else if (!zones.has(zone)) {
          outcomes.push({
            id: 'zone',
            param,
            outcome: 'fail',
            detail: text(
              `Zone ${zone} of vSwitch ${str(id)} cannot host a ${bandwidth} Mbit/s VPN gateway. Pick a vSwitch in ${zoneList(usableZones)}.`,
              `交换机 ${str(id)} 所在的可用区 ${zone} 不支持 ${bandwidth} Mbit/s 的 VPN 网关。请选择位于 ${zoneList(usableZones)} 的交换机。`,
            ),
          });
        } else {
          outcomes.push({
            id: 'vswitch',
            outcome: 'pass',
            detail: text(
              `vSwitch ${str(id)} is in VPC ${vpcId}, zone ${zone}, which can host the gateway.`,
              `交换机 ${str(id)} 属于 VPC ${vpcId}，位于可用区 ${zone}，可部署该网关。`,
            ),
          });
        }
      }
      const first =
        read(params, 'VSwitchId') === undefined ? undefined : zoneOf.get(str(read(params, 'VSwitchId')));
      const second =
        read(params, 'DisasterRecoveryVSwitchId') === undefined
          ? undefined
          : zoneOf.get(str(read(params, 'DisasterRecoveryVSwitchId')));
      if (
        first &&
        second &&
        first === second &&
        zones.size > 1 &&
        outcomes.every((o) => o.outcome === 'pass')
      ) {
        const others = usableZones.filter((z) => z !== first);
        outcomes.push({
          id: 'zone',
          param: 'DisasterRecoveryVSwitchId',
          outcome: 'fail',
          detail:
            others.length > 0
              ? text(
                  `Both vSwitches are in zone ${first}; a dual-tunnel gateway needs two zones. Pick the second vSwitch in ${zoneList(others)}.`,
                  `两个交换机都在可用区 ${first}；双隧道网关需要两个可用区。请选择位于 ${zoneList(others)} 的第二个交换机。`,
                )
              : text(
                  `Both vSwitches are in zone ${first}, and VPC ${vpcId} has no vSwitch in another zone that can host the gateway (${zoneList([...zones].filter((z) => z !== first))}). Create one there in the VPC console, then ask again.`,
                  `两个交换机都在可用区 ${first}，且 VPC ${vpcId} 在其他可部署网关的可用区（${zoneList([...zones].filter((z) => z !== first))}）中没有交换机。请先在 VPC 控制台中创建，再重新申请。`,
                ),
        });
      } else if (first && second && first !== second && outcomes.every((o) => o.outcome === 'pass')) {
        outcomes.push({
          id: 'zone',
          outcome: 'pass',
          detail: text(
            `The two tunnels are in zones ${first} and ${second}.`,
            `两条隧道分别位于可用区 ${first} 和 ${second}。`,
          ),
        });
      }
      return outcomes;
    },
  };
}
