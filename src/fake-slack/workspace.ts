/**
 * The in-memory workspace behind the fake Slack: a team, the bot user, users, channels with
 * messages and threads, ephemeral messages, modal stacks per user, user groups. It holds Slack's
 * rules about that data (unique increasing `ts`, threads under their parent, view ids and hashes,
 * stack depth) and nothing about HTTP, so a page or a test can also drive and read it directly.
 */
import { randomBytes } from 'node:crypto';

export interface FakeTeam {
  id: string;
  domain: string;
  name: string;
}

export interface FakeBot {
  userId: string;
  botId: string;
  name: string;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  locale?: string;
  tz?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface FakeMessage {
  ts: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Set on replies (the parent's ts) and, once it has replies, on the parent itself (its own ts). */
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: MessageMetadata;
  edited?: { user: string; ts: string };
  /** The ts of each reply, oldest first (empty for a message without a thread). */
  replies: string[];
}

export interface FakeEphemeral {
  message_ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export interface FakeView {
  id: string;
  hash: string;
  /** The user the modal is open for (from the trigger id); absent when the trigger named nobody. */
  user?: string;
  /** The view as the app sent it (type, title, blocks, callback_id, private_metadata, …). */
  view: Record<string, unknown>;
  /** The bottom view of the stack this one belongs to (itself for a root view). */
  root_view_id: string;
  /** The view under this one in its stack, for a pushed view. */
  previous_view_id?: string;
}

export interface FakeChannelState extends FakeChannel {
  /** Every message in post order, replies included (as Slack stores them). */
  messages: FakeMessage[];
}

export interface WorkspaceSeed {
  team?: FakeTeam;
  bot?: FakeBot;
  users?: FakeUser[];
  /** Channels that exist from the start; defaults to one, `C0NETOPS` (#net-ops). */
  channels?: FakeChannel[];
  /** User group id → member user ids. */
  usergroups?: Record<string, string[]>;
  /** Whether posting to an unknown channel creates it (the default) or answers `channel_not_found`. */
  autoCreateChannels?: boolean;
}

/** A workspace operation's outcome: the value, or the `error` code Slack would answer. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };
const done = <T>(value: T): Outcome<T> => ({ ok: true, value });
const refuse = (error: string): Outcome<never> => ({ ok: false, error });

/** Modal stack depth Slack allows: a root view plus two pushed ones. */
export const MAX_VIEW_STACK = 3;

/** The whole workspace as plain JSON, for a page or a test assertion. */
export interface WorkspaceState {
  team: FakeTeam;
  bot: FakeBot;
  users: FakeUser[];
  channels: (FakeChannelState & { threads: Record<string, FakeMessage[]> })[];
  ephemerals: FakeEphemeral[];
  views: FakeView[];
  /** Open modal stacks by user id (bottom first); anonymous triggers are filed under `''`. */
  openViews: Record<string, FakeView[]>;
  usergroups: Record<string, string[]>;
}

export class Workspace {
  readonly team: FakeTeam;
  readonly bot: FakeBot;
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannelState>();
  readonly ephemerals: FakeEphemeral[] = [];
  /** Every view ever opened, by id (closed ones stay, so late `views.update` calls still resolve). */
  readonly views = new Map<string, FakeView>();
  readonly usergroups = new Map<string, string[]>();
  private readonly stacks = new Map<string, string[]>();
  private readonly autoCreateChannels: boolean;
  private lastMicros = 0;
  private seq = 0;

  constructor(seed: WorkspaceSeed = {}) {
    this.team = seed.team ?? { id: 'T0GATEWAY', domain: 'network-team', name: 'Network Team' };
    this.bot = seed.bot ?? { userId: 'U0GWBOT', botId: 'B0GWBOT', name: 'gateway-bot' };
    this.autoCreateChannels = seed.autoCreateChannels ?? true;
    for (const u of seed.users ?? []) this.users.set(u.id, u);
    for (const c of seed.channels ?? [{ id: 'C0NETOPS', name: 'net-ops' }]) {
      this.channels.set(c.id, { ...c, messages: [] });
    }
    for (const [id, members] of Object.entries(seed.usergroups ?? {})) this.usergroups.set(id, [...members]);
  }

  /** Slack-style timestamps, `seconds.micros`: from the wall clock, but strictly increasing. */
  nextTs(): string {
    this.lastMicros = Math.max(this.lastMicros + 1, Date.now() * 1000);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    return `${seconds}.${String(this.lastMicros % 1_000_000).padStart(6, '0')}`;
  }

  /** Unique ids for views and hashes; the counter keeps them unique within one process run. */
  nextId(prefix: string): string {
    this.seq++;
    return `${prefix}${String(this.seq).padStart(8, '0')}`;
  }

  /** The channel, created on first use unless the workspace was seeded to refuse unknown ones. */
  channel(id: string): FakeChannelState | undefined {
    let channel = this.channels.get(id);
    if (!channel && this.autoCreateChannels && id) {
      channel = { id, name: id.toLowerCase(), messages: [] };
      this.channels.set(id, channel);
    }
    return channel;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.channels.get(channel)?.messages.find((m) => m.ts === ts);
  }

  /** Messages shown in the channel itself: roots and broadcast replies. */
  rootMessages(channel: string): FakeMessage[] {
    return (this.channels.get(channel)?.messages ?? []).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast,
    );
  }

  /** The replies under a parent, oldest first (without the parent). */
  replies(channel: string, parentTs: string): FakeMessage[] {
    return (this.channels.get(channel)?.messages ?? []).filter(
      (m) => m.thread_ts === parentTs && m.ts !== parentTs,
    );
  }

  postMessage(input: {
    channel: string;
    text: string;
    blocks?: unknown[];
    attachments?: unknown[];
    thread_ts?: string;
    reply_broadcast?: boolean;
    metadata?: MessageMetadata;
    user?: string;
  }): Outcome<FakeMessage> {
    const channel = this.channel(input.channel);
    if (!channel) return refuse('channel_not_found');
    let parent: FakeMessage | undefined;
    if (input.thread_ts !== undefined) {
      parent = this.findMessage(channel.id, input.thread_ts);
      if (!parent) return refuse('thread_not_found');
      // A reply to a reply lands in the same thread, as in Slack.
      if (parent.thread_ts && parent.thread_ts !== parent.ts) {
        parent = this.findMessage(channel.id, parent.thread_ts);
        if (!parent) return refuse('thread_not_found');
      }
    }
    const fromBot = input.user === undefined || input.user === this.bot.userId;
    const message: FakeMessage = {
      ts: this.nextTs(),
      channel: channel.id,
      user: input.user ?? this.bot.userId,
      ...(fromBot ? { bot_id: this.bot.botId } : {}),
      text: input.text,
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(input.attachments ? { attachments: input.attachments } : {}),
      ...(parent ? { thread_ts: parent.ts } : {}),
      ...(parent && input.reply_broadcast ? { reply_broadcast: true } : {}),
      ...(input.metadata ? { metadata: input.metadata } : {}),
      replies: [],
    };
    channel.messages.push(message);
    if (parent) {
      parent.thread_ts = parent.ts;
      parent.replies.push(message.ts);
    }
    return done(message);
  }

  updateMessage(input: {
    channel: string;
    ts: string;
    text?: string;
    blocks?: unknown[];
    attachments?: unknown[];
    metadata?: MessageMetadata;
  }): Outcome<FakeMessage> {
    if (!this.channels.has(input.channel)) return refuse('channel_not_found');
    const message = this.findMessage(input.channel, input.ts);
    if (!message) return refuse('message_not_found');
    if (message.bot_id !== this.bot.botId) return refuse('cant_update_message');
    if (input.text !== undefined) message.text = input.text;
    if (input.blocks !== undefined) message.blocks = input.blocks;
    if (input.attachments !== undefined) message.attachments = input.attachments;
    if (input.metadata !== undefined) message.metadata = input.metadata;
    message.edited = { user: this.bot.userId, ts: this.nextTs() };
    return done(message);
  }

  postEphemeral(input: Omit<FakeEphemeral, 'message_ts'>): Outcome<FakeEphemeral> {
    if (!this.channel(input.channel)) return refuse('channel_not_found');
    if (this.users.size > 0 && !this.users.has(input.user)) return refuse('user_not_found');
    const ephemeral: FakeEphemeral = { ...input, message_ts: this.nextTs() };
    this.ephemerals.push(ephemeral);
    return done(ephemeral);
  }

  /** The open modal stack of a user, bottom first. */
  viewStack(user = ''): FakeView[] {
    return (this.stacks.get(user) ?? []).flatMap((id) => this.views.get(id) ?? []);
  }

  /** `views.open`: a new root view; whatever the user had open is replaced. */
  openView(view: Record<string, unknown>, user?: string): Outcome<FakeView> {
    const duplicate = this.duplicateExternalId(view);
    if (duplicate) return refuse(duplicate);
    const record = this.newView(view, user);
    this.stacks.set(user ?? '', [record.id]);
    return done(record);
  }

  /** `views.push`: on top of the user's open stack, at most three deep. */
  pushView(view: Record<string, unknown>, user?: string): Outcome<FakeView> {
    const stack = this.stacks.get(user ?? '') ?? [];
    const top = stack.at(-1);
    // Slack only hands out a push-capable trigger from inside an open modal.
    if (top === undefined) return refuse('not_found');
    if (stack.length >= MAX_VIEW_STACK) return refuse('push_limit_reached');
    const duplicate = this.duplicateExternalId(view);
    if (duplicate) return refuse(duplicate);
    const record = this.newView(view, user, top);
    stack.push(record.id);
    return done(record);
  }

  /** `views.update`: by id or external id, guarded by the hash when one is given. */
  updateView(input: {
    view_id?: string;
    external_id?: string;
    hash?: string;
    view: Record<string, unknown>;
  }): Outcome<FakeView> {
    const record =
      input.view_id !== undefined
        ? this.views.get(input.view_id)
        : [...this.views.values()].find((v) => v.view.external_id === input.external_id);
    if (!record) return refuse('not_found');
    if (input.hash !== undefined && input.hash !== record.hash) return refuse('hash_conflict');
    record.view = input.view;
    record.hash = this.newHash();
    return done(record);
  }

  /** The user closed (or submitted) their modals: the stack is gone, the view records stay. */
  closeViews(user = ''): void {
    this.stacks.delete(user);
  }

  toJSON(): WorkspaceState {
    const openViews: Record<string, FakeView[]> = {};
    for (const user of this.stacks.keys()) openViews[user] = this.viewStack(user);
    return {
      team: this.team,
      bot: this.bot,
      users: [...this.users.values()],
      channels: [...this.channels.values()].map((c) => ({
        ...c,
        threads: Object.fromEntries(
          c.messages.filter((m) => m.replies.length > 0).map((m) => [m.ts, this.replies(c.id, m.ts)]),
        ),
      })),
      ephemerals: this.ephemerals,
      views: [...this.views.values()],
      openViews,
      usergroups: Object.fromEntries(this.usergroups),
    };
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${this.nextId('')}`;
  }

  private newView(view: Record<string, unknown>, user?: string, previous?: string): FakeView {
    // Random like Slack's: ids stay unique across fakes, so a bot that keeps state by view id
    // across a restarted fake never mistakes a new modal for an old one.
    const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const root = previous === undefined ? id : (this.views.get(previous)?.root_view_id ?? previous);
    const record: FakeView = {
      id,
      hash: this.newHash(),
      ...(user ? { user } : {}),
      view,
      root_view_id: root,
      ...(previous ? { previous_view_id: previous } : {}),
    };
    this.views.set(id, record);
    return record;
  }

  private duplicateExternalId(view: Record<string, unknown>): string | undefined {
    const external = view.external_id;
    if (typeof external !== 'string' || external === '') return undefined;
    const taken = [...this.views.values()].some((v) => v.view.external_id === external);
    return taken ? 'duplicate_external_id' : undefined;
  }
}
