/**
 * Preflight checks that several resource types share, built from the VPC API's list and describe
 * actions: the VPC is in the region, the vSwitches belong to it and sit in zones that can host a
 * VPN gateway, a value is not already taken in the region, the account's quota has room. Each
 * names the field a certain failure belongs to, so the modal can show it there.
 */
import { spaced, text } from '../i18n/index.js';
import { specOf } from './cloud-facts.js';
import { connectionUses } from './connection-items.js';
import type { Check, CheckContext, CheckOutcome, DeleteParams } from './spec.js';

/** What every resource type's parameters have; a shared check reads the rest by name. */
type InRegion = Readonly<{ RegionId: string }>;

/** A parameter by name, for checks shared by resource types whose declarations differ. */
function read(params: InRegion, name: string): unknown {
  return (params as Readonly<Record<string, unknown>>)[name];
}

const PAGE = 50;
/** 20 pages of 50: far beyond any account quota the checks count against. */
const MAX_PAGES = 20;

type Row = Readonly<Record<string, unknown>>;

/** One page of a list action: built in one place, so that checks reading the same page share it. */
const pageOf = (params: Record<string, string | number>, page: number) => ({
  ...params,
  PageNumber: page,
  PageSize: PAGE,
});

/** Every item of a paged list action (wrapped as `{Plural: {Singular: [...]}}`), up to 1,000. */
export async function listAll(
  ctx: Pick<CheckContext, 'call'>,
  action: string,
  params: Record<string, string | number>,
  plural: string,
  singular: string,
): Promise<Row[]> {
  const items: Row[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await ctx.call<Record<string, unknown>>(action, pageOf(params, page));
    const wrapper = answer[plural] as Record<string, unknown> | undefined;
    const batch = (wrapper?.[singular] as Row[] | undefined) ?? [];
    items.push(...batch);
    if (batch.length === 0 || items.length >= Number(answer.TotalCount ?? 0)) break;
  }
  return items;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

/** The VPC named by `param` exists in the request's region. */
export function vpcInRegion(param = 'VpcId'): Check<InRegion> {
  return {
    id: 'vpc',
    async run(params, ctx) {
      const region = params.RegionId;
      const vpcId = str(read(params, param));
      const vpcs = await listAll(ctx, 'DescribeVpcs', { RegionId: region, VpcId: vpcId }, 'Vpcs', 'Vpc');
      const found = vpcs.find((v) => v.VpcId === vpcId);
      if (!found)
        return {
          id: 'vpc',
          param,
          outcome: 'fail',
          detail: text(
            `VPC ${vpcId} is not in ${region}. Choose the region first, then a VPC from the list.`,
            `VPC ${vpcId} 不在 ${region} 中。请先选择地域，再从列表中选择 VPC。`,
          ),
        };
      const name = str(found.VpcName);
      return {
        id: 'vpc',
        outcome: 'pass',
        detail: text(
          `VPC ${vpcId} (${name || 'unnamed'}, ${str(found.CidrBlock)}) is in ${region}.`,
          `VPC ${vpcId}（${name || '未命名'}，${str(found.CidrBlock)}）位于 ${region}。`,
        ),
      };
    },
  };
}

/** Zones of the region that can host a VPN gateway of this bandwidth (DescribeVpnGatewayAvailableZones). */
export async function vpnGatewayZones(
  ctx: Pick<CheckContext, 'call'>,
  regionId: string,
  bandwidth: number,
): Promise<string[]> {
  const answer = await ctx.call<Record<string, unknown>>('DescribeVpnGatewayAvailableZones', {
    RegionId: regionId,
    Spec: specOf(bandwidth),
  });
  // Documented as a list of {ZoneId, ZoneName}; RPC answers sometimes wrap lists once more.
  const raw = answer.AvailableZoneIdList;
  const list = Array.isArray(raw)
    ? raw
    : ((raw as Record<string, unknown> | undefined)?.AvailableZoneId as unknown[] | undefined);
  return (list ?? []).map((z) => str((z as Row).ZoneId)).filter(Boolean);
}

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
        listAll(ctx, 'DescribeVSwitches', { RegionId: region, VpcId: vpcId }, 'VSwitches', 'VSwitch'),
        vpnGatewayZones(ctx, region, bandwidth),
      ]);
      const zoneOf = new Map(vswitches.map((s) => [str(s.VSwitchId), str(s.ZoneId)]));
      const usableZones = [...new Set(vswitches.map((s) => str(s.ZoneId)))].filter((z) => zones.includes(z));
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
        } else if (!zones.includes(zone)) {
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
        zones.length > 1 &&
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
                  `Both vSwitches are in zone ${first}, and VPC ${vpcId} has no vSwitch in another zone that can host the gateway (${zoneList(zones.filter((z) => z !== first))}). Create one there in the VPC console, then ask again.`,
                  `两个交换机都在可用区 ${first}，且 VPC ${vpcId} 在其他可部署网关的可用区（${zoneList(zones.filter((z) => z !== first))}）中没有交换机。请先在 VPC 控制台中创建，再重新申请。`,
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

/** No existing resource in the region has the same value of `param` (a customer gateway's IP). */
export function notTakenInRegion(spec: {
  /** The check's name in results and the audit trail. */
  id: string;
  param: string;
  list: { action: string; plural: string; singular: string; idField: string };
  what: { en: string; zh: string };
}): Check<InRegion> {
  return {
    id: spec.id,
    async run(params, ctx) {
      const region = params.RegionId;
      const value = str(read(params, spec.param));
      const items = await listAll(
        ctx,
        spec.list.action,
        { RegionId: region },
        spec.list.plural,
        spec.list.singular,
      );
      const clash = items.find((item) => str(item[spec.param]) === value);
      return clash
        ? {
            id: spec.id,
            param: spec.param,
            outcome: 'fail',
            detail: text(
              `${value} is already ${spec.what.en} ${str(clash[spec.list.idField])} in ${region}; it can be used once per region.`,
              spaced`${value} 已是 ${region} 中的${spec.what.zh} ${str(clash[spec.list.idField])}；同一地域内不可重复使用。`,
            ),
          }
        : {
            id: spec.id,
            outcome: 'pass',
            detail: text(`${value} is not yet used in ${region}.`, `${value} 在 ${region} 中尚未被使用。`),
          };
    },
  };
}

/** The account's quota of this resource type in the region has room (the count from a list call). */
export function quotaHasRoom(spec: {
  quotaKey: string;
  list: { action: string };
  /**
   * Another check of the type lists the region too (`notTakenInRegion`): read the count from the
   * list's first page, which the preflight then asks for once, instead of from a page of one.
   */
  sharesListPage?: boolean;
  what: { en: string; zh: string };
}): Check<InRegion> {
  return {
    id: 'quota',
    async run(params, ctx) {
      const region = params.RegionId;
      const quota = ctx.quotas[spec.quotaKey];
      const answer = await ctx.call<Record<string, unknown>>(
        spec.list.action,
        spec.sharesListPage ? pageOf({ RegionId: region }, 1) : { RegionId: region, PageSize: 1 },
      );
      const used = Number(answer.TotalCount ?? 0);
      if (quota === undefined)
        return {
          id: 'quota',
          outcome: 'pass',
          detail: text(
            `${used} ${spec.what.en} in ${region}.`,
            spaced`${region} 已有 ${used} 个${spec.what.zh}。`,
          ),
        };
      return used < quota
        ? {
            id: 'quota',
            outcome: 'pass',
            detail: text(
              `${used} of ${quota} ${spec.what.en} used in ${region}.`,
              spaced`${region} 已使用 ${used}/${quota} 个${spec.what.zh}。`,
            ),
          }
        : {
            id: 'quota',
            param: 'RegionId',
            outcome: 'fail',
            detail: text(
              `${used} of ${quota} ${spec.what.en} are already used in ${region}: the quota is full. Delete one, ask Alibaba Cloud to raise the quota (and set the bot's quota setting to match), or choose another region.`,
              spaced`${region} 已使用 ${used}/${quota} 个${spec.what.zh}，配额已满。请删除一个、向阿里云申请提升配额（并同步修改机器人的配额设置），或选择其他地域。`,
            ),
          };
    },
  };
}

/** The id a delete request is about: its one parameter besides the region. */
export function deleteTarget(params: DeleteParams): { param: string; id: string } {
  const param = Object.keys(params).find((k) => k !== 'RegionId') ?? '';
  return { param, id: str(params[param]) };
}

/** Before a delete: no IPsec connection uses the gateway (a VPN gateway, or a customer gateway on any tunnel). */
export function noDependentConnections(): Check<DeleteParams> {
  return {
    id: 'dependents',
    async run(params, ctx) {
      const { id } = deleteTarget(params);
      const region = params.RegionId;
      const connections = await listAll(
        ctx,
        'DescribeVpnConnections',
        { RegionId: region },
        'VpnConnections',
        'VpnConnection',
      );
      const using = connections.filter((c) => connectionUses(c, id)).map((c) => str(c.VpnConnectionId));
      if (using.length === 0)
        return {
          id: 'dependents',
          outcome: 'pass',
          detail: text(`No IPsec connection uses ${id}.`, `没有 IPsec 连接使用 ${id}。`),
        };
      const more = using.length - 10;
      const shown = using.slice(0, 10).join(', ') + (more > 0 ? ` (+${more})` : '');
      const shownZh = using.slice(0, 10).join('、') + (more > 0 ? ` 等 ${using.length} 个` : '');
      return {
        id: 'dependents',
        outcome: 'fail',
        detail: text(
          `${id} is used by IPsec connection${using.length === 1 ? '' : 's'} ${shown}. Delete ${using.length === 1 ? 'it' : 'them'} first (\`/gateway delete ${using[0]}\`), then ask again.`,
          `${id} 正被 IPsec 连接 ${shownZh} 使用。请先删除（\`/gateway delete ${using[0]}\`），再重新申请。`,
        ),
      };
    },
  };
}
