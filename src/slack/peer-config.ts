/**
 * The private answer that carries the on-premises device's configuration (`peer_config`): a head
 * in the reader's language, the text in preformatted sections cut to Slack's section limit, and a
 * select that writes it in another format (`peer_config_format`; the request id is its block's id,
 * as a select has no value of its own). It fits one ephemeral message (at most 50 blocks) or goes
 * to the person's direct message with the bot, as several messages where it needs them, and a
 * short ephemeral note in the channel says so. It holds the keys: sent only through the client
 * that logs nothing, never logged, stored or posted in a channel.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type Locale, messages } from '../i18n/index.js';
import { PEER_FORMATS, type PeerFormat, peerFormatLabel } from '../resources/peer-config/index.js';
import { escapeMrkdwn } from '../text/mrkdwn.js';
import { ACTION_IDS } from './ids.js';
import { SLACK_LIMITS } from './limits.js';

const FENCE = '```';

/** A chunk of the text as one section: a code block, or plain text where a fence inside would end it early. */
function section(chunk: string): KnownBlock {
  if (chunk.includes(FENCE))
    return { type: 'section', text: { type: 'plain_text', text: chunk, emoji: false } };
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: `${FENCE}\n${escapeMrkdwn(chunk)}\n${FENCE}`, verbatim: true },
  };
}

/**
 * The text in sections of at most `max` characters each as Slack counts them (after escaping and
 * the fences), cut between lines where it can and inside a line only when one line alone is longer.
 */
export function preformattedSections(text: string, max: number = SLACK_LIMITS.sectionText): KnownBlock[] {
  const budget = max - 2 * (FENCE.length + 1);
  const cost = (s: string) => escapeMrkdwn(s).length;
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (cost(joined) <= budget) {
      current = joined;
      continue;
    }
    flush();
    let rest = line;
    while (cost(rest) > budget) {
      let take = budget;
      while (cost(rest.slice(0, take)) > budget) take--;
      chunks.push(rest.slice(0, take));
      rest = rest.slice(take);
    }
    current = rest;
  }
  flush();
  return chunks.map(section);
}

/** The select that writes the configuration again in another format, `current` chosen. */
function formatChoice(requestId: string, current: PeerFormat, locale: Locale): KnownBlock {
  const option = (format: PeerFormat) => ({
    text: { type: 'plain_text' as const, text: peerFormatLabel(format)[locale] },
    value: format,
  });
  return {
    type: 'actions',
    block_id: requestId,
    elements: [
      {
        type: 'static_select',
        action_id: ACTION_IDS.peerConfigFormat,
        placeholder: { type: 'plain_text', text: messages(locale).command.peerConfigFormat },
        options: PEER_FORMATS.map(option),
        initial_option: option(current),
      },
    ],
  };
}

export interface PeerConfigAnswer {
  requestId: string;
  /** The connection's cloud id. */
  target: string;
  format: PeerFormat;
  text: string;
  locale: Locale;
}

/** The messages the answer takes: one when it fits Slack's 50 blocks, else as many as it needs. */
export function peerConfigMessages(a: PeerConfigAnswer): { text: string; blocks: KnownBlock[] }[] {
  const m = messages(a.locale);
  const head = m.command.peerConfig({ target: a.target, format: peerFormatLabel(a.format)[a.locale] });
  const headBlock: KnownBlock = { type: 'section', text: { type: 'plain_text', text: head, emoji: false } };
  const body = preformattedSections(a.text);
  const choice = formatChoice(a.requestId, a.format, a.locale);
  const perMessage = SLACK_LIMITS.messageBlocks;
  if (body.length + 2 <= perMessage) return [{ text: head, blocks: [headBlock, ...body, choice] }];
  const out: { text: string; blocks: KnownBlock[] }[] = [];
  let rest = body;
  let first = true;
  while (rest.length > 0 || first) {
    const room = perMessage - (first ? 1 : 0);
    const part = rest.slice(0, room);
    rest = rest.slice(room);
    out.push({ text: head, blocks: [...(first ? [headBlock] : []), ...part] });
    first = false;
  }
  const last = out[out.length - 1];
  if (last && last.blocks.length < perMessage) last.blocks.push(choice);
  else out.push({ text: head, blocks: [choice] });
  return out;
}

export interface Delivery {
  channel: string;
  user: string;
  threadTs?: string;
}

/**
 * Shows the answer to one person: ephemeral in the channel where it fits one message, else in
 * their direct message with the bot (`conversations.open`, scope `im:write`) with a note in the
 * channel. `client` must be the one that logs nothing. Where there is no channel to answer in (a
 * click from the direct message itself), the direct message is the place.
 */
export async function deliverPeerConfig(
  client: WebClient,
  to: Delivery,
  a: PeerConfigAnswer,
): Promise<'ephemeral' | 'direct'> {
  const parts = peerConfigMessages(a);
  const [only] = parts;
  const inDirectMessage = to.channel.startsWith('D');
  if (parts.length === 1 && only && !inDirectMessage) {
    await client.chat.postEphemeral({
      channel: to.channel,
      user: to.user,
      ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
      text: only.text,
      blocks: only.blocks,
    });
    return 'ephemeral';
  }
  const opened = await client.conversations.open({ users: to.user });
  const dm = opened.channel?.id;
  if (!dm) throw new Error('conversations.open answered without a channel');
  for (const part of parts)
    await client.chat.postMessage({ channel: dm, text: part.text, blocks: part.blocks });
  if (!inDirectMessage)
    await client.chat.postEphemeral({
      channel: to.channel,
      user: to.user,
      ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
      text: messages(a.locale).command.peerConfigSentDirectly({ target: a.target }),
    });
  return 'direct';
}
