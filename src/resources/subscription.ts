/**
 * A subscription (PREPAY) VPN gateway cannot be released before its term ends: Alibaba answers
 * `ForbiddenRelease`. Checked before a delete is put to an approver, from the gateway's
 * `ChargeType` and `EndTime` (ms since the epoch).
 */
import { text } from '../i18n/index.js';
import { deleteTarget, listAll } from './checks.js';
import type { Check, DeleteParams } from './spec.js';

export function notInSubscriptionTerm(now: () => number = Date.now): Check<DeleteParams> {
  return {
    id: 'subscription',
    async run(params, ctx) {
      const { id } = deleteTarget(params);
      const [gateway] = await listAll(ctx, ctx.listOf('vpn_gateway'), {
        RegionId: params.RegionId,
        VpnGatewayId: id,
      });
      const prepaid = /^pre/i.test(String(gateway?.ChargeType ?? ''));
      const end = Number(gateway?.EndTime ?? 0);
      if (!prepaid || !(end > now()))
        return {
          id: 'subscription',
          outcome: 'pass',
          detail: text(`${id} is not a subscription in its term.`, `${id} 不是仍在订阅期内的包年包月实例。`),
        };
      const until = new Date(end).toISOString().slice(0, 10);
      return {
        id: 'subscription',
        outcome: 'fail',
        detail: text(
          `${id} is a subscription (PREPAY) until ${until}: Alibaba Cloud does not release it before its term ends. Turn off auto-renewal in the console and let it expire, or ask Alibaba Cloud for an early release.`,
          `${id} 为包年包月（PREPAY）实例，订阅期至 ${until}：到期前阿里云不允许释放。请在控制台关闭自动续费并等待到期，或联系阿里云申请提前释放。`,
        ),
      };
    },
  };
}
