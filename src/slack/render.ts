/**
 * What people read in Slack: the request message (edited in place as the request moves) and the
 * messages of its thread. Pure functions of the request record and its resource type's
 * declaration, so that a repeated delivery renders the same thing and tests can read it without
 * Slack. What a person typed is shown inert (text.ts), and every text fits Slack's limits.
 */
import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../config/duration.js';
import type { Locale } from '../i18n/index.js';
import { findResource, type Resource, resourceOf, summarizeParams } from '../resources/index.js';
import type { Notification } from '../workflow/notifications.js';
import type { Operation, PreflightCheck, RequestState, ResourceRequest } from '../workflow/types.js';
import { ACTION_IDS } from './ids.js';
import { fitText, SLACK_LIMITS } from './limits.js';
import { approvalsNeeded, policyLines, reminderText } from './render-policy.js';
import { escapeMrkdwn, inertInline } from './text.js';

export interface RenderContext {
  sandbox: boolean;
  requiredApprovals: number;
  now: number;
}

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

type Say = (en: string, zh: string) => string;
const say =
  (locale: Locale): Say =>
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

/** What the card says beside the state while a person must act (an unpaid order). */
const ATTENTION_LABEL: Record<string, [string, string]> = {
  FinancialLocked: [
    ':warning: waiting for payment (FinancialLocked): pay the order in the console',
    ':warning: 等待支付（FinancialLocked）：请在控制台支付订单',
  ],
};

const CHECK_ICON: Record<PreflightCheck['outcome'], string> = {
  pass: ':white_check_mark:',
  fail: ':x:',
  unknown: ':grey_question:',
};

/** A deletion's states where they read differently from a creation's. */
const DELETE_STATE_LABEL: Partial<Record<RequestState, [string, string]>> = {
  approved: [':white_check_mark: Approved, queued for deletion', ':white_check_mark: 已批准，排队删除中'],
  creating: [':wastebasket: Deleting', ':wastebasket: 正在删除'],
  provisioning: [':wastebasket: Being deleted', ':wastebasket: 删除中'],
  succeeded: [':white_check_mark: Deleted', ':white_check_mark: 已删除'],
};

export function stateLabel(state: RequestState, locale: Locale, operation: Operation = 'create'): string {
  const [en, zh] = (operation === 'delete' ? DELETE_STATE_LABEL[state] : undefined) ?? STATE_LABEL[state];
  return say(locale)(en, zh);
}

/** The resource type's title in a locale; a type this process does not know is named as stored. */
export function resourceTitle(request: Pick<ResourceRequest, 'resource'>, locale: Locale): string {
  return findResource(request.resource)?.title[locale] ?? request.resource;
}

/**
 * The title inside an English sentence ("customer gateway", but "VPN gateway" and "IPsec
 * connection" keep their capitals), as is in Chinese.
 */
function noun(resource: Resource | undefined, request: ResourceRequest, locale: Locale): string {
  const title = resource?.title[locale] ?? request.resource;
  if (locale !== 'en' || /^.[A-Z]/.test(title)) return title;
  return title.charAt(0).toLowerCase() + title.slice(1);
}

/** "a" or "an" before an English noun, by its sound's first letter (enough for these titles). */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export function sandboxBanner(locale: Locale): string {
  return say(locale)(
    ':test_tube: *SANDBOX* — the built-in simulator answers; nothing is created in Alibaba Cloud.',
    ':test_tube: *沙箱模式* — 由内置模拟器应答，不会在阿里云中创建任何资源。',
  );
}

function slackDate(ms: number, fallback: string): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) } };
}

/** A section of what a person wrote, in plain text: no formatting, mention or link can come of it. */
function plainSection(text: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'plain_text', text: fitText(text, SLACK_LIMITS.sectionText), emoji: false },
  };
}

function sandboxContext(locale: Locale): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: sandboxBanner(locale) }] };
}

