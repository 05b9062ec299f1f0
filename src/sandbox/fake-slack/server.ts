/**
 * A fake Slack Web API on loopback: answers the methods the bot calls the way Slack does (form or
 * JSON bodies, `blocks`/`view`/`metadata` as JSON strings, Bearer tokens, `ts` values, view ids and
 * hashes, trigger ids that expire after 3 s and work once), refuses what Slack refuses (Block Kit
 * limits, over-long texts: see block-kit.ts), records every call, and answers 429s
 * and errors on demand. Like Slack, it sends the app the events it subscribes to, signed, to its
 * Request URL: a user group's change as `subteam_members_changed` and `subteam_updated`, a person
 * opening the app's Home tab as `app_home_opened`; each person's Home tab is what the app last
 * published for them (views.publish). The end-to-end tests and the local playground both stand on it.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../server/body.js';
import { checkMessage, checkView, refusalBody } from './block-kit.js';
import { type AppAnswer, eventCallbackBody, postEventToApp } from './signing.js';
import { type FakeMessage, type FakeView, Workspace, type WorkspaceSeed } from './workspace.js';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  status: number;
  response: Record<string, unknown>;
}

export interface InjectedFailure {
  status?: number;
  error: string;
  retryAfterSec?: number;
}

export interface FakeSlackOptions {
  port?: number;
  host?: string;
  /** Tokens the API accepts (bot tokens); anything else is `invalid_auth`. */
  tokens?: string[];
  /** The app-level token accepted by apps.connections.open. */
  appToken?: string;
  /** The WebSocket URL handed out by apps.connections.open (Socket Mode tests). */
  socketUrl?: () => string;
  triggerTtlMs?: number;
  workspace?: WorkspaceSeed;
}

/** The user group events Slack sends an app that subscribes to them (scope `usergroups:read`). */
export type UsergroupEventType = 'subteam_members_changed' | 'subteam_updated';

/** An event sent to the app, and what the app answered (status 0: it could not be reached). */
export interface DeliveredEvent {
  event: Record<string, unknown>;
  status: number;
}

/** `subteam_updated` lists at most this many members (its `user_count` has them all). */
const SUBTEAM_UPDATED_MAX_USERS = 500;

export interface FakeSlackEvents {
  call: [RecordedCall];
  message: [FakeMessage];
  update: [FakeMessage];
  ephemeral: [Workspace['ephemerals'][number]];
  view: [FakeView];
  /** A person's Home tab was published. */
  home: [FakeView];
}

type Answer = { status?: number; body: Record<string, unknown>; headers?: Record<string, string> };
const ok = (body: Record<string, unknown> = {}): Answer => ({ body: { ok: true, ...body } });
const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({
  body: { ok: false, error, ...extra },
});

/** Slack's refusal of a message or view past its limits, or undefined when it would take it. */
function refuseMessage(p: Record<string, unknown>): Answer | undefined {
  const refusal = checkMessage(p);
  return refusal ? { body: refusalBody(refusal) } : undefined;
}

function refuseView(view: unknown): Answer | undefined {
  const refusal = checkView(view);
  return refusal ? { body: refusalBody(refusal) } : undefined;
}

function parseJsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The fake's own bound on a request body: far above any call the bot makes (a modal of a hundred
 * blocks is a few hundred kB), so only a runaway sender meets it.
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The call's parameters (query string, then a form or JSON body), or undefined when the body was not read whole. */
async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown> | undefined> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const read = await readBody(req, { limitBytes: MAX_BODY_BYTES });
  if (!read.ok) return undefined;
  const raw = read.body.toString('utf8');
  if (raw) {
    if ((req.headers['content-type'] ?? '').includes('application/json'))
      Object.assign(params, JSON.parse(raw));
    else for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
  }
  for (const key of ['blocks', 'attachments', 'view', 'metadata']) {
    if (key in params) params[key] = parseJsonField(params[key]);
  }
  return params;
}

