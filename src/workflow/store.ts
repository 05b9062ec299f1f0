/**
 * The request store: durable records in Redis with atomic compare-and-set updates and an
 * append-only audit trail. Every write goes through one Lua script that checks the version it
 * read, so two approvers clicking at once (or a double click, or a Slack retry) produce exactly
 * one transition; the loser re-reads and is told why it lost.
 *
 * All keys share the configured hash tag prefix (`{gw}`), so the script also works on Redis Cluster.
 * With `replicaAcks`, a commit returns only once that many replicas hold it (see ConfirmedWrites).
 */
import type { Text } from '../i18n/index.js';
import { ConfirmedWrites, type ConfirmedWritesOptions, type RedisClient } from '../redis/index.js';
import { canMove } from './state-machine.js';
import { ACTIVE_STATES, type AuditEvent, type GatewayRequest, type RequestState } from './types.js';

const COMMIT_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '0' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'version', ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('XADD', KEYS[3], '*', 'event', ARGV[4])
if ARGV[5] == '1' then redis.call('SADD', KEYS[4], ARGV[8]) else redis.call('SREM', KEYS[4], ARGV[8]) end
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[5], ARGV[6], ARGV[8]) else redis.call('ZREM', KEYS[5], ARGV[8]) end
if ARGV[7] ~= '' then redis.call('ZADD', KEYS[6], ARGV[7], ARGV[8]) end
if ARGV[9] ~= '' then redis.call('SET', KEYS[7], ARGV[8]) end
redis.call('ZADD', KEYS[8], ARGV[10], ARGV[8])
return 1
`;

const AUDIT_SCRIPT = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('XADD', KEYS[2], '*', 'event', ARGV[1])
return 1
`;

/** Why an action was refused, in both languages; `code` is stable for tests and the audit trail. */
export interface Refusal {
  code: string;
  message: Text;
}

export type Decision =
  | { kind: 'apply'; next: GatewayRequest; action?: string; details?: AuditEvent['details'] }
  | { kind: 'refuse'; refusal: Refusal; details?: AuditEvent['details'] }
  /** Nothing to do and nothing worth auditing (for example a step already taken). */
  | { kind: 'skip' };

export type UpdateResult =
  | { ok: true; request: GatewayRequest; previous: GatewayRequest }
  | { ok: false; refusal: Refusal; request: GatewayRequest }
  | { ok: false; skipped: true; request: GatewayRequest };

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
  onCommit?: (request: GatewayRequest, previous: GatewayRequest | undefined) => void;
  /** Replicas that must confirm each commit before it counts. @defaultValue none */
  replicaAcks?: ConfirmedWritesOptions;
}

/** Attempts before giving up on a hot record; each loss means another writer made progress. */
const MAX_CAS_ATTEMPTS = 100;

export class RequestStore {
  private readonly redis: RedisClient;
  private readonly writes: ConfirmedWrites;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly onCommit: RequestStoreOptions['onCommit'];

  constructor(options: RequestStoreOptions) {
    this.redis = options.redis;
    this.writes = new ConfirmedWrites(options.redis, options.replicaAcks ?? { replicas: 0, timeoutMs: 0 });
    this.prefix = options.prefix;
    this.now = options.now ?? Date.now;
    this.onCommit = options.onCommit;
  }

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async get(id: string): Promise<GatewayRequest | undefined> {
    const data = await this.redis.hget(this.key('req', id), 'data');
    return data === null ? undefined : (JSON.parse(data) as GatewayRequest);
  }

  async mustGet(id: string): Promise<GatewayRequest> {
    const request = await this.get(id);
    if (!request) throw new RequestNotFoundError(id);
    return request;
  }

  async getByGatewayId(gatewayId: string): Promise<GatewayRequest | undefined> {
    const id = await this.redis.get(this.key('gateway', gatewayId));
    return id === null ? undefined : this.get(id);
  }

