/**
 * The request store: durable records in Redis with atomic compare-and-set updates and an
 * append-only audit trail. Every write goes through one Lua command (lua/commit.lua) that checks
 * the version it read, so two approvers clicking at once (or a double click, or a Slack retry)
 * produce exactly one transition; the loser re-reads and is told why it lost. The same command
 * keeps the indexes (active, pending, per channel, per requester, by cloud id, by time, tunnels
 * down) and the claims that keep two live requests from asking for the same unique value (one IP
 * per region).
 *
 * All keys share the configured hash tag prefix (`{gw}`), so the command also works on Redis Cluster.
 * With `replicaAcks`, a commit returns only once that many replicas hold it (see ConfirmedWrites).
 */
import { createHash } from 'node:crypto';
import type { Text } from '../i18n/index.js';
import {
  ConfirmedWrites,
  type ConfirmedWritesOptions,
  luaCommand,
  type RedisClient,
} from '../redis/index.js';
import { findResource } from '../resources/index.js';
import { upgradeRecord } from './record-upgrade.js';
import { canMove } from './state-machine.js';
import {
  ACTIVE_STATES,
  type AuditEvent,
  FINAL_STATES,
  type Person,
  type RequestState,
  type ResourceRequest,
} from './types.js';

type CommitResult = 0 | 1 | string;

/** The one write of a record: compare-and-set on its version, with its audit, indexes and claims. */
const commitCommand = luaCommand({
  name: 'gwCommit',
  file: new URL('./lua/commit.lua', import.meta.url),
  keys: [
    'record',
    'audit',
    'stream',
    'active',
    'pending',
    'channel',
    'byResource',
    'updated',
    'requester',
    'tunnelsDown',
    'live',
  ],
  args: [
    'expectedVersion',
    'data',
    'version',
    'event',
    'active',
    'pendingScore',
    'channelScore',
    'requestId',
    'resourceId',
    'updatedScore',
    'claims',
    'requesterScore',
    'requesterKeep',
    'tunnelsDownScore',
    'liveScore',
    'takeover',
  ],
  reply: (raw): CommitResult => (typeof raw === 'string' ? raw : raw === 1 ? 1 : 0),
});

/** An action that changed nothing, in the request's trail and everyone's. */
const auditCommand = luaCommand({
  name: 'gwAudit',
  file: new URL('./lua/audit.lua', import.meta.url),
  keys: ['audit', 'stream'],
  args: ['event'],
  reply: () => undefined,
});

/**
 * Refused actions in one round trip, each counted in its tally (person, request, action, reason):
 * the first of an interval recorded and answered, the others added to its count (lua/refuse.lua).
 */
const refuseCommand = luaCommand({
  name: 'gwRefuse',
  file: new URL('./lua/refuse.lua', import.meta.url),
  keys: ['stream'],
  args: ['intervalMs'],
  reply: (raw): RefusalTally[] =>
    (raw as number[][]).map(([first, times, beforeTimes, beforeSince]) => ({
      first: first === 1,
      times: Number(times),
      ...(first === 1 && Number(beforeTimes) > 1
        ? { before: { times: Number(beforeTimes), since: Number(beforeSince) } }
        : {}),
    })),
});

/** A created resource put in the live index where its request still speaks for it (lua/live-backfill.lua). */
const liveBackfillCommand = luaCommand({
  name: 'gwLiveBackfill',
  file: new URL('./lua/live-backfill.lua', import.meta.url),
  keys: ['byResource', 'live'],
  args: ['requestId', 'liveScore'],
  reply: (raw): number => Number(raw),
});

/** Requests read at once while the live index is filled in. */
const BACKFILL_BATCH = 500;

/** How many refusals are recorded together at most. */
const REFUSAL_BATCH_MAX = 100;

/**
 * How long the refusals of one person, on one request, of one action for one reason, count as
 * repeats of the first: that one is recorded and answered, the repeats only counted in its audit
 * event. A person who clicks again within half a minute has the private answer in front of them
 * (or is a script); a flood is answered twice a minute at most, whatever its rate, and a person
 * who comes back later is told again.
 */
