/**
 * Writes that a failover cannot undo. Redis replicates asynchronously: the primary answers a write
 * before its replicas have it, and a replica promoted after the primary died lacks the last ones.
 * A confirmed write is sent with `WAIT <replicas> <timeout>` behind it on the same connection
 * (in one pipeline, so a cluster sends both to the slot's primary), and the caller goes on only
 * once enough replicas hold it — and everything this connection wrote before it.
 *
 * When the primary has fewer replicas connected than asked for (just after a failover, before the
 * old primary is back as a replica), no wait could succeed and no lagging copy can be promoted:
 * the write goes on with as many as there are, `onReplicasMissing` says so, and the count is
 * checked again every second. When replicas are connected but do not confirm in time, the write
 * is not confirmed: ReplicationTimeoutError, so the caller retries instead of acting on it.
 */
import type { Cluster, Redis } from 'ioredis';

export interface ConfirmedWritesOptions {
  /** Replicas that must hold a write before it counts (0: do not wait). */
  replicas: number;
  timeoutMs: number;
  /** Called when the primary has fewer replicas than `replicas`, and again when they are back. */
  onReplicasMissing?: (connected: number, wanted: number) => void;
}

/** A write reached the primary but not enough replicas in time; it may be lost in a failover. */
export class ReplicationTimeoutError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly wanted: number,
    timeoutMs: number,
  ) {
    super(
      `Redis write confirmed by ${acknowledged} of ${wanted} replica(s) within ${timeoutMs} ms; not counted as saved`,
    );
    this.name = 'ReplicationTimeoutError';
  }
}

const RECHECK_MS = 1_000;

export class ConfirmedWrites {
  /** Replicas connected at the last check, while fewer than wanted; undefined while all are there. */
  private connected: number | undefined;
  private checkedAt = 0;

  constructor(
    private readonly client: Redis | Cluster,
    private readonly options: ConfirmedWritesOptions,
  ) {}

  /** EVAL of a script (ioredis's arguments), confirmed by the replicas; resolves with the script's answer. */
  async eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
    const routingKey = String(keysAndArgs[0] ?? '');
    const wanted = await this.target(routingKey);
    if (wanted === 0) return this.client.eval(script, numKeys, ...keysAndArgs);
    const results = await this.client
      .pipeline()
      .eval(script, numKeys, ...keysAndArgs)
      .wait(wanted, this.options.timeoutMs)
      .exec();
    const [written, waited] = results ?? [];
    if (!written || !waited) throw new Error('Redis returned no answer to a pipelined write');
    if (written[0]) throw written[0];
    if (waited[0]) throw waited[0];
    const acknowledged = Number(waited[1]);
    if (acknowledged < wanted) await this.shortfall(routingKey, acknowledged, wanted);
    return written[1];
  }

  private async target(routingKey: string): Promise<number> {
    const wanted = this.options.replicas;
    if (wanted === 0 || this.connected === undefined) return wanted;
    if (Date.now() - this.checkedAt >= RECHECK_MS) await this.refresh(routingKey);
    return Math.min(wanted, this.connected ?? wanted);
  }

  private async shortfall(routingKey: string, acknowledged: number, wanted: number): Promise<void> {
    await this.refresh(routingKey);
    const present = Math.min(wanted, this.connected ?? wanted);
    if (acknowledged >= present) return;
    throw new ReplicationTimeoutError(acknowledged, wanted, this.options.timeoutMs);
  }

  /** Asks the primary (of the routing key's slot, on a cluster) how many replicas are connected. */
  private async refresh(routingKey: string): Promise<void> {
    const results = await this.client.pipeline().exists(routingKey).role().exec();
    const role = results?.[1]?.[1];
    this.checkedAt = Date.now();
    if (!Array.isArray(role) || role[0] !== 'master') return;
    const connected = Array.isArray(role[2]) ? role[2].length : 0;
    const wanted = this.options.replicas;
    const before = this.connected;
    this.connected = connected < wanted ? connected : undefined;
    if (before !== this.connected) this.options.onReplicasMissing?.(connected, wanted);
  }
}
