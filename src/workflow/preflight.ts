/**
 * Preflight: before a request is put up for approval, check what the cloud can tell now, so the
 * approver sees it and an approval does not end ten minutes later in a predictable error. The
 * VPC exists in the region, the vSwitch belongs to it, the customer gateway IP is not already
 * taken in the region, and the account has quota headroom. A check the cloud cannot answer is
 * `unknown`, never a silent pass.
 */
import { toCloudError } from '../cloud/errors.js';
import type { VpcClient } from '../cloud/index.js';
import { text } from '../i18n/index.js';
import type { GatewayRequest, PreflightCheck, PreflightResult } from './types.js';

export interface PreflightOptions {
  /** Default quotas per account and region (Alibaba: 30 VPN gateways). Raise them if yours were. */
  vpnGatewayQuota?: number;
  customerGatewayQuota?: number;
  now?: () => number;
}

const PAGE = 50;

function unknown(id: PreflightCheck['id'], err: unknown, action: string): PreflightCheck {
  const e = toCloudError(err, action);
  return {
    id,
    outcome: 'unknown',
    detail: text(
      `Could not check (${action}: ${e.code}); the approver should verify this by hand.`,
      `无法检查（${action}：${e.code}），请审批人手动确认。`,
    ),
  };
}

export function createPreflight(vpc: VpcClient, options: PreflightOptions = {}) {
  const vpnQuota = options.vpnGatewayQuota ?? 30;
  const cgwQuota = options.customerGatewayQuota ?? 100;
  const now = options.now ?? Date.now;

  async function vpcCheck(region: string, vpcId: string): Promise<PreflightCheck> {
    try {
      const r = await vpc.describeVpcs({ RegionId: region, VpcId: vpcId, PageSize: PAGE });
      const found = r.Vpcs.Vpc.find((v) => v.VpcId === vpcId);
      return found
        ? {
            id: 'vpc',
            outcome: 'pass',
            detail: text(
              `VPC ${vpcId} (${found.VpcName || 'unnamed'}, ${found.CidrBlock ?? ''}) exists in ${region}.`,
              `VPC ${vpcId}（${found.VpcName || '未命名'}，${found.CidrBlock ?? ''}）位于 ${region}。`,
            ),
          }
        : {
            id: 'vpc',
            outcome: 'fail',
            detail: text(`VPC ${vpcId} does not exist in ${region}.`, `VPC ${vpcId} 不在 ${region} 中。`),
          };
    } catch (err) {
      return unknown('vpc', err, 'DescribeVpcs');
    }
  }

  async function vswitchCheck(region: string, vpcId: string, vswitchId: string): Promise<PreflightCheck> {
    try {
      const r = await vpc.describeVSwitches({ RegionId: region, VSwitchId: vswitchId, PageSize: PAGE });
      const found = r.VSwitches.VSwitch.find((v) => v.VSwitchId === vswitchId);
      if (!found) {
        return {
          id: 'vswitch',
          outcome: 'fail',
          detail: text(
            `vSwitch ${vswitchId} does not exist in ${region}.`,
            `交换机 ${vswitchId} 不在 ${region} 中。`,
          ),
        };
      }
      return found.VpcId === vpcId
        ? {
            id: 'vswitch',
            outcome: 'pass',
            detail: text(
              `vSwitch ${vswitchId} (zone ${found.ZoneId}) belongs to ${vpcId}.`,
              `交换机 ${vswitchId}（可用区 ${found.ZoneId}）属于 ${vpcId}。`,
            ),
          }
        : {
            id: 'vswitch',
            outcome: 'fail',
            detail: text(
              `vSwitch ${vswitchId} belongs to ${found.VpcId}, not to ${vpcId}.`,
              `交换机 ${vswitchId} 属于 ${found.VpcId}，不属于 ${vpcId}。`,
            ),
          };
    } catch (err) {
      return unknown('vswitch', err, 'DescribeVSwitches');
    }
  }

  async function customerGateways(region: string) {
    const all: { IpAddress: string; CustomerGatewayId: string }[] = [];
    for (let page = 1; page <= 20; page++) {
      const r = await vpc.describeCustomerGateways({ RegionId: region, PageNumber: page, PageSize: PAGE });
      all.push(...r.CustomerGateways.CustomerGateway);
      if (all.length >= r.TotalCount || r.CustomerGateways.CustomerGateway.length === 0) break;
    }
    return all;
  }

  async function customerChecks(region: string, ip: string): Promise<PreflightCheck[]> {
    try {
      const existing = await customerGateways(region);
      const clash = existing.find((g) => g.IpAddress === ip);
      const ipCheck: PreflightCheck = clash
        ? {
            id: 'ip_unique',
            outcome: 'fail',
            detail: text(
              `${ip} is already customer gateway ${clash.CustomerGatewayId} in ${region}; an IP can be used once per region.`,
              `${ip} 已是 ${region} 中的用户网关 ${clash.CustomerGatewayId}；同一地域内 IP 不可重复。`,
            ),
          }
        : {
            id: 'ip_unique',
            outcome: 'pass',
            detail: text(
              `${ip} is not yet a customer gateway in ${region}.`,
              `${ip} 在 ${region} 中尚未被使用。`,
            ),
          };
      return [ipCheck, quotaCheck(existing.length, cgwQuota, 'customer gateways', '用户网关', region)];
    } catch (err) {
      return [
        unknown('ip_unique', err, 'DescribeCustomerGateways'),
        unknown('quota', err, 'DescribeCustomerGateways'),
      ];
    }
  }

  function quotaCheck(used: number, quota: number, en: string, zh: string, region: string): PreflightCheck {
    return used < quota
      ? {
          id: 'quota',
          outcome: 'pass',
          detail: text(
            `${used} of ${quota} ${en} used in ${region}.`,
            `${region} 已使用 ${used}/${quota} 个${zh}。`,
          ),
        }
      : {
          id: 'quota',
          outcome: 'fail',
          detail: text(
            `${used} of ${quota} ${en} already used in ${region}: the quota is full unless it was raised.`,
            `${region} 已使用 ${used}/${quota} 个${zh}：除非已提升配额，否则配额已满。`,
          ),
        };
  }

  async function vpnQuotaCheck(region: string): Promise<PreflightCheck> {
    try {
      const r = await vpc.describeVpnGateways({ RegionId: region, PageSize: 1 });
      return quotaCheck(r.TotalCount, vpnQuota, 'VPN gateways', 'VPN 网关', region);
    } catch (err) {
      return unknown('quota', err, 'DescribeVpnGateways');
    }
  }

  return async function runPreflight(request: GatewayRequest): Promise<PreflightResult> {
    const region = String(request.params.RegionId);
    let checks: PreflightCheck[];
    if (request.kind === 'vpn') {
      const vpcId = String(request.params.VpcId);
      const vswitchId = request.params.VSwitchId === undefined ? undefined : String(request.params.VSwitchId);
      checks = await Promise.all([
        vpcCheck(region, vpcId),
        ...(vswitchId ? [vswitchCheck(region, vpcId, vswitchId)] : []),
        vpnQuotaCheck(region),
      ]);
    } else {
      checks = await customerChecks(region, String(request.params.IpAddress));
    }
    return { ok: checks.every((c) => c.outcome !== 'fail'), checkedAt: now(), checks };
  };
}