export const REFUSAL_INTERVAL_MS = 30_000;

/** Where a refusal was counted: whether it is the one to answer, and the count it is part of. */
export interface RefusalTally {
  /**
   * The first of its interval: recorded in the audit trail (on a request that exists), and the one
   * to answer and to log. Otherwise a repeat: counted in that event, and neither answered nor logged.
   */
  first: boolean;
  /** Refusals counted in this interval so far, this one included. */
  times: number;
  /** On the first of an interval: the interval just before it, when it counted more than one. */
  before?: { times: number; since: number };
}

/** What a refusal that is no repeat carries: one refusal, nothing before it (a state change refused once). */
export const FIRST_REFUSAL: RefusalTally = { first: true, times: 1 };

interface WaitingRefusal {
  event: AuditEvent;
  audit: boolean;
  counted: (tally: RefusalTally) => void;
  failed: (err: unknown) => void;
}

/** Why an action was refused, in both languages; `code` is stable for tests and the audit trail. */
export interface Refusal {
  code: string;
  message: Text;
}

export type Decision =
  | { kind: 'apply'; next: ResourceRequest; action?: string; details?: AuditEvent['details'] }
  | { kind: 'refuse'; refusal: Refusal; details?: AuditEvent['details'] }
  /** Nothing to do and nothing worth auditing (for example a step already taken). */
  | { kind: 'skip' };

export type UpdateResult =
  | { ok: true; request: ResourceRequest; previous: ResourceRequest }
  | { ok: false; refusal: Refusal; request: ResourceRequest; tally: RefusalTally }
  | { ok: false; skipped: true; request: ResourceRequest };

export type CreateResult =
  /** Stored now, as stored (version 1). */
  | { ok: true; created: true; request: ResourceRequest }
  /** The id was taken already: a retried submission. */
  | { ok: true; created: false }
  /** A live request already claims one of this request's unique values. */
  | { ok: false; conflict: { param: string; requestId: string } };

export class RequestNotFoundError extends Error {
  constructor(readonly requestId: string) {
    super(`No request ${requestId}`);
    this.name = 'RequestNotFoundError';
  }
}

export interface RequestStoreOptions {
  redis: RedisClient;
  /** Key prefix with a hash tag, e.g. `{gw}` or a unique one per test file. */
  prefix: string;
  now?: () => number;
  /** Called after every committed write (for metrics); never for a refused or lost one. */
  onCommit?: (request: ResourceRequest, previous: ResourceRequest | undefined) => void;
  /** Replicas that must confirm each commit before it counts. @defaultValue none */
  replicaAcks?: ConfirmedWritesOptions;
  /**
   * How long a refusal's repeats are counted in its first's event (see {@link RequestStore.refuse}).
   * @defaultValue {@link REFUSAL_INTERVAL_MS}
   */
  refusalIntervalMs?: number;
}

/** Attempts before giving up on a hot record; each loss means another writer made progress. */
const MAX_CAS_ATTEMPTS = 100;

/** Secrets are kept only until the create call succeeded, or until the request ends without one. */
function withoutSpentSecrets(request: ResourceRequest): ResourceRequest {
  if (request.secrets === undefined) return request;
  if (request.state !== 'provisioning' && !FINAL_STATES.has(request.state)) return request;
  const { secrets: _spent, ...rest } = request;
  return rest;
}

/**
 * The cloud id a request is found by (`/gateway status vpn-…`): what a create made; what a delete
 * removed or an adoption took over only once it is done, so a rejected or failed one leaves the id
 * to the request that had it.
 */
function indexedResourceId(request: ResourceRequest): string {
  // A key rotation leaves the id to the creation (or adoption) that made it the bot's.
  if (request.operation === 'rotate_key') return '';
  if ((request.operation === 'delete' || request.operation === 'adopt') && request.state !== 'succeeded')
    return '';
  return request.cloud.resourceId ?? '';
}

/**
 * The write by which a deletion or an adoption succeeds: the cloud id is its from then on, whoever
 * held it. Only that write: a later one (a health look) takes nothing back.
 */
