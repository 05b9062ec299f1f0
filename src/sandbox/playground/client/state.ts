/**
 * What the page knows: the people one can be, the channel's messages as the fake Slack has them,
 * the ephemeral answers each person got, the open thread and modal, and the last button clicked
 * (so that the answer it brings is shown beside it).
 */
import type { Anchor, Ephemeral, HomeView, Message, SandboxListing, User, View } from './types.js';
import { langOf, type Role, WORDS, type Words } from './words.js';

export interface PendingClick extends Anchor {
  user: string;
  at: number;
}

export const state = {
  users: [] as User[],
  roles: {} as Record<string, Role>,
  user: '',
  channel: { id: '', name: '' },
  slashCommand: '/gateway',
  messages: [] as Message[],
  ephemerals: [] as Ephemeral[],
  openThread: undefined as string | undefined,
  view: undefined as View | undefined,
  errors: {} as Record<string, string>,
  lastClick: undefined as PendingClick | undefined,
  /** The simulated account, for the "your site" panel (sandbox mode only). */
  site: { sandbox: false, customerGateways: [], connections: [] } as SandboxListing,
  /** Connections whose peer the page saw configured, so their results keep saying so once deleted. */
  peersConfigured: new Set<string>(),
  /** Each person's Home tab as the bot last published it, by user id. */
  homes: new Map<string, HomeView>(),
  /** Whether the Home tab is shown instead of the channel. */
  atHome: false,
};

/** The page's words in the language of the person one is playing. */
export function words(): Words {
  return WORDS[langOf(state.users.find((u) => u.id === state.user)?.locale)];
}

/** The person as the switcher shows them: name and role, in the page's language. */
export function personLabel(user: User): string {
  const role = state.roles[user.id];
  return role ? words().person(user.real_name, role) : user.real_name;
}

export function userName(id: string): string {
  return state.users.find((u) => u.id === id)?.real_name ?? id;
}

/** Adds a message, or replaces it when the bot edited it (`chat.update`). */
export function upsertMessage(m: Message): void {
  const i = state.messages.findIndex((x) => x.ts === m.ts);
  if (i >= 0) state.messages[i] = m;
  else state.messages.push(m);
  if (m.thread_ts && m.thread_ts !== m.ts) {
    const parent = state.messages.find((x) => x.ts === m.thread_ts);
    if (parent) {
      parent.replies ??= [];
      if (!parent.replies.includes(m.ts)) parent.replies.push(m.ts);
    }
  }
}

/**
 * How long after a click an ephemeral answer counts as that click's answer. The bot answers a
 * refused click within a second (it acknowledges at once and answers right after); ten leaves
 * room for a slow machine.
 */
const ANSWER_WINDOW_MS = 10_000;

/**
 * Keeps an ephemeral answer, anchored to the button click that brought it, if one did: in the
 * pane and under the message where the person clicked, even when the bot answered in the thread.
 */
export function addEphemeral(e: Ephemeral): Ephemeral {
  const click = state.lastClick;
  if (click && click.user === e.user && Date.now() - click.at < ANSWER_WINDOW_MS) {
    e.anchor = { ts: click.ts, pane: click.pane };
    state.lastClick = undefined;
  }
  state.ephemerals.push(e);
  return e;
}
