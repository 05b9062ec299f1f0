/**
 * Writes that a failover cannot undo. Redis replicates asynchronously: the primary answers a write
 * before its replicas have it, and a replica promoted after the primary died lacks the last ones.
 * A confirmed write is followed by `WAIT <replicas> <timeout>` on the same connection, and the
 * caller goes on only once enough replicas hold it (and everything this connection wrote before).
 *
 * WAIT counts the writes of one connection, and ioredis re-sends unanswered commands after a
 * reconnect — to the new primary, where the WAIT would be answered at once for a write that never
 * reached it. So the confirmation also reads the write back (a version that must be at least the
 * one written): on the same connection that proves nothing more, after a failover it proves the
 * write is on the new primary. The write itself is sent alone, so a cluster's redirections
 * (MOVED, ASK, CLUSTERDOWN) are handled by ioredis as for any command.
 *
 * A write the replicas do not confirm in time is not counted (UnconfirmedWriteError), even when
 * the primary has no replica connected at all: a replica that lost its link may still be the one
 * promoted, without the write. The caller retries instead of acting on it. So the bot writes only
 * while the primary has `replicas` replicas, as a primary with `min-replicas-to-write` does: run one
 * replica more than that, so that one failover still leaves enough.
 */
import type { Cluster, Redis } from 'ioredis';

export interface ConfirmedWritesOptions {
  /** Replicas that must hold a write before it counts (0: do not wait). */
  replicas: number;
  timeoutMs: number;
}

/** Where a write leaves its mark: a hash field holding a version that only grows. */
export interface WriteMark {
  key: string;
  field: string;
  version: number;
}

/** A write reached the primary but was not confirmed by enough replicas, or was lost in a failover. */
export class UnconfirmedWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnconfirmedWriteError';
  }
}

/** A cluster may answer the confirmation with a redirection while its slots move. */
const CONFIRM_ATTEMPTS = 5;
const REDIRECTION = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /;

export class ConfirmedWrites {
  constructor(
    private readonly client: Redis | Cluster,
    private readonly options: ConfirmedWritesOptions,
  ) {}

  /**
   * Runs one write (a single command, so that a cluster's redirections are ioredis's to handle),
   * then its confirmation by the replicas. `markOf` says, from the write's answer, where it left
   * its mark (undefined: nothing was written).
   */
  async run<T>(write: () => Promise<T>, markOf: (answer: T) => WriteMark | undefined): Promise<T> {
    const answer = await write();
    const mark = markOf(answer);
    if (mark && this.options.replicas > 0) await this.confirm(mark);
    return answer;
  }

  private async confirm(mark: WriteMark): Promise<void> {
    const wanted = this.options.replicas;
    for (let attempt = 1; ; attempt++) {
      const results = await this.client
        .pipeline()
        .wait(wanted, this.options.timeoutMs)
        .hget(mark.key, mark.field)
        .exec();
      const [waited, read] = results ?? [];
      const failure = waited?.[0] ?? read?.[0];
      if (failure && REDIRECTION.test(failure.message) && attempt < CONFIRM_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 200 * attempt));
        continue;
      }
      if (failure) throw failure;
      if (!waited || !read) throw new Error('Redis returned no answer to a write confirmation');
      if (!(Number(read[1]) >= mark.version)) {
        throw new UnconfirmedWriteError(
          `Redis lost a write in a failover (${mark.key} is at version ${String(read[1])}, not ${mark.version}); not counted as saved`,
        );
      }
      const acknowledged = Number(waited[1]);
      if (acknowledged < wanted) {
        throw new UnconfirmedWriteError(
          `Redis write confirmed by ${acknowledged} of ${wanted} replica(s) within ${this.options.timeoutMs} ms; not counted as saved`,
        );
      }
      return;
    }
  }
}
