/**
 * The request store: durable records in Redis with atomic compare-and-set updates and an
 * append-only audit trail. Every write goes through one Lua command (lua/commit.lua) that checks
 * the version it read, so two approvers clicking at once (or a double click, or a Slack retry)
 * produce exactly one transition; the loser re-reads and is told why it lost. The same command
 * keeps the indexes (active, pending, per channel, by cloud id, by time) and the claims that keep
 * two live requests from asking for the same unique value (one IP per region).
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
  type RequestState,
  type ResourceRequest,
} from './types.js';

type CommitResult = 0 | 1 | string;

/** The one write of a record: compare-and-set on its version, with its audit, indexes and claims. */
const commitCommand = luaCommand({
  name: 'gwCommit',
  file: new URL('./lua/commit.lua', import.meta.url),
  keys: ['record', 'audit', 'stream', 'active', 'pending', 'channel', 'byResource', 'updated'],
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

/** Several refusals in one round trip, each only on a request that exists: recorded or not, per event. */
const auditEachIfExistsCommand = luaCommand({
  name: 'gwAuditEachIfExists',
  file: new URL('./lua/audit-each-if-exists.lua', import.meta.url),
  keys: ['stream'],
  args: [],
  reply: (raw) => (raw as unknown[]).map((one) => one === 1),
});

/** How many refusals are recorded together at most. */
const REFUSAL_BATCH_MAX = 100;

interface WaitingRefusal {
  event: AuditEvent;
  recorded: (yes: boolean) => void;
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
  | { ok: false; refusal: Refusal; request: ResourceRequest }
  | { ok: false; skipped: true; request: ResourceRequest };

export type CreateResult =
  | { ok: true; created: boolean }
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
 * removed only once it is done, so a rejected or failed deletion leaves the id to its creation.
 */
function indexedResourceId(request: ResourceRequest): string {
  if (request.operation === 'delete' && request.state !== 'succeeded') return '';
  return request.cloud.resourceId ?? '';
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
  /** Refusals waiting to be written together (appendAuditIfExists). */
  private waitingRefusals: WaitingRefusal[] = [];
  private refusalWrite: NodeJS.Immediate | undefined;

  constructor(options: RequestStoreOptions) {
    // Defined once per connection; ioredis sends EVALSHA and falls back to EVAL after a restart.
    for (const command of [commitCommand, auditCommand, auditEachIfExistsCommand])
      command.defineOn(options.redis);
    this.redis = options.redis;
    this.writes = new ConfirmedWrites(options.redis, options.replicaAcks ?? { replicas: 0, timeoutMs: 0 });
    this.prefix = options.prefix;
    this.now = options.now ?? Date.now;
    this.onCommit = options.onCommit;
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
   * set of its resource type for a create, the resource itself for a delete. `param` is the field
   * a conflict is shown on (the last of a set).
   */
  private claimKeys(request: ResourceRequest): { param: string; key: string }[] {
    const digest = (parts: unknown[]) =>
      this.key('claim', createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32));
    const region = request.params.RegionId;
    if (request.operation === 'delete') {
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
      return { ok: true, created: true };
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
    actor: string,
    action: string,
    decide: (current: ResourceRequest) => Decision,
  ): Promise<UpdateResult> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.mustGet(id);
      const decision = decide(current);
      if (decision.kind === 'skip') return { ok: false, skipped: true, request: current };
      if (decision.kind === 'refuse') {
        await this.appendAudit({
          requestId: id,
          at: this.now(),
          actor,
          action,
          from: current.state,
          refused: decision.refusal.code,
          ...(decision.details ? { details: decision.details } : {}),
        });
        return { ok: false, refusal: decision.refusal, request: current };
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
        action: decision.action ?? action,
        from: current.state,
        to: stored.state,
        ...(decision.details ? { details: decision.details } : {}),
      };
      if ((await this.commit(String(current.version), stored, event)) === 1) {
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
   * Records a refusal on a request that may not exist: nothing is written for an id no request
   * has (a forged or mistyped one). Resolves once written, true if recorded. Refusals that arrive
   * together (read in the same turn of the event loop, as a busy channel's refused clicks are) are
   * written in one round trip, sent as soon as that turn's input is handled; each caller still
   * waits for its own to be written.
   */
  appendAuditIfExists(event: AuditEvent): Promise<boolean> {
    return new Promise((recorded, failed) => {
      this.waitingRefusals.push({ event, recorded, failed });
      if (this.waitingRefusals.length >= REFUSAL_BATCH_MAX) void this.writeRefusals();
      else this.refusalWrite ??= setImmediate(() => void this.writeRefusals());
    });
  }

  private async writeRefusals(): Promise<void> {
    clearImmediate(this.refusalWrite);
    this.refusalWrite = undefined;
    const batch = this.waitingRefusals.splice(0);
    const keys = batch.flatMap((w) => [
      this.key('req', w.event.requestId),
      this.key('audit', w.event.requestId),
    ]);
    try {
      const recorded = await auditEachIfExistsCommand.run(this.redis, {
        keys: { stream: this.key('audit') },
        args: {},
        moreKeys: keys,
        moreArgs: batch.map((w) => JSON.stringify(w.event)),
      });
      for (const [i, w] of batch.entries()) w.recorded(recorded[i] === true);
    } catch (err) {
      for (const w of batch) w.failed(err);
    }
  }

  async auditTrail(id: string): Promise<AuditEvent[]> {
    const rows = await this.redis.lrange(this.key('audit', id), 0, -1);
    return rows.map((row) => JSON.parse(row) as AuditEvent);
  }

  /** The whole audit trail in order, optionally from a time (ms since the epoch). */
  async auditSince(sinceMs = 0, limit = 10_000): Promise<AuditEvent[]> {
    const rows = await this.redis.xrange(this.key('audit'), String(sinceMs), '+', 'COUNT', limit);
    return rows.flatMap(([, fields]) => {
      const index = fields.indexOf('event');
      const value = index >= 0 ? fields[index + 1] : undefined;
      return value === undefined ? [] : [JSON.parse(value) as AuditEvent];
    });
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

  /** How many requests were ever typed in a channel. */
  async countInChannel(channelId: string): Promise<number> {
    return this.redis.zcard(this.key('channel', channelId));
  }

  private async commit(
    expectedVersion: string,
    stored: ResourceRequest,
    event: AuditEvent,
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
