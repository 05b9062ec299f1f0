/**
 * What people read in Slack: the request message (edited in place as the request moves) and the
 * messages of its thread. Pure functions of the request record, in the request's language, so
 * that a repeated delivery renders the same thing and tests can read it without Slack.
 */
import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../config/duration.js';
import { getGatewaySpec, summarizeParams } from '../gateways/index.js';
import type { Locale } from '../i18n/index.js';
import type { Notification } from '../workflow/notifications.js';
import type { GatewayRequest, PreflightCheck, RequestState } from '../workflow/types.js';
import { ACTION_IDS } from './ids.js';
import { fitText, REJECT_REASON_MAX_LENGTH, SLACK_LIMITS } from './limits.js';

export interface RenderContext {
  sandbox: boolean;
  requiredApprovals: number;
  now: number;
}

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

type Pick2 = (en: string, zh: string) => string;
const say =
  (locale: Locale): Pick2 =>
  (en, zh) =>
    locale === 'zh-CN' ? zh : en;

const STATE_LABEL: Record<RequestState, [string, string]> = {
  pending_approval: [':hourglass_flowing_sand: Waiting for approval', ':hourglass_flowing_sand: 等待审批'],
  approved: [':white_check_mark: Approved, queued for creation', ':white_check_mark: 已批准，排队创建中'],
  creating: [':gear: Creating', ':gear: 正在创建'],
  provisioning: [':satellite_antenna: Provisioning', ':satellite_antenna: 正在开通'],
  succeeded: [':large_green_circle: Done', ':large_green_circle: 已完成'],
  rejected: [':no_entry: Rejected', ':no_entry: 已拒绝'],
  cancelled: [':heavy_multiplication_x: Cancelled', ':heavy_multiplication_x: 已取消'],
  expired: [':alarm_clock: Expired', ':alarm_clock: 已过期'],
  failed: [':red_circle: Failed', ':red_circle: 已失败'],
};

const CHECK_ICON: Record<PreflightCheck['outcome'], string> = {
  pass: ':white_check_mark:',
  fail: ':x:',
  unknown: ':grey_question:',
};

export function stateLabel(state: RequestState, locale: Locale): string {
  const [en, zh] = STATE_LABEL[state];
  return say(locale)(en, zh);
}

export function kindLabel(request: Pick<GatewayRequest, 'kind'>, locale: Locale): string {
  return getGatewaySpec(request.kind).title[locale];
}

export function sandboxBanner(locale: Locale): string {
  return say(locale)(
    ':test_tube: *SANDBOX* — the built-in simulator answers; nothing is created in Alibaba Cloud.',
    ':test_tube: *沙箱模式* — 由内置模拟器应答，不会在阿里云中创建任何资源。',
  );
}

function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A reject reason as shown: cut to the length the modal allows (a record may hold more), then escaped. */
function shownReason(reason: string): string {
  return escapeMrkdwn(fitText(reason, REJECT_REASON_MAX_LENGTH));
}

function slackDate(ms: number, fallback: string): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** The request message in the channel: who asks for what, exactly what will be sent, and where it stands. */
export function renderRequestMessage(request: GatewayRequest, ctx: RenderContext): RenderedMessage {
  const locale = request.locale;
  const t = say(locale);
  const kind = kindLabel(request, locale);
  const region = String(request.params.RegionId ?? '');
  const blocks: KnownBlock[] = [];
  if (ctx.sandbox)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: sandboxBanner(locale) }] });
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: t(
        `<@${request.requester.userId}> asks for a *${kind}* in \`${region}\`.\nRequest \`${request.id}\``,
        `<@${request.requester.userId}> 申请在 \`${region}\` 创建*${kind}*。\n请求 \`${request.id}\``,
      ),
    },
  });
  const rows = summarizeParams(request.kind, request.params, locale);
  const lines = rows.map(
    (row) => `*${escapeMrkdwn(row.label)}* (\`${row.name}\`): ${escapeMrkdwn(row.value)}`,
  );
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: fitText(
        `${t('*Parameters that will be sent*', '*将要提交的参数*')}\n${lines.join('\n')}`,
        SLACK_LIMITS.sectionText,
      ),
    },
  });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: renderPreflight(request, locale) } });

  const approvals =
    request.approvals.length === 0
      ? t('none yet', '暂无')
      : request.approvals.map((a) => `<@${a.userId}>`).join(', ');
  const status = [
    `*${t('Status', '状态')}:* ${stateLabel(request.state, locale)}`,
    `*${t('Approvals', '审批')}:* ${request.approvals.length}/${ctx.requiredApprovals} — ${approvals}`,
  ];
  if (request.state === 'pending_approval') {
    status.push(
      `*${t('Expires', '过期时间')}:* ${slackDate(request.expiresAt, new Date(request.expiresAt).toISOString())}`,
    );
  }
  if (request.cloud.gatewayId) status.push(`*${t('Gateway', '网关')}:* \`${request.cloud.gatewayId}\``);
  if (request.rejection) {
    status.push(
      `*${t('Rejected by', '拒绝人')}:* <@${request.rejection.userId}> — ${shownReason(request.rejection.reason)}`,
    );
  }
  if (request.cancelledBy) status.push(`*${t('Cancelled by', '取消人')}:* <@${request.cancelledBy.userId}>`);
  if (request.error) status.push(`*${t('Error', '错误')}:* \`${request.error.code}\``);
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: fitText(status.join('\n'), SLACK_LIMITS.sectionText) },
  });

  if (request.state === 'pending_approval') {
    blocks.push({
      type: 'actions',
      block_id: 'request_actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.approve,
          value: request.id,
          style: 'primary',
          text: { type: 'plain_text', text: t('Approve', '批准') },
        },
        {
          type: 'button',
          action_id: ACTION_IDS.reject,
          value: request.id,
          style: 'danger',
          text: { type: 'plain_text', text: t('Reject', '拒绝') },
        },
        {
          type: 'button',
          action_id: ACTION_IDS.cancel,
          value: request.id,
          text: { type: 'plain_text', text: t('Cancel', '取消') },
        },
      ],
    });
  }
  const text = t(
    `${kind} request ${request.id} by <@${request.requester.userId}>: ${stateLabel(request.state, 'en')}`,
    `${kind}请求 ${request.id}（<@${request.requester.userId}>）：${stateLabel(request.state, 'zh-CN')}`,
  );
  return { text, blocks };
}