/** The request message in the channel: who asks for what, exactly what will be sent, and where it stands. */
export function renderRequestMessage(request: ResourceRequest, ctx: RenderContext): RenderedMessage {
  const locale = request.locale;
  const t = say(locale);
  const resource = findResource(request.resource);
  const title = resourceTitle(request, locale);
  const region = request.params.RegionId;
  const blocks: KnownBlock[] = [];
  if (ctx.sandbox) blocks.push(sandboxContext(locale));
  const what = noun(resource, request, locale);
  const target = escapeMrkdwn(request.cloud.resourceId ?? '');
  const deleting = request.operation === 'delete';
  blocks.push(
    section(
      deleting
        ? t(
            `<@${request.requester.userId}> asks to *delete* the ${what} \`${target}\` in \`${escapeMrkdwn(region)}\`.\nRequest \`${request.id}\``,
            `<@${request.requester.userId}> 申请*删除* \`${escapeMrkdwn(region)}\` 中的${title} \`${target}\`。\n请求 \`${request.id}\``,
          )
        : t(
            `<@${request.requester.userId}> asks for ${article(what)} *${what}* in \`${escapeMrkdwn(region)}\`.\nRequest \`${request.id}\``,
            `<@${request.requester.userId}> 申请在 \`${escapeMrkdwn(region)}\` 创建*${title}*。\n请求 \`${request.id}\``,
          ),
    ),
  );
  if (deleting) {
    const rows = (request.target ?? []).map(
      (row) => `*${row.label[locale]}:* ${row.typed ? inertInline(row.value) : escapeMrkdwn(row.value)}`,
    );
    blocks.push(
      section(
        [
          t(
            '*What will be deleted* (as Alibaba Cloud listed it when asked)',
            '*将被删除的资源*（提交时阿里云列出的信息）',
          ),
          `*${t('Id', 'ID')}:* \`${target}\``,
          ...rows,
        ].join('\n'),
      ),
    );
  } else if (resource) {
    const rows = summarizeParams(resource, request.params, locale, request.secretNames ?? []);
    const lines = rows.map(
      (row) =>
        `*${row.label}* (\`${row.name}\`): ${row.typed ? inertInline(row.value) : escapeMrkdwn(row.value)}`,
    );
    const heading =
      request.state === 'pending_approval' || request.state === 'approved'
        ? t('*Parameters that will be sent*', '*将要提交的参数*')
        : t('*Parameters*', '*参数*');
    blocks.push(section(`${heading}\n${lines.join('\n')}`));
  }
  blocks.push(section(renderPreflight(request, locale)));
  const policy = policyLines(request, locale);
  if (policy) blocks.push(section(policy));

  const approvals =
    request.approvals.length === 0
      ? t('none yet', '暂无')
      : request.approvals.map((a) => `<@${a.userId}>`).join(', ');
  const status = [`*${t('Status', '状态')}:* ${stateLabel(request.state, locale, request.operation)}`];
  const attention = request.cloud.attention ? ATTENTION_LABEL[request.cloud.attention] : undefined;
  if (request.state === 'provisioning' && attention) status.push(t(attention[0], attention[1]));
  status.push(
    `*${t('Approvals', '审批')}:* ${request.approvals.length}/${approvalsNeeded(request, ctx.requiredApprovals)} — ${approvals}`,
  );
  if (request.state === 'pending_approval') {
    status.push(
      `*${t('Expires', '过期时间')}:* ${slackDate(request.expiresAt, new Date(request.expiresAt).toISOString())}`,
    );
  }
  if (request.cloud.resourceId && !deleting)
    status.push(`*${t('Resource id', '资源 ID')}:* \`${escapeMrkdwn(request.cloud.resourceId)}\``);
  if (request.rejection) status.push(`*${t('Rejected by', '拒绝人')}:* <@${request.rejection.userId}>`);
  if (request.cancelledBy) status.push(`*${t('Cancelled by', '取消人')}:* <@${request.cancelledBy.userId}>`);
  if (request.error) status.push(`*${t('Error', '错误')}:* \`${escapeMrkdwn(request.error.code)}\``);
  blocks.push(section(status.join('\n')));
  if (request.rejection) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: t('Reason given:', '拒绝原因：') }],
    });
    blocks.push(plainSection(request.rejection.reason));
  }

  if (request.state === 'pending_approval') {
    blocks.push({
      type: 'actions',
      block_id: 'request_actions',
      elements: [
        deleting
          ? {
              type: 'button',
              action_id: ACTION_IDS.approve,
              value: request.id,
              style: 'danger',
              text: { type: 'plain_text', text: t('Approve deletion', '批准删除') },
              confirm: {
                title: { type: 'plain_text', text: t('Delete for good?', '确认删除？') },
                text: {
                  type: 'plain_text',
                  text: fitText(
                    t(
                      `${request.cloud.resourceId ?? ''} will be deleted in ${region} once the approvals are in. This cannot be undone.`,
                      `审批完成后，${region} 中的 ${request.cloud.resourceId ?? ''} 将被删除，且无法恢复。`,
                    ),
                    300,
                  ),
                },
                confirm: { type: 'plain_text', text: t('Approve deletion', '批准删除') },
                deny: { type: 'plain_text', text: t('Back', '返回') },
                style: 'danger',
              },
            }
          : {
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
          ...(deleting ? {} : { style: 'danger' as const }),
          text: { type: 'plain_text', text: t('Reject', '拒绝') },
        },
        {
          type: 'button',
          action_id: ACTION_IDS.cancel,
          value: request.id,
          text: { type: 'plain_text', text: t('Cancel', '取消') },
          confirm: {
            title: { type: 'plain_text', text: t('Cancel this request?', '取消该请求？') },
            text: {
              type: 'plain_text',
              text: t(
                deleting
                  ? `Request ${request.id} will be withdrawn; nothing will be deleted.`
                  : `Request ${request.id} will be withdrawn; nothing will be created.`,
                deleting
                  ? `请求 ${request.id} 将被撤回，不会删除任何资源。`
                  : `请求 ${request.id} 将被撤回，不会创建任何资源。`,
              ),
            },
            confirm: { type: 'plain_text', text: t('Cancel request', '取消请求') },
            deny: { type: 'plain_text', text: t('Keep it', '保留') },
          },
        },
      ],
    });
  }
  const text = deleting
    ? t(
        `Deletion of ${title} ${request.cloud.resourceId ?? ''}, request ${request.id} by <@${request.requester.userId}>: ${stateLabel(request.state, 'en', 'delete')}`,
        `删除${title} ${request.cloud.resourceId ?? ''}，请求 ${request.id}（<@${request.requester.userId}>）：${stateLabel(request.state, 'zh-CN', 'delete')}`,
      )
    : t(
        `${title} request ${request.id} by <@${request.requester.userId}>: ${stateLabel(request.state, 'en')}`,
        `${title}请求 ${request.id}（<@${request.requester.userId}>）：${stateLabel(request.state, 'zh-CN')}`,
      );
  return { text, blocks };
}

