/**
 * What the connection watch tells an operator, from the events of the main connection and the
 * errors queues and workers hand it. The process test (redis-outage) checks the same on a real
 * Redis restart; here the clock is the test's, so the outage's edges are exact.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { RedisClient } from '../../src/redis/index.js';
import { watchRedisConnection } from '../../src/runtime/redis-connection.js';

function watched() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as { level: number; msg: string });
        done();
      },
    }),
  });
  const client = Object.assign(new EventEmitter(), { status: 'ready' });
  let clock = 1_000_000;
  const watch = watchRedisConnection(client as unknown as RedisClient, 'redis://:pw@127.0.0.1:6379', logger, {
    now: () => clock,
  });
  return {
    watch,
    lines,
    lose: () =>
      client.emit(
        'error',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
      ),
    back: () => client.emit('ready'),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const lockLost = () => new Error('Missing lock for job repeat:reconcile:1795651145757. moveToFinished');

describe('the Redis connection watch', () => {
  it('logs an outage once when it starts and once when it ends', () => {
    const w = watched();
    w.lose();
    w.lose();
    w.advance(5_300);
    w.back();
    w.back();
    expect(w.lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'Redis connection lost: requests wait, nothing is lost, retrying until it is back'],
      [30, 'Redis connection back: waiting work resumes'],
    ]);
    expect(w.watch.up).toBe(true);
  });

  it('takes connection errors as the outage, and leaves any other error to the caller', () => {
    const w = watched();
    expect(w.watch.absorb(new Error('Connection is closed.'))).toBe(true);
    expect(w.watch.absorb(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(w.watch.absorb(new Error('ERR syntax error'))).toBe(false);
  });

  it('takes a job lock lost during an outage or just after it as its echo, and not otherwise', () => {
    const w = watched();
    // No outage: a lost lock means a job outlived its lock, which the operator must hear about.
    expect(w.watch.absorb(lockLost())).toBe(false);
    w.lose();
    expect(w.watch.absorb(new Error('could not renew lock for job sweep-cn-hangzhou'))).toBe(true);
    w.advance(5_000);
    w.back();
    // The finish of a job resent by ioredis on the new connection finds the lock it released.
    w.advance(1_000);
    expect(w.watch.absorb(lockLost())).toBe(true);
    // Other errors are not the outage's, even right after it.
    expect(w.watch.absorb(new Error('Missing key for job 7. moveToFinished'))).toBe(false);
    w.advance(30_000);
    expect(w.watch.absorb(lockLost())).toBe(false);
  });
});
