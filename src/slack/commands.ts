/**
 * `/gateway` and its subcommands. Parsing and the ephemeral answers (help, status, list) are
 * pure, so the handler only acknowledges with what these return.
 */
import type { KnownBlock } from '@slack/types';
import type { Locale } from '../i18n/index.js';
import type { GatewayKind, GatewayRequest } from '../workflow/types.js';
import { kindLabel, type RenderContext, renderRequestMessage, sandboxBanner, stateLabel } from './render.js';

export type GatewayCommand =
  | { kind: 'open'; gateway: GatewayKind }
  | { kind: 'status'; id: string }
  | { kind: 'status_missing_id' }
  | { kind: 'list' }
  | { kind: 'help'; unknown?: string };

export function parseCommand(text: string): GatewayCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const word = first.toLowerCase();
  if (word === 'vpn') return { kind: 'open', gateway: 'vpn' };
  if (word === 'customer' || word === 'cgw') return { kind: 'open', gateway: 'customer' };
  if (word === 'status') {
    const id = rest[0];
    return id ? { kind: 'status', id } : { kind: 'status_missing_id' };
  }
  if (word === 'list') return { kind: 'list' };
  if (word === '' || word === 'help') return { kind: 'help' };
  return { kind: 'help', unknown: first };
}

export interface EphemeralAnswer {
  response_type: 'ephemeral';
  text: string;
  blocks?: KnownBlock[];
}

const say = (locale: Locale) => (en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

export function helpAnswer(
  command: string,
  locale: Locale,
  sandbox: boolean,
  unknown?: string,
): EphemeralAnswer {
  const t = say(locale);
  const lines = [
    unknown
      ? t(`I do not know \`${unknown}\`. Here is what I can do:`, `我不认识 \`${unknown}\`。我可以：`)
      : '',
    t('*Request Alibaba Cloud gateways, approved by a team lead.*', '*申请阿里云网关，由团队负责人审批。*'),
    `• \`${command} vpn\` — ${t('request a VPN gateway', '申请 VPN 网关')}`,
    `• \`${command} customer\` — ${t('request a customer gateway', '申请用户网关')}`,
    `• \`${command} status <request-id | gateway-id>\` — ${t('where a request stands', '查看请求状态')}`,
    `• \`${command} list\` — ${t('recent requests in this channel', '本频道最近的请求')}`,
    `• \`${command} help\` — ${t('this help', '显示本帮助')}`,
    t(
      'After you submit the form, the request appears in this channel; an approver approves it in its thread, and the result is posted there.',
      '提交表单后，请求会出现在本频道；审批人在讨论串中批准，结果也会发布在那里。',
    ),
    sandbox ? sandboxBanner(locale) : '',
  ].filter(Boolean);
  const text = lines.join('\n');
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function statusAnswer(
  id: string,
  request: GatewayRequest | undefined,
  locale: Locale,
  ctx: RenderContext,
): EphemeralAnswer {
  const t = say(locale);
  if (!request) {
    return {
      response_type: 'ephemeral',
      text: t(
        `I know no request or gateway \`${id}\`. Request ids look like \`gw-20261122-k3j9x2m4qp\`; gateway ids like \`vpn-…\` or \`cgw-…\`. \`list\` shows recent requests in this channel.`,
        `找不到请求或网关 \`${id}\`。请求 ID 形如 \`gw-20261122-k3j9x2m4qp\`，网关 ID 形如 \`vpn-…\` 或 \`cgw-…\`。使用 \`list\` 查看本频道最近的请求。`,
      ),
    };
  }
  const rendered = renderRequestMessage({ ...request, locale }, ctx);
  // The status answer shows the record, not the buttons: decisions happen in the request's thread.
  const blocks = rendered.blocks.filter((b) => b.type !== 'actions');
  return { response_type: 'ephemeral', text: rendered.text, blocks };
}

export function missingIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  return {
    response_type: 'ephemeral',
    text: say(locale)(
      `Tell me which request: \`${command} status <request-id | gateway-id>\`.`,
      `请指明要查询的请求：\`${command} status <请求 ID | 网关 ID>\`。`,
    ),
  };
}

export function listAnswer(requests: GatewayRequest[], locale: Locale): EphemeralAnswer {
  const t = say(locale);
  if (requests.length === 0) {
    return {
      response_type: 'ephemeral',
      text: t('No gateway requests in this channel yet.', '本频道还没有网关请求。'),
    };
  }
  const lines = requests.map((r) => {
    const when = `<!date^${Math.floor(r.createdAt / 1000)}^{date_short} {time}|${new Date(r.createdAt).toISOString()}>`;
    const gateway = r.cloud.gatewayId ? ` → \`${r.cloud.gatewayId}\`` : '';
    return `• \`${r.id}\` ${kindLabel(r, locale)} \`${String(r.params.RegionId ?? '')}\` — ${stateLabel(r.state, locale)}${gateway} — <@${r.requester.userId}>, ${when}`;
  });
  const text = `${t('*Recent gateway requests in this channel*', '*本频道最近的网关请求*')}\n${lines.join('\n')}`;
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
