/**
 * The channel and thread panes: messages in time order, thread replies, and the ephemeral
 * answers only the current person sees, each where that person is looking. An answer to a button
 * click sits right under the message whose button was clicked, in the pane it was clicked in;
 * answers to slash commands sit at the bottom of the channel, by the command box; other answers in
 * a thread sit in the thread. Under an IPsec connection's result, in sandbox mode, the page adds
 * its own "configure the peer" control (site.ts).
 */
import { renderBlocks } from './blocks.js';
import { byId, esc } from './dom.js';
import { mrkdwn } from './mrkdwn.js';
import { peerControl } from './site.js';
import { state, userName, words } from './state.js';
import type { Ephemeral, Message, Pane } from './types.js';

function body(
  m: { text: string; blocks?: Message['blocks'] },
  message?: { ts: string; pane: Pane },
  ephemeral?: { ts: string },
): string {
  return m.blocks
    ? renderBlocks(m.blocks, {
        userName,
        ...(message ? { message } : {}),
        ...(ephemeral ? { ephemeral } : {}),
      })
    : `<div class="block-section">${mrkdwn(m.text, userName, document.documentElement.lang)}</div>`;
}

function renderMessage(m: Message, pane: Pane): string {
  const w = words();
  const time = new Date(Number(m.ts) * 1000).toLocaleTimeString(document.documentElement.lang);
  const count = m.replies?.length ?? 0;
  const label = w.replies(count);
  const replies =
    pane === 'channel' && count > 0
      ? `<button class="replies" data-open-thread="${esc(m.ts)}">${label}</button>`
      : '';
  const broadcast =
    pane === 'channel' && m.thread_ts && m.thread_ts !== m.ts
      ? `<div class="broadcast-note">${esc(w.repliedToThread)}</div>`
      : '';
  return (
    `<div class="message" data-testid="message" data-ts="${esc(m.ts)}">` +
    `<div class="who">gateway-bot <small>${esc(time)}</small></div>` +
    `${broadcast}${body(m, { ts: m.ts, pane })}${peerControl(m)}${replies}</div>`
  );
}

function renderEphemeral(e: Ephemeral): string {
  return (
    `<div class="message ephemeral" data-testid="ephemeral" data-ephemeral="${esc(e.message_ts)}">` +
    `<div class="note">${esc(e.direct ? words().directMessage : words().onlyYou)}</div>` +
    `${body(e, undefined, { ts: e.message_ts })}</div>`
  );
}

/** Ephemerals of the current person anchored under the message `ts` in `pane`. */
function anchoredTo(ts: string, pane: Pane): string {
  return state.ephemerals
    .filter((e) => e.user === state.user && e.anchor?.ts === ts && e.anchor.pane === pane)
    .map(renderEphemeral)
    .join('');
}

function inTimeOrder(items: { at: number; html: string }[]): string {
  return items
    .sort((a, b) => a.at - b.at)
    .map((i) => i.html)
    .join('');
}

/** How many entries each pane (the channel, each thread) held when it was last drawn. */
const drawn = new Map<string, number>();

/**
 * Draws a scrolling pane and keeps the newest in sight, as Slack does: a pane read at its bottom (or
 * opened just now) follows what arrives; one scrolled up keeps its place, and a marker under it says
 * that something new is below, and goes there when clicked.
 */
function fill(box: HTMLElement, key: string, html: string, entries: number): void {
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const before = drawn.get(key);
  drawn.set(key, entries);
  box.innerHTML = html;
  if (before === undefined || atBottom) {
    box.scrollTop = box.scrollHeight;
    newBelow(box)?.remove();
  } else if (entries > before && !newBelow(box)) {
    const marker = document.createElement('button');
    marker.className = 'btn new-below';
    marker.dataset.testid = 'new-below';
    marker.textContent = words().newBelow;
    marker.onclick = () => {
      box.scrollTop = box.scrollHeight;
      marker.remove();
    };
    box.after(marker);
    // Gone once the reader reaches the bottom; the listener goes with it.
    const reachedBottom = () => {
      if (marker.isConnected && box.scrollHeight - box.scrollTop - box.clientHeight >= 40) return;
      marker.remove();
      box.removeEventListener('scroll', reachedBottom);
    };
    box.addEventListener('scroll', reachedBottom);
  }
}

function newBelow(box: HTMLElement): Element | null {
  const next = box.nextElementSibling;
  return next?.classList.contains('new-below') ? next : null;
}

export function renderChannel(): void {
  const roots = state.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast);
  const loose = state.ephemerals.filter((e) => e.user === state.user && !e.thread_ts && !e.anchor);
  fill(
    byId('messages'),
    'channel',
    inTimeOrder([
      ...roots.map((m) => ({
        at: Number(m.ts),
        html: renderMessage(m, 'channel') + anchoredTo(m.ts, 'channel'),
      })),
      ...loose.map((e) => ({ at: Number(e.message_ts), html: renderEphemeral(e) })),
    ]),
    roots.length + loose.length,
  );

  const thread = byId('thread');
  const parent = state.openThread ? state.messages.find((m) => m.ts === state.openThread) : undefined;
  if (!parent) {
    thread.classList.remove('open');
    return;
  }
  const replies = state.messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
  const inThread = state.ephemerals.filter(
    (e) => e.user === state.user && e.thread_ts === parent.ts && !e.anchor,
  );
  // Shown before it is drawn, so that its size is known and it opens at its newest reply.
  thread.classList.add('open');
  fill(
    byId('thread-messages'),
    `thread ${parent.ts}`,
    renderMessage(parent, 'thread') +
      anchoredTo(parent.ts, 'thread') +
      '<hr>' +
      inTimeOrder([
        ...replies.map((m) => ({
          at: Number(m.ts),
          html: renderMessage(m, 'thread') + anchoredTo(m.ts, 'thread'),
        })),
        ...inThread.map((e) => ({ at: Number(e.message_ts), html: renderEphemeral(e) })),
      ]),
    replies.length + inThread.length,
  );
}

/** Brings an ephemeral answer into view, wherever it was placed. */
export function reveal(e: Ephemeral): void {
  const element = document.querySelector(`[data-ephemeral="${CSS.escape(e.message_ts)}"]`);
  element?.scrollIntoView({ block: 'nearest' });
}