function takesOver(request: ResourceRequest, before: ResourceRequest | undefined): boolean {
  return (
    (request.operation === 'delete' || request.operation === 'adopt') &&
    request.state === 'succeeded' &&
    before?.state !== 'succeeded'
  );
}

/** A create or an adoption that succeeded: the request that makes its resource the bot's to follow. */
function makesItTheBots(request: ResourceRequest): boolean {
  return (
    (request.operation === 'create' || request.operation === 'adopt') &&
    request.state === 'succeeded' &&
    request.cloud.resourceId !== undefined
  );
}

/** A person's requests kept in their index (`recentByRequester`): the newest, enough for a page of them. */
export const REQUESTER_INDEX_KEEP = 50;

/**
 * When a created resource was last recorded with part of it down (a connection's tunnel not up, as
 * its declaration judges the stored facts: `settle.down`), or undefined when nothing is down.
 * The index it feeds holds only created resources of a type that settles, so it stays as small as
 * the resources whose tunnels are down.
 */
function downSince(request: ResourceRequest): number | undefined {
  if (!makesItTheBots(request)) return undefined;
  const down = findResource(request.resource)?.settle?.down?.(request.cloud.facts) ?? [];
  return down.length > 0 ? (healthDownSince(request) ?? request.settle?.at ?? request.updatedAt) : undefined;
}

/** Since when a part the health sweep follows was confirmed down (its earliest, if several). */
function healthDownSince(request: ResourceRequest): number | undefined {
  const down = Object.values(request.health?.parts ?? {}).filter((p) => !p.up);
  return down.length > 0 ? Math.min(...down.map((p) => p.since)) : undefined;
}

/**
 * When a resource the bot created or adopted (and has not deleted since) became its; undefined for
 * any other request.
 */
function liveSince(request: ResourceRequest): number | undefined {
  if (!makesItTheBots(request)) return undefined;
  return request.finishedAt ?? request.updatedAt;
}

/** Succeeded, and watched on until its resource settles: the reconciler looks after it too. */
function settling(request: ResourceRequest): boolean {
  return request.state === 'succeeded' && request.settle !== undefined && !request.settle.outcome;
}

export class RequestStore {
  private readonly redis: RedisClient;
  private readonly writes: ConfirmedWrites;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly onCommit: RequestStoreOptions['onCommit'];
  private readonly refusalIntervalMs: number;
  /** Refusals waiting to be written together (refuse). */
  private waitingRefusals: WaitingRefusal[] = [];
  private refusalWrite: NodeJS.Immediate | undefined;

  constructor(options: RequestStoreOptions) {
    // Defined once per connection; ioredis sends EVALSHA and falls back to EVAL after a restart.
    for (const command of [commitCommand, auditCommand, refuseCommand]) command.defineOn(options.redis);
    this.redis = options.redis;
    this.writes = new ConfirmedWrites(options.redis, options.replicaAcks ?? { replicas: 0, timeoutMs: 0 });
    this.prefix = options.prefix;
    this.now = options.now ?? Date.now;
    this.onCommit = options.onCommit;
    this.refusalIntervalMs = options.refusalIntervalMs ?? REFUSAL_INTERVAL_MS;
  }

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async get(id: string): Promise<ResourceRequest | undefined> {
    const data = await this.redis.hget(this.key('req', id), 'data');
    return data === null ? undefined : upgradeRecord(JSON.parse(data) as Record<string, unknown>);
  }

  async mustGet(id: string): Promise<ResourceRequest> {
    const request = await this.get(id);
    if (!request) throw new RequestNotFoundError(id);
    return request;
  }

  /** The request that created (or asked for) a cloud resource, by the cloud's id. */
  async getByResourceId(resourceId: string): Promise<ResourceRequest | undefined> {
    // Records written before resource types were generalised are indexed under `gateway:`.
    const id =
      (await this.redis.get(this.key('resource', resourceId))) ??
      (await this.redis.get(this.key('gateway', resourceId)));
    return id === null ? undefined : this.get(id);
  }