function renderPreflight(request: ResourceRequest, locale: Locale): string {
  const t = say(locale);
  if (!request.preflight) return `*${t('Preflight', '预检')}:* ${t('not run', '未运行')}`;
  const unknown = request.preflight.checks.some((c) => c.outcome === 'unknown');
  const head = !request.preflight.ok
    ? t(
        '*Preflight:* some checks did not pass — approving will most likely fail',
        '*预检：* 部分检查未通过——批准后很可能会失败',
      )
    : unknown
      ? t(
          '*Preflight:* no check failed, but some could not run (they run again before the create call)',
          '*预检：* 没有检查失败，但部分检查未能运行（创建前会再次检查）',
        )
      : t('*Preflight:* all checks passed', '*预检：* 全部通过');
  const lines = request.preflight.checks.map(
    (c) => `${CHECK_ICON[c.outcome]} ${escapeMrkdwn(c.detail[locale])}`,
  );
  return [head, ...lines].join('\n');
}

function elapsedSince(request: ResourceRequest, now: number): string {
  return formatDuration(
    Math.max(0, now - (request.provisioningStartedAt ?? request.approvedAt ?? request.createdAt)),
  );
}

/** The thread message for one notification, or undefined when the event has nothing to add there. */
export function renderThreadMessage(
  notification: Notification,
  request: ResourceRequest,
  ctx: RenderContext,
): (RenderedMessage & { broadcast: boolean }) | undefined {
  const locale = request.locale;
  const t = say(locale);
  const resource = findResource(request.resource);
  const actor =
    notification.actor?.startsWith('U') || notification.actor?.startsWith('W')
      ? `<@${notification.actor}>`
      : '';
  const plain = (text: string, broadcast = false) => ({
    text: fitText(text, SLACK_LIMITS.sectionText),
    broadcast,
    blocks: [...(ctx.sandbox ? [sandboxContext(locale)] : []), section(text)],
  });
  const id = request.cloud.resourceId ? escapeMrkdwn(request.cloud.resourceId) : '';
  const what = noun(resource, request, locale);
  const deleting = request.operation === 'delete';
  const nothing = deleting
    ? t('Nothing was deleted.', '未删除任何资源。')
    : t('Nothing was created.', '未创建任何资源。');
  switch (notification.event) {
    case 'submitted':
      return undefined;
    case 'approval_added': {
      const needed = approvalsNeeded(request, ctx.requiredApprovals);
      return plain(
        t(
          `:ballot_box_with_check: ${actor} approved (${notification.seq ?? request.approvals.length} of ${needed}).`,
          `:ballot_box_with_check: ${actor} 已批准（${notification.seq ?? request.approvals.length}/${needed}）。`,
        ),
      );
    }
    case 'reminder':
      if (request.state !== 'pending_approval') return undefined;
      return plain(
        reminderText(
          request,
          ctx.requiredApprovals,
          slackDate(request.expiresAt, new Date(request.expiresAt).toISOString()),
        ),
      );
    case 'approved': {
      const by = request.approvals.map((a) => `<@${a.userId}>`);
      return plain(
        deleting
          ? t(
              `:white_check_mark: Approved by ${by.join(', ')}. The ${what} \`${id}\` will be deleted now.`,
              `:white_check_mark: ${by.join('、')} 已批准，即将删除${what} \`${id}\`。`,
            )
          : t(
              `:white_check_mark: Approved by ${by.join(', ')}. The ${what} will be created now.`,
              `:white_check_mark: ${by.join('、')} 已批准，即将创建${what}。`,
            ),
      );
    }
    case 'rejected': {
      const who = `<@${request.rejection?.userId ?? ''}>`;
      const reason = request.rejection?.reason ?? '';
      const head = plain(
        t(
          `:no_entry: Rejected by ${who}. ${nothing} Their reason:`,
          `:no_entry: ${who} 已拒绝，${nothing}拒绝原因：`,
        ),
      );
      // The reason is shown as plain text; the notification text carries it inert.
      return {
        ...head,
        text: fitText(
          t(`Rejected by ${who}: ${inertInline(reason, 500)}`, `${who} 已拒绝：${inertInline(reason, 500)}`),
          SLACK_LIMITS.sectionText,
        ),
        blocks: [...head.blocks, plainSection(reason)],
      };
    }
    case 'cancelled':
      return plain(
        t(
          `:heavy_multiplication_x: Cancelled by <@${request.cancelledBy?.userId ?? request.requester.userId}>. ${nothing}`,
          `:heavy_multiplication_x: <@${request.cancelledBy?.userId ?? request.requester.userId}> 已取消，${nothing}`,
        ),
      );
    case 'expired':
      return plain(
        t(
          `:alarm_clock: Expired: nobody approved this request in time. ${nothing} Ask again if it is still needed.`,
          `:alarm_clock: 已过期：没有人在时限内批准该请求，${nothing}如仍需要请重新申请。`,
        ),
      );
    case 'creating':
      return plain(
        deleting
          ? t(
              `:wastebasket: Deleting the ${what} \`${id}\` (ClientToken \`${request.id}\`)…`,
              `:wastebasket: 正在删除${what} \`${id}\`（ClientToken \`${request.id}\`）…`,
            )
          : t(
              `:gear: Creating the ${what} (ClientToken \`${request.id}\`)…`,
              `:gear: 正在创建${what}（ClientToken \`${request.id}\`）…`,
            ),
      );
    case 'provisioning':
      return plain(
        deleting
          ? t(
              `:hourglass: Alibaba Cloud accepted the deletion of \`${id}\` and is removing it; I will post here when it is gone.`,
              `:hourglass: 阿里云已受理删除 \`${id}\`，正在移除；完成后会在这里通知。`,
            )
          : t(
              `:satellite_antenna: The ${what} \`${id}\` was created and is provisioning; this usually takes a few minutes. I will post here when it is ready.`,
              `:satellite_antenna: ${what} \`${id}\` 已创建，正在开通，通常需要几分钟。就绪后会在这里通知。`,
            ),
      );
    case 'progress': {
      const status = escapeMrkdwn(request.cloud.status ?? (deleting ? 'deleting' : 'provisioning'));
      const so = elapsedSince(request, notification.at);
      return plain(
        deleting
          ? t(
              `:hourglass: Still deleting \`${id}\`, ${so} so far (status: ${status}).`,
              `:hourglass: \`${id}\` 仍在删除，已用时 ${so}（状态：${status}）。`,
            )
          : t(
              `:hourglass: Still provisioning \`${id}\`, ${so} so far (status: ${status}).`,
              `:hourglass: \`${id}\` 仍在开通，已用时 ${so}（状态：${status}）。`,
            ),
      );
    }
    case 'attention':
      return plain(
        t(
          `:warning: The ${what} \`${id}\` is *FinancialLocked*: its order is unpaid or the account is overdue, so it will not become ready. Pay the order in the Alibaba Cloud console (Billing → Orders); I keep watching until the time limit.`,
          `:warning: ${what} \`${id}\` 处于*欠费锁定（FinancialLocked）*状态：订单未支付或账户欠费，因此不会就绪。请在阿里云控制台（费用 → 订单）完成支付；在时限内我会继续关注。`,
        ),
      );
    case 'succeeded':
      return deleting ? renderDeleted(request, ctx) : renderSuccess(request, ctx);
    case 'failed':
      return renderFailure(request, ctx);
    case 'settled':
    case 'unsettled': {
      const settle = resource?.settle;
      if (!settle || request.settle?.outcome !== notification.event) return undefined;
      const facts = Object.fromEntries(
        Object.entries(request.cloud.facts).map(([k, v]) => [k, escapeMrkdwn(v)]),
      );
      if (notification.event === 'settled') return plain(settle.settled(id, facts, locale), true);
      const waited = formatDuration(
        Math.max(0, (request.settle.at ?? notification.at) - (request.finishedAt ?? 0)),
      );
      return plain(settle.unsettled(id, facts, waited, locale), true);
    }
  }
}