function renderPreflight(request: GatewayRequest, locale: Locale): string {
  const t = say(locale);
  if (!request.preflight) return `*${t('Preflight', '预检')}:* ${t('running…', '进行中…')}`;
  const head = request.preflight.ok
    ? t('*Preflight:* all checks passed', '*预检：* 全部通过')
    : t(
        '*Preflight:* some checks did not pass — approving will most likely fail',
        '*预检：* 部分检查未通过——批准后很可能会失败',
      );
  const lines = request.preflight.checks.map(
    (c) => `${CHECK_ICON[c.outcome]} ${escapeMrkdwn(c.detail[locale])}`,
  );
  return [head, ...lines].join('\n');
}

function elapsedSince(request: GatewayRequest, now: number): string {
  return formatDuration(
    Math.max(0, now - (request.provisioningStartedAt ?? request.approvedAt ?? request.createdAt)),
  );
}

/** The thread message for one notification, or undefined when the event has nothing to add there. */
export function renderThreadMessage(
  notification: Notification,
  request: GatewayRequest,
  ctx: RenderContext,
): (RenderedMessage & { broadcast: boolean }) | undefined {
  const locale = request.locale;
  const t = say(locale);
  const actor =
    notification.actor?.startsWith('U') || notification.actor?.startsWith('W')
      ? `<@${notification.actor}>`
      : '';
  const plain = (text: string, broadcast = false) => ({
    text,
    broadcast,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) },
      } as KnownBlock,
    ],
  });
  const gatewayId = request.cloud.gatewayId ?? '';
  switch (notification.event) {
    case 'submitted':
      return undefined;
    case 'approval_added':
      return plain(
        t(
          `:ballot_box_with_check: ${actor} approved (${notification.seq ?? request.approvals.length} of ${ctx.requiredApprovals}).`,
          `:ballot_box_with_check: ${actor} 已批准（${notification.seq ?? request.approvals.length}/${ctx.requiredApprovals}）。`,
        ),
      );
    case 'approved':
      return plain(
        t(
          `:white_check_mark: Approved by ${request.approvals.map((a) => `<@${a.userId}>`).join(', ')}. The gateway will be created now.`,
          `:white_check_mark: ${request.approvals.map((a) => `<@${a.userId}>`).join('、')} 已批准，即将创建网关。`,
        ),
      );
    case 'rejected':
      return plain(
        t(
          `:no_entry: Rejected by <@${request.rejection?.userId ?? ''}>: ${shownReason(request.rejection?.reason ?? '')}`,
          `:no_entry: <@${request.rejection?.userId ?? ''}> 已拒绝：${shownReason(request.rejection?.reason ?? '')}`,
        ),
      );
    case 'cancelled':
      return plain(
        t(
          `:heavy_multiplication_x: Cancelled by <@${request.cancelledBy?.userId ?? request.requester.userId}>. Nothing was created.`,
          `:heavy_multiplication_x: <@${request.cancelledBy?.userId ?? request.requester.userId}> 已取消，未创建任何资源。`,
        ),
      );
    case 'expired':
      return plain(
        t(
          ':alarm_clock: Expired: nobody approved this request in time. Nothing was created; ask again if it is still needed.',
          ':alarm_clock: 已过期：没有人在时限内批准该请求，未创建任何资源；如仍需要请重新申请。',
        ),
      );
    case 'creating':
      return plain(
        t(
          `:gear: Creating the ${kindLabel(request, locale)} (ClientToken \`${request.id}\`)…`,
          `:gear: 正在创建${kindLabel(request, locale)}（ClientToken \`${request.id}\`）…`,
        ),
      );
    case 'provisioning':
      return plain(
        t(
          `:satellite_antenna: VPN gateway \`${gatewayId}\` was created and is provisioning; this usually takes a few minutes. I will post here when it is active.`,
          `:satellite_antenna: VPN 网关 \`${gatewayId}\` 已创建，正在开通，通常需要几分钟。开通完成后会在这里通知。`,
        ),
      );
    case 'progress':
      return plain(
        t(
          `:hourglass: Still provisioning \`${gatewayId}\`, ${elapsedSince(request, notification.at)} so far (status: ${request.cloud.status ?? 'provisioning'}).`,
          `:hourglass: \`${gatewayId}\` 仍在开通，已用时 ${elapsedSince(request, notification.at)}（状态：${request.cloud.status ?? 'provisioning'}）。`,
        ),
      );
    case 'attention':
      return plain(
        t(
          `:warning: VPN gateway \`${gatewayId}\` is *FinancialLocked*: its order is unpaid or the account is overdue, so it will not become active. Pay the order in the Alibaba Cloud console (Billing → Orders); I keep watching until the time limit.`,
          `:warning: VPN 网关 \`${gatewayId}\` 处于*欠费锁定（FinancialLocked）*状态：订单未支付或账户欠费，因此不会开通。请在阿里云控制台（费用 → 订单）完成支付；在时限内我会继续关注。`,
        ),
      );
    case 'succeeded':
      return renderSuccess(request, ctx);
    case 'failed':
      return renderFailure(request);
  }
}

