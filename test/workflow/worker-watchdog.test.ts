/**
 * The watchdog that replaces a BullMQ worker which stopped taking jobs (src/workflow/worker-watchdog.ts),
 * on real Redis: replaced once a job has been due for the grace time, left alone while it works
 * through a backlog or nothing is due.
 */
import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { oldestDueAt, watchWorker } from '../../src/workflow/worker-watchdog.js';
import { testRedis } from '../support/redis.js';

const t = testRedis('watchdog');
const connection = t.connect({ maxRetriesPerRequest: null });
const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close().catch(() => {});
  await t.cleanup();
});

function queueNamed(name: string) {
  const queue = new Queue(name, { connection, prefix: t.prefix });
  opened.push(queue);
  return queue;
}

const until = async (what: string, done: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('a worker that stops taking jobs', () => {
  it.each([
    ['waiting', {}],
    ['prioritized', { priority: 1 }],
  ])(
    'is replaced once a job has been due (%s) for the grace time, and the job is done',
    async (state, opts) => {
      const queue = queueNamed(`stuck-${state}`);
      const processed: string[] = [];
      const replaced: number[] = [];
      let started = 0;
      const watched = watchWorker({
        queue,
        // The first worker never takes a job, as one left waiting on a dead connection would not.
        start: () =>
          new Worker(queue.name, async (job) => void processed.push(String(job.id)), {
            connection,
            prefix: t.prefix,
            autorun: started++ > 0,
          }),
        onReplaced: (_fresh, overdueMs) => replaced.push(overdueMs),
        checkEveryMs: 50,
        graceMs: 400,
      });
      opened.push(watched);
      const first = watched.current();
      await queue.add('job', {}, { jobId: 'a', ...opts });
      expect(await queue.getJobState('a')).toBe(state);
      // The new worker may first wait out BullMQ's drain delay (5 s) before it looks: room for two.
      await until('the job to be done', () => processed.includes('a'), 20_000);
      expect(replaced).toHaveLength(1);
      expect(replaced[0]).toBeGreaterThanOrEqual(400);
      expect(watched.current()).not.toBe(first);
      expect(started).toBe(2);
      await first.close(true);
    },
  );

  it('is left alone while it takes its jobs, and while nothing is due', async () => {
    const queue = queueNamed('healthy');
    const processed: string[] = [];
    let started = 0;
    const watched = watchWorker({
      queue,
      start: () => {
        started++;
        return new Worker(
          'healthy',
          async (job) => {
            await new Promise((r) => setTimeout(r, 100));
            processed.push(String(job.id));
          },
          { connection, prefix: t.prefix, concurrency: 1 },
        );
      },
      checkEveryMs: 50,
      // Each of the eight jobs waits its turn behind 100 ms jobs, the last one 800 ms: far past the
      // grace, with room for a busy machine's pauses between one job and the next.
      graceMs: 300,
    });
    opened.push(watched);
    // A worker still connecting has started nothing yet; that is not what this test is about.
    await watched.current().waitUntilReady();
    for (let i = 0; i < 8; i++) await queue.add('job', {}, { jobId: `j${i}` });
    // Not due for a long while: a delayed job alone is no reason to replace anything.
    await queue.add('later', {}, { jobId: 'later', delay: 60_000 });
    await until('every due job to be done', () => processed.length === 8);
    await new Promise((r) => setTimeout(r, 500));
    expect(started).toBe(1);
    expect(await oldestDueAt(queue, Date.now())).toBeUndefined();
    expect(await oldestDueAt(queue, Date.now() + 61_000)).toBeGreaterThan(Date.now());
  });
});
