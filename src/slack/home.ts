/**
 * The Home tab (views.publish): what waits for the person's approval, with the thread's own Approve
 * and Reject buttons; their recent requests, with Cancel on those still waiting; and the tunnels
 * down in their channels, as the bot last recorded them. A pure function of what was read, in the
 * person's language. A home view holds 100 blocks at most: each part gets a share, and what a part
 * leaves out is counted in a line of its own.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { type Locale, messages } from '../i18n/index.js';
import { findResource, summarizeParams } from '../resources/index.js';
import { fitText } from '../text/fit.js';
import { escapeMrkdwn, inertInline } from '../text/mrkdwn.js';
import type { DownResource } from '../workflow/service.js';
import type { ResourceRequest } from '../workflow/types.js';
import { ACTION_IDS } from './ids.js';
import { SLACK_LIMITS } from './limits.js';
import { type RenderContext, renderRequestMessage, resourceTitle, stateLabel } from './render.js';

/** The person's requests shown at most, and the connections with a tunnel down. */
export const HOME_YOURS_SHOWN = 10;
export const HOME_DOWN_SHOWN = 10;
/** Parameters shown in a waiting request's summary, after its region: the thread has them all. */
const KEY_PARAMS = 3;

export interface HomeContent {
  /** Pending requests this person may approve now, in the order to show them. */
  waiting: readonly ResourceRequest[];
  /** The person's latest requests, newest first, and how many they have in all. */
  yours: { requests: readonly ResourceRequest[]; total: number };
  /** Links to the threads of the person's requests, by request id (where Slack gave one). */
  threads: ReadonlyMap<string, string>;
  /** Resources with parts down in the person's channels. */
  down: readonly DownResource[];
  /** Why the person's channels could not be read (Slack's error), when they could not: nothing down is shown. */
  channelsUnreadable?: string;
  /** What the person's last click did, or why it did nothing, at the top. */
  notice?: string;
}

export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

function section(text: string, accessory?: Button): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: fitText(text, SLACK_LIMITS.headerText) } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: fitText(text, SLACK_LIMITS.sectionText) }] };
}

function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

/** The request message's own buttons (same action ids, values, styles and confirmations), by action id. */
function threadButtons(request: ResourceRequest, ctx: RenderContext): Map<string, Button> {
  const actions = renderRequestMessage(request, ctx).blocks.filter(
    (b): b is ActionsBlock => b.type === 'actions',
  );
  const buttons = actions.flatMap((b) => b.elements).filter((e): e is Button => e.type === 'button');
  return new Map(buttons.map((b) => [b.action_id ?? '', b]));
}

/** A waiting request's key parameters, after its region, as the approver's summary shows them. */
function keyParams(request: ResourceRequest, locale: Locale): string {
  const resource = findResource(request.resource);
  if (!resource || request.operation !== 'create') return '';
  const m = messages(locale);
  const named = new Set(resource.params.map((p) => p.name));
  return summarizeParams(resource, request.params, locale, request.secretNames ?? [])
    .filter((row) => named.has(row.name) && row.name !== 'RegionId')
    .slice(0, KEY_PARAMS)
    .map((row) =>
      m.pair({ label: row.label, value: row.typed ? inertInline(row.value, 80) : escapeMrkdwn(row.value) }),
    )
    .join(' · ');
}

function waitingBlocks(request: ResourceRequest, ctx: RenderContext): KnownBlock[] {
  const m = messages(ctx.locale);
  const buttons = threadButtons(request, ctx);
  const elements = [ACTION_IDS.approve, ACTION_IDS.reject].flatMap((id) => buttons.get(id) ?? []);
  const summary = m.home.waiting({
    doing: request.operation,
    title: resourceTitle(request, ctx.locale),
    target: request.operation !== 'create' ? escapeMrkdwn(request.cloud.resourceId ?? '') : '',
    region: escapeMrkdwn(request.params.RegionId),
    params: keyParams(request, ctx.locale),
    who: `<@${request.requester.userId}>`,
    channel: `<#${request.channelId}>`,
    age: m.duration({ ms: Math.max(0, ctx.now - request.createdAt) }),
    id: request.id,
  });
  return [
    section(summary),
    // A view's block ids are unique: one per request, never the message's own.
    { type: 'actions', block_id: `home_decide_${request.id}`, elements },
  ];
}