function renderSuccess(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const locale = request.locale;
  const t = say(locale);
  const resource = resourceOf(request.resource);
  const id = request.cloud.resourceId ?? '';
  const took = formatDuration(
    Math.max(0, (request.finishedAt ?? ctx.now) - (request.approvedAt ?? request.createdAt)),
  );
  const status = request.cloud.status ?? resource.readyStatus;
  const facts = [
    `*${t('Id', 'ID')}:* \`${escapeMrkdwn(id)}\``,
    `*${t('Status', '状态')}:* ${escapeMrkdwn(status)}`,
    ...resource
      .result(request.cloud.facts, request.params, locale)
      .map((f) => `*${f.label[locale]}:* ${f.typed ? inertInline(f.value) : escapeMrkdwn(f.value)}`),
    `*${t('Region', '地域')}:* ${escapeMrkdwn(request.params.RegionId)}`,
    `*${t('Time taken', '耗时')}:* ${took}`,
  ];
  const text = t(
    `${resource.title.en} ${id} is ${status} (request ${request.id}).`,
    `${resource.title['zh-CN']} ${id} 已就绪，状态 ${status}（请求 ${request.id}）。`,
  );
  const buttons = [
    ...(resource.reveal
      ? [
          {
            type: 'button' as const,
            action_id: ACTION_IDS.revealPsk,
            value: request.id,
            text: { type: 'plain_text' as const, text: resource.reveal.label[locale] },
          },
        ]
      : []),
    ...(resource.followUp && findResource(resource.followUp.resource)
      ? [
          {
            type: 'button' as const,
            action_id: ACTION_IDS.connect,
            value: request.id,
            style: 'primary' as const,
            text: { type: 'plain_text' as const, text: resource.followUp.label[locale] },
          },
        ]
      : []),
  ];
  return {
    text,
    broadcast: true,
    blocks: [
      ...(ctx.sandbox ? [sandboxContext(locale)] : []),
      section(`:tada: ${escapeMrkdwn(text)}`),
      section(facts.join('\n')),
      ...(buttons.length > 0
        ? [{ type: 'actions' as const, block_id: 'result_actions', elements: buttons }]
        : []),
    ],
  };
}