function renderSuccess(
  request: GatewayRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const t = say(request.locale);
  const id = request.cloud.gatewayId ?? '';
  const took = formatDuration(
    Math.max(0, (request.finishedAt ?? ctx.now) - (request.approvedAt ?? request.createdAt)),
  );
  const facts: string[] = [`*${t('Gateway id', '网关 ID')}:* \`${id}\``];
  if (request.kind === 'vpn') {
    facts.push(`*${t('Status', '状态')}:* ${request.cloud.status ?? 'active'}`);
    if (request.cloud.internetIp) facts.push(`*${t('Public IP', '公网 IP')}:* ${request.cloud.internetIp}`);
    if (request.cloud.spec) facts.push(`*${t('Spec', '规格')}:* ${request.cloud.spec}`);
  } else {
    facts.push(`*${t('IP address', 'IP 地址')}:* ${String(request.params.IpAddress ?? '')}`);
  }
  facts.push(`*${t('Region', '地域')}:* ${String(request.params.RegionId ?? '')}`);
  facts.push(`*${t('Time taken', '耗时')}:* ${took}`);
  const status = request.kind === 'vpn' ? (request.cloud.status ?? 'active') : 'available';
  const text = t(
    `${kindLabel(request, 'en')} ${id} is ${status} (request ${request.id}).`,
    `${kindLabel(request, 'zh-CN')} ${id} 已可用，状态 ${status}（请求 ${request.id}）。`,
  );
  const prefix = ctx.sandbox ? `${sandboxBanner(request.locale)}\n` : '';
  return {
    text,
    broadcast: true,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${prefix}:tada: ${text}` } },
      { type: 'section', text: { type: 'mrkdwn', text: facts.join('\n') } },
    ],
  };
}

function renderFailure(request: GatewayRequest): RenderedMessage & { broadcast: boolean } {
  const t = say(request.locale);
  const error = request.error;
  const what = error?.what[request.locale] ?? t('The request failed.', '请求失败。');
  const todo = error?.todo[request.locale] ?? '';
  const refs = [
    error ? `${t('Code', '错误码')}: \`${error.code}\`` : '',
    error?.requestId ? `RequestId: \`${error.requestId}\`` : '',
    `${t('Request', '请求')}: \`${request.id}\``,
  ]
    .filter(Boolean)
    .join(' · ');
  const text = t(
    `${kindLabel(request, 'en')} request ${request.id} failed: ${error?.code ?? 'unknown'}`,
    `${kindLabel(request, 'zh-CN')}请求 ${request.id} 失败：${error?.code ?? 'unknown'}`,
  );
  return {
    text,
    broadcast: true,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `:red_circle: *${escapeMrkdwn(text)}*\n${escapeMrkdwn(what)}` },
      },
      ...(todo
        ? [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: `*${t('What to do', '处理建议')}:* ${escapeMrkdwn(todo)}` },
            } as KnownBlock,
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: refs }] },
    ],
  };
}

/** A direct message to the requester when the request could not be posted in its channel. */
export function renderUndeliverable(request: GatewayRequest, slackError: string): RenderedMessage {
  const t = say(request.locale);
  const text = t(
    `I could not post your ${kindLabel(request, 'en')} request \`${request.id}\` in <#${request.channelId}>: Slack answered \`${slackError}\`. Nothing was created and the request is withdrawn. Invite me to that channel (\`/invite @gateway-bot\`) or use a channel I am in, then run \`/gateway\` again.`,
    `无法在 <#${request.channelId}> 发布你的${kindLabel(request, 'zh-CN')}请求 \`${request.id}\`：Slack 返回 \`${slackError}\`。未创建任何资源，该请求已撤回。请将我邀请到该频道（\`/invite @gateway-bot\`）或在我所在的频道中重新执行 \`/gateway\`。`,
  );
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
