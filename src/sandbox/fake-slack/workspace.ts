/**
 * The in-memory workspace behind the fake Slack Web API: users, channels with messages and
 * threads, ephemeral messages, open modals, user groups. Plain data, so a page or a test can
 * read it as JSON.
 */
export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  locale?: string;
}

export interface FakeMessage {
  ts: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: { ts: string };
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
  user?: string;
  view: Record<string, unknown>;
  /** Stack of views opened with views.push on top of this one. */
  stack: string[];
}

export interface WorkspaceSeed {
  team?: { id: string; domain: string; name: string };
  bot?: { userId: string; botId: string; name: string };
  users?: FakeUser[];
  /** A channel's `members`, when given, are the people users.conversations finds in it; else everyone. */
  channels?: { id: string; name: string; members?: string[] }[];
  usergroups?: Record<string, string[]>;
}

export class Workspace {
  readonly team: { id: string; domain: string; name: string };
  readonly bot: { userId: string; botId: string; name: string };
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<
    string,
    { id: string; name: string; members?: string[]; messages: FakeMessage[] }
  >();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views = new Map<string, FakeView>();
  /** Each person's Home tab, as last published (views.publish), by user id. */
  readonly homes = new Map<string, FakeView>();
  readonly usergroups = new Map<string, string[]>();
  /** When each user group last changed (seconds), for the events that say so. */
  readonly usergroupUpdatedAt = new Map<string, number>();
  private readonly directMessages = new Map<string, string>();
  private clock = 1_700_000_000_000;
  private seq = 0;

  constructor(seed: WorkspaceSeed = {}) {
    this.team = seed.team ?? { id: 'T0GATEWAY', domain: 'network-team', name: 'Network Team' };
    this.bot = seed.bot ?? { userId: 'U0GWBOT', botId: 'B0GWBOT', name: 'gateway-bot' };
    for (const u of seed.users ?? []) this.users.set(u.id, u);
    for (const c of seed.channels ?? [{ id: 'C0NETOPS', name: 'net-ops' }]) {
      this.channels.set(c.id, { ...c, messages: [] });
    }
    for (const [id, members] of Object.entries(seed.usergroups ?? {})) this.usergroups.set(id, members);
  }

  /** Slack-style timestamps: unique and increasing, `seconds.micros`. */
  nextTs(): string {
    this.clock = Math.max(this.clock + 1, Date.now() * 1000);
    return `${Math.floor(this.clock / 1_000_000)}.${String(this.clock % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq++;
    return `${prefix}${String(this.seq).padStart(8, '0')}`;
  }

  /** The id of the bot's direct message channel with a person (`D…`), made at the first ask. */
  directMessageChannel(user: string): string {
    const id = `D${user.replace(/^[UW]/, '')}`;
    this.channel(id);
    this.directMessages.set(id, user);
    return id;
  }

  /** The person a direct message channel is with, or undefined for any other channel. */
  directMessageUser(channel: string): string | undefined {
    return this.directMessages.get(channel);
  }

  channel(id: string) {
    let channel = this.channels.get(id);
    if (!channel) {
      channel = { id, name: id.toLowerCase(), messages: [] };
      this.channels.set(id, channel);
    }
    return channel;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.channels.get(channel)?.messages.find((m) => m.ts === ts);
  }

  toJSON() {
    return {
      team: this.team,
      bot: this.bot,
      users: [...this.users.values()],
      channels: [...this.channels.values()],
      ephemerals: this.ephemerals,
      views: [...this.views.values()],
      homes: [...this.homes.values()],
    };
  }
}