/** The end of a deletion: what is gone, where, and how long it took. */
function renderDeleted(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const locale = request.locale;
  const t = say(locale);
  const resource = resourceOf(request.resource);
  const id = request.cloud.resourceId ?? '';
  const took = formatDuration(
    Math.max(0, (request.finishedAt ?? ctx.now) - (request.approvedAt ?? request.createdAt)),
  );
  const text = t(
    `${resource.title.en} ${id} is deleted (request ${request.id}).`,
    `${resource.title['zh-CN']} ${id} 已删除（请求 ${request.id}）。`,
  );
  const lines = [
    `*${t('Region', '地域')}:* ${escapeMrkdwn(request.params.RegionId)}`,
    `*${t('Time taken', '耗时')}:* ${took}`,
    ...(request.cloud.facts.AlreadyGone
      ? [
          t(
            '_It was already gone when the delete call was made: deleted by someone else, or by an earlier try of this request._',
            '_调用删除时它已不存在：可能已被他人删除，或已由本请求的上一次尝试删除。_',
          ),
        ]
      : []),
  ];
  return {
    text,
    broadcast: true,
    blocks: [
      ...(ctx.sandbox ? [sandboxContext(locale)] : []),
      section(`:wastebasket: ${escapeMrkdwn(text)}`),
      section(lines.join('\n')),
    ],
  };
}