function yourBlock(request: ResourceRequest, thread: string | undefined, ctx: RenderContext): KnownBlock {
  const m = messages(ctx.locale);
  const line = m.home.yours({
    id: request.id,
    doing: request.operation,
    title: resourceTitle(request, ctx.locale),
    region: escapeMrkdwn(request.params.RegionId),
    state: stateLabel(request.state, ctx.locale, request.operation),
    made: escapeMrkdwn(request.cloud.resourceId ?? ''),
    when: slackDate(request.createdAt),
    thread: thread ? `<${thread}|${m.home.thread}>` : '',
  });
  const cancel =
    request.state === 'pending_approval' ? threadButtons(request, ctx).get(ACTION_IDS.cancel) : undefined;
  return section(line, cancel);
}

function downBlock(d: DownResource, locale: Locale): KnownBlock {
  const m = messages(locale);
  return section(
    m.home.down({
      title: resourceTitle(d.request, locale),
      target: escapeMrkdwn(d.request.cloud.resourceId ?? ''),
      channel: `<#${d.request.channelId}>`,
      seen: slackDate(d.seenAt),
      parts: d.down.map((part) => `• ${escapeMrkdwn(part[locale])}`).join('\n'),
    }),
  );
}

/**
 * The Home view. Blocks: the notice (1), three headers, two dividers, and per part either its items
 * and a line counting what was left out, or a line saying it is empty. The person's requests and
 * the tunnels down get up to ten blocks each; what waits for approval (two blocks a request) gets
 * the rest, so the view never passes Slack's limit however many requests wait.
 */
export function renderHome(content: HomeContent, ctx: RenderContext & { slashCommand: string }): HomeView {
  const m = messages(ctx.locale);
  const yours = content.yours.requests.slice(0, HOME_YOURS_SHOWN);
  const down = content.down.slice(0, HOME_DOWN_SHOWN);
  const fixed = (content.notice ? 1 : 0) + 3 + 2 + 3;
  const room = Math.floor((SLACK_LIMITS.homeBlocks - fixed - yours.length - down.length) / 2);
  const waiting = content.waiting.slice(0, Math.max(0, room));

  const blocks: KnownBlock[] = [];
  if (content.notice) blocks.push(section(content.notice));
  blocks.push(header(m.home.waitingHeading));
  // Only requests of the person's channels are shown: unknown channels, none.
  if (content.channelsUnreadable)
    blocks.push(context(m.home.channelsUnreadable({ error: escapeMrkdwn(content.channelsUnreadable) })));
  else if (content.waiting.length === 0) blocks.push(context(m.home.nothingWaiting));
  for (const request of waiting) blocks.push(...waitingBlocks(request, ctx));
  const moreWaiting = content.waiting.length - waiting.length;
  if (moreWaiting > 0) blocks.push(context(m.home.moreWaiting({ more: moreWaiting })));

  blocks.push({ type: 'divider' }, header(m.home.yoursHeading));
  if (yours.length === 0) blocks.push(context(m.home.noRequests));
  for (const request of yours) blocks.push(yourBlock(request, content.threads.get(request.id), ctx));
  const moreYours = content.yours.total - yours.length;
  if (moreYours > 0) blocks.push(context(m.home.moreYours({ more: moreYours, command: ctx.slashCommand })));

  blocks.push({ type: 'divider' }, header(m.home.downHeading));
  if (content.channelsUnreadable)
    blocks.push(context(m.home.channelsUnreadable({ error: escapeMrkdwn(content.channelsUnreadable) })));
  else if (down.length === 0) blocks.push(context(m.home.nothingDown));
  for (const d of down) blocks.push(downBlock(d, ctx.locale));
  const moreDown = content.down.length - down.length;
  if (moreDown > 0) blocks.push(context(m.home.moreDown({ more: moreDown })));
  return { type: 'home', blocks };
}
