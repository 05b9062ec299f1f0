/**
 * Pipeline throughput with 1, 2 and 4 worker processes: the built bot (ROLE=bot) and N workers
 * (ROLE=worker), each a process of its own, sharing Redis. A batch of customer gateways is
 * submitted and, once every request message is up, approved by clicks; the figure is the batch
 * over the time from the first click to the last request finished.
 */
import { Redis } from 'ioredis';
import type { ResourceRequest } from '../src/workflow/types.js';
import { SlackFlow } from './flow.js';
import { botEnv, quantile, REDIS_URL, r1, startBotProcess, subPrefix } from './support.js';

const REQUESTS = Number(process.env.BENCH_PIPELINE_REQUESTS ?? 300);
const ALONE = 30;
const WORKER_COUNTS = (process.env.BENCH_PIPELINE_WORKERS ?? '1,2,4').split(',').map(Number);

export async function benchPipeline(o: { apiUrl: string; simUrl: string }) {
  const results: Record<string, number | string> = { requests: REQUESTS };
  const redis = new Redis(REDIS_URL);
  try {
    for (const workers of WORKER_COUNTS) {
      const prefix = subPrefix(`pipe${workers}`);
      const bot = await startBotProcess(botEnv({ ...o, prefix, role: 'bot' }));
      const workerProcesses = await Promise.all(
        Array.from({ length: workers }, () => startBotProcess(botEnv({ ...o, prefix, role: 'worker' }))),
      );
      try {
        const flow = new SlackFlow(bot.url, redis, prefix, `C0PIPE${workers}`);
        const requests = await flow.submit(REQUESTS);
        const started = Date.now();
        // Clicks 50 at a time, so that the workers, not the clicking, set the pace.
        await flow.approve(requests, 50);
        const done = await flow.finished(
          requests.map((r) => r.id),
          600_000,
        );
        const seconds = (Math.max(...done.map((r) => r.finishedAt ?? 0)) - started) / 1000;
        const latency = done.map((r) => (r.finishedAt ?? 0) - (r.approvedAt ?? 0));
        results[`workers_${workers}_succeeded`] = done.filter((r) => r.state === 'succeeded').length;
        results[`workers_${workers}_requests_per_s`] = r1(REQUESTS / seconds);
        results[`workers_${workers}_approve_to_done_p50_ms`] = r1(quantile(latency, 0.5));
        results[`workers_${workers}_approve_to_done_p99_ms`] = r1(quantile(latency, 0.99));
        process.stderr.write(
          `bench: pipeline, ${workers} worker process(es): ${REQUESTS} requests in ${r1(seconds)} s\n`,
        );
        if (workers === 1) {
          // One request at a time: what the bot adds (store, queue, notification) to a cloud that answers at once.
          const alone: number[] = [];
          for (let i = 0; i < ALONE; i++) {
            const [request] = await flow.submit(1);
            await flow.approve([request as ResourceRequest]);
            const [r] = await flow.finished([(request as ResourceRequest).id], 30_000);
            alone.push((r?.finishedAt ?? 0) - (r?.approvedAt ?? 0));
          }
          results.alone_approve_to_done_p50_ms = r1(quantile(alone, 0.5));
          results.alone_approve_to_done_p99_ms = r1(quantile(alone, 0.99));
        }
      } finally {
        await Promise.all([bot, ...workerProcesses].map((p) => p.stop()));
      }
    }
  } finally {
    redis.disconnect();
  }
  return results;
}