  /** Stores a new request; false when the id is already taken (a retried submission). */
  async create(request: GatewayRequest, actor: string): Promise<boolean> {
    const stored = { ...request, version: 1 };
    const created = await this.commit('0', stored, {
      requestId: request.id,
      at: this.now(),
      actor,
      action: 'submitted',
      to: request.state,
      details: { kind: request.kind, paramsHash: request.paramsHash },
    });
    if (created) this.onCommit?.(stored, undefined);
    return created;
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
    decide: (current: GatewayRequest) => Decision,
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
      const { next } = decision;
      if (!canMove(current.state, next.state)) {
        throw new Error(`Illegal transition ${current.state} → ${next.state} for ${id}`);
      }
      const stored: GatewayRequest = { ...next, version: current.version + 1, updatedAt: this.now() };
      const event: AuditEvent = {
        requestId: id,
        at: stored.updatedAt,
        actor,
        action: decision.action ?? action,
        from: current.state,
        to: stored.state,
        ...(decision.details ? { details: decision.details } : {}),
      };
      if (await this.commit(String(current.version), stored, event)) {
        this.onCommit?.(stored, current);
        return { ok: true, request: stored, previous: current };
      }
    }
    throw new Error(`Could not update ${id}: too much contention`);
  }

  /** Records an action that changed nothing (a refused click, a skipped duplicate). */
  async appendAudit(event: AuditEvent): Promise<void> {
    await this.redis.eval(
      AUDIT_SCRIPT,
      2,
      this.key('audit', event.requestId),
      this.key('audit'),
      JSON.stringify(event),
    );
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

  /**
   * Provisioning VPN gateways being watched in a region: one sweep of the region's gateway list
   * answers for all of them. `fresh` marks a newly added one, so the sweep restarts its backoff.
   */
  async watch(regionId: string, requestId: string): Promise<void> {
    await this.redis
      .multi()
      .sadd(this.key('watch', regionId), requestId)
      .set(this.key('watch', regionId, 'fresh'), '1')
      .sadd(this.key('watch-regions'), regionId)
      .exec();
  }

  async unwatch(regionId: string, requestId: string): Promise<void> {
    await this.redis.srem(this.key('watch', regionId), requestId);
  }

  async watched(regionId: string): Promise<string[]> {
    return this.redis.smembers(this.key('watch', regionId));
  }

  /** True once after a gateway was added to the region's watch list. */
  async takeWatchFresh(regionId: string): Promise<boolean> {
    return (await this.redis.getdel(this.key('watch', regionId, 'fresh'))) !== null;
  }

  /** Ids of requests the worker owns (approved, creating, provisioning). */
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

  /** Most recent requests typed in a channel, newest first. */
  async recentInChannel(channelId: string, limit = 10): Promise<GatewayRequest[]> {
    const ids = await this.redis.zrevrange(this.key('channel', channelId), 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is GatewayRequest => r !== undefined);
  }

  private async commit(expectedVersion: string, stored: GatewayRequest, event: AuditEvent): Promise<boolean> {
    const state: RequestState = stored.state;
    const result = await this.writes.eval(
      (answer) =>
        answer === 1
          ? { key: this.key('req', stored.id), field: 'version', version: stored.version }
          : undefined,
      COMMIT_SCRIPT,
      8,
      this.key('req', stored.id),
      this.key('audit', stored.id),
      this.key('audit'),
      this.key('active'),
      this.key('pending'),
      this.key('channel', stored.channelId),
      this.key('gateway', stored.cloud.gatewayId ?? '-'),
      this.key('updated'),
      expectedVersion,
      JSON.stringify(stored),
      String(stored.version),
      JSON.stringify(event),
      ACTIVE_STATES.has(state) ? '1' : '0',
      state === 'pending_approval' ? String(stored.expiresAt) : '',
      expectedVersion === '0' ? String(stored.createdAt) : '',
      stored.id,
      stored.cloud.gatewayId ?? '',
      String(stored.updatedAt),
    );
    return result === 1;
  }
}