  /**
   * Claim keys of a request's unique values (hashed: a value may contain anything): each unique
   * set of its resource type for a create, the resource itself for an operation on an existing one
   * (a delete, a key rotation). `param` is the field
   * a conflict is shown on (the last of a set).
   */
  private claimKeys(request: ResourceRequest): { param: string; key: string }[] {
    const digest = (parts: unknown[]) =>
      this.key('claim', createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32));
    const region = request.params.RegionId;
    if (request.operation !== 'create') {
      // One open operation per existing resource, whichever it is: a key rotation and a deletion of
      // the same resource claim the same key (named `delete`, as it was before there were others).
      const id = request.cloud.resourceId;
      return id ? [{ param: 'id', key: digest([request.resource, region, 'delete', id]) }] : [];
    }
    const sets = findResource(request.resource)?.unique ?? [];
    return sets
      .filter((set) => set.every((param) => request.params[param] !== undefined))
      .map((set) => {
        const param = set[set.length - 1] ?? '';
        // A single parameter keeps the key it always had, so live claims survive an upgrade. A set
        // is claimed by its values alone: the same customer gateway claims the same key whichever
        // field (single tunnel, tunnel 1, tunnel 2) names it.
        const parts =
          set.length === 1
            ? [request.resource, region, param, request.params[param]]
            : [request.resource, region, 'set', set.map((p) => request.params[p])];
        return { param, key: digest(parts) };
      });
  }

  /**
   * Stores a new request. `created: false` when the id is already taken (a retried submission);
   * a conflict when a live request already asks for one of its unique values.
   */
  async create(request: ResourceRequest, actor: string): Promise<CreateResult> {
    const stored = { ...request, version: 1 };
    const result = await this.commit('0', stored, {
      requestId: request.id,
      at: this.now(),
      actor,
      action: 'submitted',
      to: request.state,
      details: {
        operation: request.operation,
        resource: request.resource,
        account: request.account,
        paramsHash: request.paramsHash,
        // What the approvers will see of the cloud: each check and its outcome.
        ...(request.preflight
          ? { preflight: request.preflight.checks.map((c) => `${c.id}=${c.outcome}`).join(',') }
          : {}),
      },
    });
    if (result === 1) {
      this.onCommit?.(stored, undefined);
      return { ok: true, created: true, request: stored };
    }
    if (result === 0) return { ok: true, created: false };
    const claims = this.claimKeys(request);
    const holders = await Promise.all(claims.map((c) => this.redis.get(c.key)));
    const index = holders.indexOf(result);
    return { ok: false, conflict: { param: claims[Math.max(0, index)]?.param ?? '', requestId: result } };
  }

  /**
   * Reads, decides and writes atomically: `decide` sees the current record and returns the next
   * one, a refusal, or skip. On a lost race it runs again on the fresh record, so a decision is
   * always made against what is really stored.
   */
  async update(
    id: string,
    by: string | Person,
    action: string,
    decide: (current: ResourceRequest) => Decision,
  ): Promise<UpdateResult> {
    // A person's name goes into the trail beside their id, for its readers.
    const actor = typeof by === 'string' ? by : by.userId;
    const named = typeof by !== 'string' && by.name ? { actorName: by.name } : {};
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.mustGet(id);
      const decision = decide(current);
      if (decision.kind === 'skip') return { ok: false, skipped: true, request: current };
      if (decision.kind === 'refuse') {
        const tally = await this.refuse({
          requestId: id,
          at: this.now(),
          actor,
          ...named,
          action,
          from: current.state,
          refused: decision.refusal.code,
          ...(decision.details ? { details: decision.details } : {}),
        });
        return { ok: false, refusal: decision.refusal, request: current, tally };
      }
      if (!canMove(current.state, decision.next.state)) {
        throw new Error(`Illegal transition ${current.state} → ${decision.next.state} for ${id}`);
      }
      const stored: ResourceRequest = withoutSpentSecrets({
        ...decision.next,
        version: current.version + 1,
        updatedAt: this.now(),
      });
      const event: AuditEvent = {
        requestId: id,
        at: stored.updatedAt,
        actor,
        ...named,
        action: decision.action ?? action,
        from: current.state,
        to: stored.state,
        ...(decision.details ? { details: decision.details } : {}),
      };
      if ((await this.commit(String(current.version), stored, event, current)) === 1) {
        this.onCommit?.(stored, current);
        return { ok: true, request: stored, previous: current };
      }
    }
    throw new Error(`Could not update ${id}: too much contention`);
  }

  /** Records an action that changed nothing (a refused click, a skipped duplicate). */
  async appendAudit(event: AuditEvent): Promise<void> {
    await auditCommand.run(this.redis, {
      keys: { audit: this.key('audit', event.requestId), stream: this.key('audit') },
      args: { event: JSON.stringify(event) },
    });
  }

  /**
   * Records a refused action, at most once an interval per person, request, action and reason
   * (`actor`, `requestId`, `action`, `refused`), on any process: the first refusal of an interval
   * is written to its request's audit trail and is the one to answer; the repeats within the
   * interval add to the count that event carries (`times`, `lastAt`), so what a burst of clicks
   * costs in Redis, in the trail and in Slack does not grow with its length. Nothing is written to
   * a trail for an id no request has (a forged or mistyped one), but the refusal is counted all the
   * same, so a refused person is answered alike whether or not the request exists. `audit: false`
   * counts without recording (a click that had nothing to do).
   *
   * Resolves once written. Refusals that arrive together (read in the same turn of the event loop,
   * as a busy channel's refused clicks are) are written in one round trip, sent as soon as that
   * turn's input is handled; each caller still waits for its own.
   */
  refuse(event: AuditEvent & { refused: string }, o: { audit?: boolean } = {}): Promise<RefusalTally> {
    return new Promise((counted, failed) => {
      this.waitingRefusals.push({ event, audit: o.audit ?? true, counted, failed });
      if (this.waitingRefusals.length >= REFUSAL_BATCH_MAX) void this.writeRefusals();
      else this.refusalWrite ??= setImmediate(() => void this.writeRefusals());
    });
  }

  /** A tally's key: the refusal's four parts, hashed (the request id is whatever a click carried). */
  private tallyKey(e: AuditEvent): string {
    const parts = JSON.stringify([e.requestId, e.actor, e.action, e.refused ?? '']);
    return this.key('refused', createHash('sha256').update(parts).digest('hex').slice(0, 32));
  }

  private async writeRefusals(): Promise<void> {
    clearImmediate(this.refusalWrite);
    this.refusalWrite = undefined;
    const batch = this.waitingRefusals.splice(0);
    const keys = batch.flatMap((w) => [
      this.key('req', w.event.requestId),
      this.key('audit', w.event.requestId),
      this.tallyKey(w.event),
    ]);
    try {
      const tallies = await refuseCommand.run(this.redis, {
        keys: { stream: this.key('audit') },
        args: { intervalMs: String(this.refusalIntervalMs) },
        moreKeys: keys,
        moreArgs: batch.flatMap((w) => [
          JSON.stringify(w.event),
          String(w.event.at),
          w.audit ? 'audit' : 'count',
        ]),
      });
      for (const [i, w] of batch.entries()) {
        const tally = tallies[i];
        if (tally) w.counted(tally);
        else w.failed(new Error('the refusal was not counted'));
      }
    } catch (err) {
      for (const w of batch) w.failed(err);
    }
  }

  async auditTrail(id: string): Promise<AuditEvent[]> {
    const rows = await this.redis.lrange(this.key('audit', id), 0, -1);
    return rows.map((row) => JSON.parse(row) as AuditEvent);
  }

  /**
   * The whole audit trail in order, optionally from a time (ms since the epoch). A refusal's entry
   * points at its event in the request's trail, which holds the count of its repeats: that event
   * is read from there, as it stands now.
   */
  async auditSince(sinceMs = 0, limit = 10_000): Promise<AuditEvent[]> {
    const rows = await this.redis.xrange(this.key('audit'), String(sinceMs), '+', 'COUNT', limit);
    const field = (fields: string[], name: string) => {
      const index = fields.indexOf(name);
      return index >= 0 ? fields[index + 1] : undefined;
    };
    const events = rows.flatMap(([, fields]) => {
      const value = field(fields, 'event');
      if (value === undefined) return [];
      const trail = field(fields, 'trail');
      return [
        { event: JSON.parse(value) as AuditEvent, trail: trail === undefined ? undefined : Number(trail) },
      ];
    });
    const counted = events.filter((e) => e.trail !== undefined);
    if (counted.length === 0) return events.map((e) => e.event);
    const pipeline = this.redis.pipeline();
    for (const e of counted) pipeline.lindex(this.key('audit', e.event.requestId), e.trail as number);
    const now = (await pipeline.exec()) ?? [];
    for (const [i, e] of counted.entries()) {
      const [err, value] = now[i] ?? [];
      if (!err && typeof value === 'string') e.event = JSON.parse(value) as AuditEvent;
    }
    return events.map((e) => e.event);
  }

  /** Requests whose resource is being watched in a region: one sweep of the region's list answers for all. */
  /** Watch lists are kept per type and place: the region, in its account (workflow/accounts.ts). */
  async watch(resource: string, place: string, requestId: string): Promise<void> {
    await this.redis.sadd(this.key('watch', resource, place), requestId);
  }

  async unwatch(resource: string, place: string, requestId: string): Promise<void> {
    await this.redis.srem(this.key('watch', resource, place), requestId);
  }

  async watched(resource: string, place: string): Promise<string[]> {
    return this.redis.smembers(this.key('watch', resource, place));
  }

  /** Ids of requests the worker owns (approved, creating, provisioning, and successes still settling). */
  async activeIds(): Promise<string[]> {
    return this.redis.smembers(this.key('active'));
  }

  /** Ids of pending requests whose approval window closed at or before `at`. */
  async expiredPendingIds(at: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('pending'), 0, at);
  }

  /** Ids of requests written between two times (ms), oldest first. */
  async updatedBetween(from: number, to: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('updated'), from, to);
  }

  /** Ids of every request waiting for approval. */
  async pendingIds(): Promise<string[]> {
    return this.redis.zrange(this.key('pending'), 0, -1);
  }

  /** Most recent requests typed in a channel, newest first, and how many there are in all. */
  async recentInChannel(channelId: string, limit = 10): Promise<ResourceRequest[]> {
    const ids = await this.redis.zrevrange(this.key('channel', channelId), 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is ResourceRequest => r !== undefined);
  }

  /** A person's most recent requests (the newest REQUESTER_INDEX_KEEP are indexed), newest first. */
  async recentByRequester(userId: string, limit = 10): Promise<ResourceRequest[]> {
    const ids = await this.redis.zrevrange(this.key('requester', userId), 0, limit - 1);
    return this.getMany(ids);
  }

  /** How many of a person's requests are indexed (at most REQUESTER_INDEX_KEEP). */
  async countByRequester(userId: string): Promise<number> {
    return this.redis.zcard(this.key('requester', userId));
  }

  /**
   * Created resources last recorded with part of them down (a connection's tunnels), the most
   * recently recorded first: their requests, and when each was recorded so.
   */
  async tunnelsDown(limit = 200): Promise<{ request: ResourceRequest; seenAt: number }[]> {
    const rows = await this.redis.zrevrange(this.key('tunnels-down'), 0, limit - 1, 'WITHSCORES');
    const ids = rows.filter((_, i) => i % 2 === 0);
    const records = await this.getMany(ids);
    const seen = new Map(ids.map((id, i) => [id, Number(rows[i * 2 + 1])]));
    return records.map((request) => ({ request, seenAt: seen.get(request.id) ?? request.updatedAt }));
  }

  /**
   * The requests whose resource the bot created and has not deleted since, oldest first (kept by
   * the one write of a record, lua/commit.lua). Records from before the index join it at their next write.
   */
  /**
   * Fills in the live index from the records, once per store (a marker key says it was done): the
   * resources created before the index existed join it without waiting for their next write. Each
   * is added only where its creation still speaks for its cloud id (no deletion since). Returns how
   * many were added.
   */
  async backfillLive(): Promise<number> {
    const marker = this.key('live', 'backfilled');
    if ((await this.redis.exists(marker)) === 1) return 0;
    let added = 0;
    for (let start = 0; ; start += BACKFILL_BATCH) {
      const ids = await this.redis.zrange(this.key('updated'), start, start + BACKFILL_BATCH - 1);
      if (ids.length === 0) break;
      for (const request of await this.getMany(ids)) {
        const since = liveSince(request);
        const resourceId = request.cloud.resourceId;
        if (since === undefined || !resourceId) continue;
        added += await liveBackfillCommand.run(this.redis, {
          keys: { byResource: this.key('resource', resourceId), live: this.key('live') },
          args: { requestId: request.id, liveScore: String(since) },
        });
      }
    }
    // Marked once done: a process stopped halfway leaves it to the next start (adding is idempotent).
    await this.redis.set(marker, String(this.now()));
    return added;
  }

  async liveIds(): Promise<string[]> {
    return this.redis.zrange(this.key('live'), 0, -1);
  }

  /** Several records in one round trip, in the order asked; those gone are left out. */
  async getMany(ids: readonly string[]): Promise<ResourceRequest[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.key('req', id), 'data');
    const rows = (await pipeline.exec()) ?? [];
    return rows.flatMap(([err, data]) =>
      !err && typeof data === 'string' ? [upgradeRecord(JSON.parse(data) as Record<string, unknown>)] : [],
    );
  }

  /** How many requests were ever typed in a channel. */
  async countInChannel(channelId: string): Promise<number> {
    return this.redis.zcard(this.key('channel', channelId));
  }

  /** `before`: the record as read for this write (none for a new one). */
  private async commit(
    expectedVersion: string,
    stored: ResourceRequest,
    event: AuditEvent,
    before?: ResourceRequest,
  ): Promise<CommitResult> {
    const state: RequestState = stored.state;
    const claims = this.claimKeys(stored).map((c) => c.key);
    const claimsMode = expectedVersion === '0' ? 'take' : FINAL_STATES.has(state) ? 'release' : 'keep';
    const keys = {
      record: this.key('req', stored.id),
      audit: this.key('audit', stored.id),
      stream: this.key('audit'),
      active: this.key('active'),
      pending: this.key('pending'),
      channel: this.key('channel', stored.channelId),
      byResource: this.key('resource', stored.cloud.resourceId ?? '-'),
      updated: this.key('updated'),
      requester: this.key('requester', stored.requester.userId),
      tunnelsDown: this.key('tunnels-down'),
      live: this.key('live'),
    };
    const args = {
      expectedVersion,
      data: JSON.stringify(stored),
      version: String(stored.version),
      event: JSON.stringify(event),
      active: ACTIVE_STATES.has(state) || settling(stored) ? '1' : '0',
      pendingScore: state === 'pending_approval' ? String(stored.expiresAt) : '',
      channelScore: expectedVersion === '0' ? String(stored.createdAt) : '',
      requestId: stored.id,
      resourceId: indexedResourceId(stored),
      updatedScore: String(stored.updatedAt),
      claims: claimsMode,
      requesterScore: expectedVersion === '0' ? String(stored.createdAt) : '',
      requesterKeep: String(REQUESTER_INDEX_KEEP),
      tunnelsDownScore: String(downSince(stored) ?? ''),
      liveScore: String(liveSince(stored) ?? ''),
      takeover: takesOver(stored, before) ? '1' : '',
    };
    return this.writes.run(
      () => commitCommand.run(this.redis, { keys, args, moreKeys: claims }),
      // Only a committed write is waited for; a lost race or a claim conflict wrote nothing.
      (answer) =>
        answer === 1
          ? { key: this.key('req', stored.id), field: 'version', version: stored.version }
          : undefined,
    );
  }
}