function renderFailure(
  request: ResourceRequest,
  ctx: RenderContext,
): RenderedMessage & { broadcast: boolean } {
  const locale = request.locale;
  const t = say(locale);
  const title = resourceTitle(request, locale);
  const error = request.error;
  const what = error?.what[locale] ?? t('The request failed.', '请求失败。');
  const todo = error?.todo[locale] ?? '';
  const refs = [
    error ? `${t('Code', '错误码')}: \`${escapeMrkdwn(error.code)}\`` : '',
    error?.requestId ? `RequestId: \`${escapeMrkdwn(error.requestId)}\`` : '',
    `${t('Request', '请求')}: \`${request.id}\``,
  ]
    .filter(Boolean)
    .join(' · ');
  const target = request.cloud.resourceId ?? '';
  const text =
    request.operation === 'delete'
      ? t(
          `Deletion of ${resourceTitle(request, 'en')} ${target} (request ${request.id}) failed: ${error?.code ?? 'unknown'}`,
          `删除${title} ${target}（请求 ${request.id}）失败：${error?.code ?? 'unknown'}`,
        )
      : t(
          `${resourceTitle(request, 'en')} request ${request.id} failed: ${error?.code ?? 'unknown'}`,
          `${title}请求 ${request.id} 失败：${error?.code ?? 'unknown'}`,
        );
  const failedChecks = (error?.checks ?? []).map(
    (c) => `${CHECK_ICON[c.outcome]} ${escapeMrkdwn(c.detail[locale])}`,
  );
  return {
    text,
    broadcast: true,
    blocks: [
      ...(ctx.sandbox ? [sandboxContext(locale)] : []),
      section(`:red_circle: *${escapeMrkdwn(text)}*\n${escapeMrkdwn(what)}`),
      ...(failedChecks.length > 0 ? [section(failedChecks.join('\n'))] : []),
      ...(todo ? [section(`*${t('What to do', '处理建议')}:* ${escapeMrkdwn(todo)}`)] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: fitText(refs, SLACK_LIMITS.sectionText) }] },
    ],
  };
}

/** A direct message to the requester when the request could not be posted in its channel. */
export function renderUndeliverable(request: ResourceRequest, slackError: string): RenderedMessage {
  const t = say(request.locale);
  const title = resourceTitle(request, request.locale);
  const text = t(
    `I could not post your ${title} request \`${request.id}\` in <#${request.channelId}>: Slack answered \`${escapeMrkdwn(slackError)}\`. Nothing was created and the request is withdrawn. Invite me to that channel (\`/invite @gateway-bot\`) or use a channel I am in, then run \`/gateway\` again.`,
    `无法在 <#${request.channelId}> 发布你的${title}请求 \`${request.id}\`：Slack 返回 \`${escapeMrkdwn(slackError)}\`。未创建任何资源，该请求已撤回。请将我邀请到该频道（\`/invite @gateway-bot\`）或在我所在的频道中重新执行 \`/gateway\`。`,
  );
  return { text, blocks: [section(text)] };
}
