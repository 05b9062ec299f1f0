/**
 * `/gateway` and its subcommands. The words that open a modal come from the resource declarations;
 * parsing and the ephemeral answers (help, status, list) are pure, so the handler only
 * acknowledges with what these return. Anything a person typed is echoed inert. A placeholder in
 * angle brackets is written `&lt;request-id&gt;`: mrkdwn would read `<request-id>` as a link.
 */
import type { KnownBlock } from '@slack/types';
import type { Locale } from '../i18n/index.js';
import { type Resource, resourceByWord, resources } from '../resources/index.js';
import type { ResourceRequest } from '../workflow/types.js';
import { fitText, SLACK_LIMITS } from './limits.js';
import {
  type RenderContext,
  renderRequestMessage,
  resourceTitle,
  sandboxBanner,
  stateLabel,
} from './render.js';
import { escapeMrkdwn, inertInline } from './text.js';

export type GatewayCommand =
  | { kind: 'open'; resource: Resource }
  | { kind: 'status'; id: string }
  | { kind: 'status_missing_id' }
  | { kind: 'delete'; id: string }
  | { kind: 'delete_missing_id' }
  | { kind: 'list' }
  | { kind: 'help'; unknown?: string };

export function parseCommand(text: string): GatewayCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const word = first.toLowerCase();
  const resource = resourceByWord(word);
  if (resource) return { kind: 'open', resource };
  if (word === 'status') {
    const id = rest[0];
    return id ? { kind: 'status', id } : { kind: 'status_missing_id' };
  }
  if (word === 'delete') {
    const id = rest[0];
    return id ? { kind: 'delete', id } : { kind: 'delete_missing_id' };
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

function answer(text: string): EphemeralAnswer {
  const shown = fitText(text, SLACK_LIMITS.sectionText);
  return {
    response_type: 'ephemeral',
    text: shown,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: shown } }],
  };
}

export function helpAnswer(
  command: string,
  locale: Locale,
  sandbox: boolean,
  unknown?: string,
): EphemeralAnswer {
  const t = say(locale);
  const lines = [
    unknown
      ? t(
          `I do not know ${inertInline(unknown, 40)}. Here is what I can do:`,
          `我不认识 ${inertInline(unknown, 40)}。我可以：`,
        )
      : '',
    t(
      '*Request Alibaba Cloud network resources, approved by a team lead.*',
      '*申请阿里云网络资源，由团队负责人审批。*',
    ),
    ...resources().map((r) => `• \`${command} ${r.words[0]}\` — ${r.summary[locale]}`),
    `• \`${command} status ${t('&lt;request-id | resource-id&gt;', '&lt;请求 ID | 资源 ID&gt;')}\` — ${t('where a request stands', '查看请求状态')}`,
    `• \`${command} delete ${t('&lt;resource-id&gt;', '&lt;资源 ID&gt;')}\` — ${t('delete a gateway or a connection, after approval', '删除网关或连接（需审批）')}`,
    `• \`${command} list\` — ${t('recent requests in this channel', '本频道最近的请求')}`,
    `• \`${command} help\` — ${t('this help', '显示本帮助')}`,
    t(
      'After you submit the form, the request appears in this channel; an approver approves it in its thread, and the result is posted there.',
      '提交表单后，请求会出现在本频道；审批人在讨论串中批准，结果也会发布在那里。',
    ),
    sandbox ? sandboxBanner(locale) : '',
  ].filter(Boolean);
  return answer(lines.join('\n'));
}

export function statusAnswer(
  id: string,
  request: ResourceRequest | undefined,
  locale: Locale,
  ctx: RenderContext,
): EphemeralAnswer {
  const t = say(locale);
  if (!request) {
    const prefixes = resources()
      .map((r) => `\`${r.idPrefix}…\``)
      .join(t(' or ', ' 或 '));
    return answer(
      t(
        `I know no request or resource ${inertInline(id, 80)} in this channel. Request ids look like \`gw-20261122-k3j9x2m4qp\`; resource ids like ${prefixes}. \`list\` shows recent requests in this channel.`,
        `在本频道找不到请求或资源 ${inertInline(id, 80)}。请求 ID 形如 \`gw-20261122-k3j9x2m4qp\`，资源 ID 形如 ${prefixes}。使用 \`list\` 查看本频道最近的请求。`,
      ),
    );
  }
  const rendered = renderRequestMessage({ ...request, locale }, ctx);
  // The status answer shows the record, not the buttons: decisions happen in the request's thread.
  const blocks = rendered.blocks.filter((b) => b.type !== 'actions');
  return { response_type: 'ephemeral', text: rendered.text, blocks };
}

export function missingIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  const t = say(locale);
  return answer(
    t(
      `Tell me which request: \`${command} status &lt;request-id | resource-id&gt;\`.`,
      `请指明要查询的请求：\`${command} status &lt;请求 ID | 资源 ID&gt;\`。`,
    ),
  );
}

export function missingDeleteIdAnswer(command: string, locale: Locale): EphemeralAnswer {
  const t = say(locale);
  const ids = resources()
    .filter((r) => r.delete)
    .map((r) => `\`${r.idPrefix}…\``)
    .join(t(', ', '、'));
  return answer(
    t(
      `Tell me what to delete: \`${command} delete &lt;resource-id&gt;\`, with an id such as ${ids}.`,
      `请指明要删除的资源：\`${command} delete &lt;资源 ID&gt;\`，ID 形如 ${ids}。`,
    ),
  );
}

/** What `/gateway delete` says privately: the deletion request is posted, or why not. */
export function deleteAnswer(message: string): EphemeralAnswer {
  return answer(message);
}

export function listAnswer(
  requests: ResourceRequest[],
  total: number,
  command: string,
  locale: Locale,
): EphemeralAnswer {
  const t = say(locale);
  if (requests.length === 0) return answer(t('No requests in this channel yet.', '本频道还没有请求。'));
  const lines = requests.map((r) => {
    const when = `<!date^${Math.floor(r.createdAt / 1000)}^{date_short} {time}|${new Date(r.createdAt).toISOString()}>`;
    const created = r.cloud.resourceId ? ` → \`${escapeMrkdwn(r.cloud.resourceId)}\`` : '';
    const verb = r.operation === 'delete' ? t('delete ', '删除') : '';
    return `• \`${r.id}\` ${verb}${resourceTitle(r, locale)} \`${escapeMrkdwn(r.params.RegionId)}\` — ${stateLabel(r.state, locale, r.operation)}${created} — <@${r.requester.userId}>, ${when}`;
  });
  const more = total - requests.length;
  const tail =
    more > 0
      ? t(
          `_${more} older request${more === 1 ? '' : 's'} not shown: \`${command} status &lt;request-id&gt;\` shows any of them, and \`npm run audit -- --since 30d\` lists them all for an operator._`,
          `_还有 ${more} 个较早的请求未显示：使用 \`${command} status &lt;请求 ID&gt;\` 查看其中任意一个，运维人员可用 \`npm run audit -- --since 30d\` 列出全部。_`,
        )
      : '';
  return answer(
    [t('*Recent requests in this channel*', '*本频道最近的请求*'), ...lines, tail].filter(Boolean).join('\n'),
  );
}