export class FakeSlack extends EventEmitter<FakeSlackEvents> {
  readonly workspace: Workspace;
  readonly calls: RecordedCall[] = [];
  apiUrl = '';
  url = '';
  private readonly tokens: Set<string>;
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; user?: string }>();
  private readonly pending = new Map<string, InjectedFailure[]>();
  private readonly every = new Map<string, { n: number; count: number; failure: InjectedFailure }>();
  private server = createServer((req, res) => void this.handle(req, res));
  /** The app's Request URL for events and its signing secret; no events are sent without it. */
  private eventsTo: { url: string; signingSecret: string } | undefined;
  /** Every event sent to the app, in order. */
  readonly deliveries: DeliveredEvent[] = [];

  constructor(private readonly options: FakeSlackOptions = {}) {
    super();
    this.workspace = new Workspace(options.workspace);
    this.tokens = new Set(options.tokens ?? ['xoxb-fake-bot-token']);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** A trigger id as Slack sends with a command or a click: valid once, for a few seconds. */
  issueTriggerId(user?: string): string {
    const id = `${Date.now()}.${Math.floor(Math.random() * 1e12)}.${this.workspace.nextId('')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false, ...(user ? { user } : {}) });
    return id;
  }

  /** Sends the events the app subscribes to, signed with its signing secret, to its Request URL. */
  deliverEventsTo(url: string, signingSecret: string): void {
    this.eventsTo = { url, signingSecret };
  }

  /**
   * Sets a user group's members, as someone editing the group in Slack does, and tells the app as
   * Slack tells an app that subscribes to user group events: one `subteam_members_changed` (who
   * was added, who removed) and one `subteam_updated` (the group as it now is), each in its own
   * signed delivery, unless `events` names fewer. With no Request URL set, the change is made and
   * nothing is sent: an event that never arrived. Resolves with the app's answers.
   */
  async changeUsergroup(
    id: string,
    users: readonly string[],
    o: { events?: readonly UsergroupEventType[] } = {},
  ): Promise<DeliveredEvent[]> {
    const ws = this.workspace;
    const before = ws.usergroups.get(id) ?? [];
    ws.usergroups.set(id, [...users]);
    const previous = ws.usergroupUpdatedAt.get(id) ?? Math.floor(Date.now() / 1000) - 3600;
    const now = Math.floor(Date.now() / 1000);
    ws.usergroupUpdatedAt.set(id, now);
    const added = users.filter((u) => !before.includes(u));
    const removed = before.filter((u) => !users.includes(u));
    const events: Record<UsergroupEventType, Record<string, unknown>> = {
      subteam_members_changed: {
        type: 'subteam_members_changed',
        subteam_id: id,
        team_id: ws.team.id,
        date_previous_update: previous,
        date_update: now,
        added_users: added,
        added_users_count: String(added.length),
        removed_users: removed,
        removed_users_count: String(removed.length),
        event_ts: `${now}.000100`,
      },
      subteam_updated: {
        type: 'subteam_updated',
        subteam: {
          id,
          team_id: ws.team.id,
          is_usergroup: true,
          is_subteam: true,
          name: id,
          description: '',
          handle: id.toLowerCase(),
          is_external: false,
          date_create: previous,
          date_update: now,
          date_delete: 0,
          auto_type: null,
          auto_provision: false,
          enterprise_subteam_id: '',
          created_by: ws.bot.userId,
          updated_by: ws.bot.userId,
          deleted_by: null,
          prefs: { channels: [], groups: [] },
          users: users.slice(0, SUBTEAM_UPDATED_MAX_USERS),
          user_count: users.length,
          channel_count: 0,
        },
        event_ts: `${now}.000200`,
      },
    };
    const sent: DeliveredEvent[] = [];
    if (!this.eventsTo) return sent;
    for (const type of o.events ?? (['subteam_members_changed', 'subteam_updated'] as const))
      sent.push(await this.deliver(events[type]));
    return sent;
  }

  /**
   * A person opens the app's Home tab, as Slack tells an app subscribed to `app_home_opened`: the
   * event names the person and the tab, and carries the view published for them before, if any.
   */
  openHome(user: string): Promise<DeliveredEvent> {
    const published = this.workspace.homes.get(user);
    return this.deliver({
      type: 'app_home_opened',
      user,
      channel: `D${user.slice(1)}`,
      tab: 'home',
      event_ts: `${Math.floor(Date.now() / 1000)}.000300`,
      ...(published ? { view: { ...published.view, id: published.id, hash: published.hash } } : {}),
    });
  }

  /** One event to the app's Request URL, signed, in its `event_callback` envelope. */
  private async deliver(event: Record<string, unknown>): Promise<DeliveredEvent> {
    const to = this.eventsTo;
    if (!to) return { event, status: 0 };
    const body = eventCallbackBody(event, { botUserId: this.workspace.bot.userId });
    const answer: AppAnswer | undefined = await postEventToApp(to.url, to.signingSecret, body).catch(
      () => undefined,
    );
    const delivered = { event, status: answer?.status ?? 0 };
    this.deliveries.push(delivered);
    return delivered;
  }

  /** The next call to `method` answers this failure instead. */
  failNext(method: string, failure: InjectedFailure): void {
    const queue = this.pending.get(method) ?? [];
    queue.push(failure);
    this.pending.set(method, queue);
  }

  /** Every n-th call to `method` answers HTTP 429 with Retry-After (the others succeed). */
  rateLimitEvery(method: string, n: number, retryAfterSec = 1): void {
    this.every.set(method, { n, count: 0, failure: { status: 429, error: 'ratelimited', retryAfterSec } });
  }

  clearFailures(): void {
    this.pending.clear();
    this.every.clear();
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200 && c.response.ok === true);
  }

  messages(channel: string): FakeMessage[] {
    return this.workspace.channels.get(channel)?.messages ?? [];
  }

  thread(channel: string, ts: string): FakeMessage[] {
    return this.messages(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);
  }

  /** Resolves when `predicate` holds, checked after every call; rejects after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error('fake Slack: condition not met in time'));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('call', check);
      };
      this.on('call', check);
      check();
    });
  }

  private failureFor(method: string): InjectedFailure | undefined {
    const queued = this.pending.get(method)?.shift();
    if (queued) return queued;
    const rule = this.every.get(method);
    if (rule) {
      rule.count++;
      if (rule.count % rule.n === 0) return rule.failure;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake-slack');
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const read = await readParams(req, url).catch(() => ({}) as Record<string, unknown>);
    // A body not read whole (too large) leaves bytes on the connection: close it after the answer.
    if (!read) res.setHeader('connection', 'close');
    const params = read ?? {};
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(params.token ?? '');
    let answer: Answer;
    const failure = this.failureFor(method);
    if (failure) {
      answer = {
        status: failure.status ?? 200,
        body: { ok: false, error: failure.error },
        ...(failure.retryAfterSec !== undefined
          ? { headers: { 'retry-after': String(failure.retryAfterSec) } }
          : {}),
      };
    } else if (method === 'apps.connections.open') {
      answer =
        token === this.options.appToken && this.options.socketUrl
          ? ok({ url: this.options.socketUrl() })
          : fail('invalid_auth');
    } else if (!this.tokens.has(token)) {
      answer = fail('invalid_auth');
    } else {
      answer = this.dispatch(method, params);
    }
    const status = answer.status ?? 200;
    const call: RecordedCall = { method, params, at: Date.now(), status, response: answer.body };
    this.calls.push(call);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
    this.emit('call', call);
  }

  private dispatch(method: string, p: Record<string, unknown>): Answer {
    const ws = this.workspace;
    switch (method) {
      case 'auth.test':
        return ok({
          url: `https://${ws.team.domain}.slack.com/`,
          team: ws.team.name,
          team_id: ws.team.id,
          user: ws.bot.name,
          user_id: ws.bot.userId,
          bot_id: ws.bot.botId,
        });
      case 'chat.postMessage':
        return this.postMessage(p);
      case 'chat.update': {
        const message = ws.findMessage(String(p.channel), String(p.ts));
        if (!message) return fail('message_not_found');
        const refused = refuseMessage(p);
        if (refused) return refused;
        const blocks = p.blocks as unknown[] | undefined;
        if (typeof p.text === 'string') message.text = p.text;
        if (blocks) message.blocks = blocks;
        message.edited = { ts: ws.nextTs() };
        this.emit('update', message);
        return ok({ channel: message.channel, ts: message.ts, text: message.text, message });
      }
      case 'chat.postEphemeral': {
        if (!p.user) return fail('user_not_in_channel');
        const refused = refuseMessage(p);
        if (refused) return refused;
        const ephemeral = {
          message_ts: ws.nextTs(),
          channel: String(p.channel),
          user: String(p.user),
          text: String(p.text ?? ''),
          ...(p.blocks ? { blocks: p.blocks as unknown[] } : {}),
          ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
        };
        ws.ephemerals.push(ephemeral);
        this.emit('ephemeral', ephemeral);
        return ok({ message_ts: ephemeral.message_ts });
      }
      case 'conversations.open': {
        // A direct message with one person (what the bot opens), the same channel every time.
        const users = String(p.users ?? '')
          .split(',')
          .filter(Boolean);
        if (users.length === 0) return fail('users_list_not_supplied');
        if (users.length > 1) return fail('not_implemented');
        const user = users[0] as string;
        if (!ws.users.has(user)) return fail('user_not_found');
        return ok({ channel: { id: ws.directMessageChannel(user) } });
      }
      case 'conversations.history': {
        const channel = ws.channels.get(String(p.channel));
        if (!channel) return fail('channel_not_found');
        const oldest = Number(p.oldest ?? 0);
        const roots = channel.messages
          .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast)
          .filter((m) => Number(m.ts) > oldest)
          .reverse()
          .slice(0, Number(p.limit ?? 100));
        return ok({ messages: roots.map((m) => this.shape(m, p.include_all_metadata)), has_more: false });
      }
      case 'conversations.replies': {
        const channel = ws.channels.get(String(p.channel));
        const parent = channel && ws.findMessage(String(p.channel), String(p.ts));
        if (!parent) return fail('thread_not_found');
        const messages = [parent, ...this.thread(String(p.channel), parent.ts)];
        return ok({ messages: messages.map((m) => this.shape(m, p.include_all_metadata)), has_more: false });
      }
      case 'views.open':
      case 'views.push':
        return this.openView(method, p);
      case 'views.update': {
        const view = [...ws.views.values()].find(
          (v) => v.id === p.view_id || (p.external_id !== undefined && v.view.external_id === p.external_id),
        );
        if (!view) return fail('not_found');
        if (p.hash !== undefined && p.hash !== view.hash) return fail('hash_conflict');
        const refused = refuseView(p.view);
        if (refused) return refused;
        const next = p.view as Record<string, unknown>;
        view.view = next;
        view.hash = `${Date.now()}.${ws.nextId('h')}`;
        this.emit('view', view);
        return ok({ view: { ...next, id: view.id, hash: view.hash } });
      }
      case 'views.publish':
        return this.publishHome(p);
      case 'users.conversations':
        return this.conversationsOf(p);
      case 'chat.getPermalink': {
        const message = ws.findMessage(String(p.channel), String(p.message_ts));
        if (!message) return fail('message_not_found');
        const path = `${message.channel}/p${message.ts.replace('.', '')}`;
        return ok({
          channel: message.channel,
          permalink: `https://${ws.team.domain}.slack.com/archives/${path}`,
        });
      }
      case 'users.info': {
        const user = ws.users.get(String(p.user));
        if (!user) return fail('user_not_found');
        const { locale, ...rest } = user;
        return ok({
          user: {
            ...rest,
            ...(p.include_locale && String(p.include_locale) !== 'false' && locale ? { locale } : {}),
          },
        });
      }
      case 'usergroups.users.list': {
        const members = ws.usergroups.get(String(p.usergroup));
        return members ? ok({ users: members }) : fail('no_such_subteam');
      }
      default:
        return fail('unknown_method');
    }
  }

  private shape(m: FakeMessage, withMetadata: unknown) {
    const { replies, metadata, ...rest } = m;
    return {
      type: 'message',
      ...rest,
      ...(replies.length ? { reply_count: replies.length } : {}),
      ...(metadata && withMetadata && String(withMetadata) !== 'false' ? { metadata } : {}),
    };
  }

  private postMessage(p: Record<string, unknown>): Answer {
    const ws = this.workspace;
    const channelId = String(p.channel ?? '');
    if (!channelId) return fail('channel_not_found');
    const blocks = p.blocks as unknown[] | undefined;
    if (!p.text && !blocks) return fail('no_text');
    const refused = refuseMessage(p);
    if (refused) return refused;
    const channel = ws.channel(channelId);
    const threadTs = p.thread_ts === undefined ? undefined : String(p.thread_ts);
    const parent = threadTs ? ws.findMessage(channelId, threadTs) : undefined;
    if (threadTs && !parent) return fail('thread_not_found');
    const message: FakeMessage = {
      ts: ws.nextTs(),
      channel: channelId,
      bot_id: ws.bot.botId,
      user: ws.bot.userId,
      text: String(p.text ?? ''),
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(p.reply_broadcast && String(p.reply_broadcast) !== 'false' ? { reply_broadcast: true } : {}),
      ...(p.metadata ? { metadata: p.metadata as FakeMessage['metadata'] & object } : {}),
      replies: [],
    };
    channel.messages.push(message);
    if (parent) {
      parent.thread_ts = parent.ts;
      parent.replies.push(message.ts);
    }
    this.emit('message', message);
    return ok({ channel: channelId, ts: message.ts, message: this.shape(message, true) });
  }

  /**
   * views.publish: a `home` view for one person (`user_id`), replacing the one before; held to a
   * Home tab's limits (100 blocks, and every block's). Its id stays the person's; its hash changes.
   * Slack documents no refusal of a user id (a person the workspace seeds no profile for is taken).
   */
  private publishHome(p: Record<string, unknown>): Answer {
    const ws = this.workspace;
    const user = String(p.user_id ?? '');
    if (!user)
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: user_id'] },
      });
    const view = p.view;
    if (typeof view !== 'object' || view === null || (view as { type?: unknown }).type !== 'home')
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] must be a home view [json-pointer:/view/type]'] },
      });
    const refused = refuseView(view);
    if (refused) return refused;
    const before = ws.homes.get(user);
    if (p.hash !== undefined && before && p.hash !== before.hash) return fail('hash_conflict');
    const record: FakeView = {
      id: before?.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`,
      hash: `${Date.now()}.${ws.nextId('h')}`,
      user,
      view: view as Record<string, unknown>,
      stack: [],
    };
    ws.homes.set(user, record);
    this.emit('home', record);
    return ok({ view: { ...record.view, id: record.id, hash: record.hash, team_id: ws.team.id } });
  }

  /**
   * users.conversations: the channels a person is in (every channel whose members are not given),
   * paged. Anyone is taken, as views.publish takes anyone: the workspace's seeds are its profiles.
   */
  private conversationsOf(p: Record<string, unknown>): Answer {
    const ws = this.workspace;
    const user = String(p.user ?? '');
    const theirs = [...ws.channels.values()].filter((c) => !c.members || c.members.includes(user));
    const from = Number(p.cursor ?? 0) || 0;
    const limit = Math.min(Number(p.limit ?? 100) || 100, 1000);
    const page = theirs.slice(from, from + limit);
    const next = from + limit < theirs.length ? String(from + limit) : '';
    return ok({
      channels: page.map((c) => ({ id: c.id, name: c.name, is_channel: true, is_member: true })),
      response_metadata: { next_cursor: next },
    });
  }

  private openView(method: string, p: Record<string, unknown>): Answer {
    const ws = this.workspace;
    const triggerId = String(p.trigger_id ?? '');
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return fail('invalid_trigger_id');
    if (trigger.used || Date.now() - trigger.issuedAt > (this.options.triggerTtlMs ?? 3_000))
      return fail('expired_trigger_id');
    const refused = refuseView(p.view);
    if (refused) return refused;
    const view = p.view as Record<string, unknown>;
    trigger.used = true;
    // Slack's view ids are unique across the workspace and over time; so are these.
    const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const record: FakeView = {
      id,
      hash: `${Date.now()}.${ws.nextId('h')}`,
      view,
      stack: [],
      ...(trigger.user ? { user: trigger.user } : {}),
    };
    if (method === 'views.push') {
      const root = [...ws.views.values()].find((v) => v.user === trigger.user && v.stack.length < 3);
      if (root && root.stack.length >= 2) return fail('push_limit_reached');
      root?.stack.push(id);
    }
    ws.views.set(id, record);
    this.emit('view', record);
    return ok({ view: { ...view, id, hash: record.hash, team_id: ws.team.id } });
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return new FakeSlack(options).start();
}
