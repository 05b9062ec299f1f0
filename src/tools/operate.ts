/**
 * Operator commands that act on the queues, without the bot's Slack or cloud connections:
 *
 *   npm run queues                    job counts of every queue, and the latest failures
 *   npm run redrive -- <request-id | gateway-id>   drive a stuck request on (what the reconciler
 *                                                  does, now); an unknown id exits 1
 *
 * Connects to Redis (REDIS_URL, or Sentinel, or a cluster) and reads REDIS_PREFIX like the bot.
 */
import { ConfigError, loadConfig } from '../config/index.js';
import { exitWhenWritten } from '../observability/exit-when-written.js';
import { checkRedisReachable, connectRedis, RedisUnreachableError } from '../redis/index.js';
import { maintenanceQueue } from '../workflow/maintenance.js';
import { notificationQueue } from '../workflow/notifications.js';
import { provisionQueue } from '../workflow/provisioner.js';
import { createWorkflowSystem } from '../workflow/system.js';
import { watchQueue } from '../workflow/watcher.js';
import { findRequest, unknownIdMessage } from './lookup.js';

async function main([command, ...args]: string[]): Promise<number> {
  const config = loadConfig(process.env);
  await checkRedisReachable(config.redis);
  const redis = connectRedis(config.redis);
  const prefix = config.redis.prefix;
  const queues = [
    provisionQueue(redis, prefix),
    notificationQueue(redis, prefix),
    maintenanceQueue(redis, prefix),
    watchQueue(redis, prefix),
  ] as const;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (command === 'queues') {
      for (const queue of queues) {
        const counts = await queue.getJobCounts(
          'active',
          'waiting',
          'prioritized',
          'delayed',
          'completed',
          'failed',
        );
        out(
          `${queue.name.padEnd(12)} ${Object.entries(counts)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`,
        );
        for (const job of await queue.getFailed(0, 4)) {
          out(`  failed ${job.id}: ${(job.failedReason ?? '').slice(0, 160)} (${job.attemptsMade} attempts)`);
        }
      }
      return 0;
    }
    if (command === 'redrive' && args[0]) {
      const system = createWorkflowSystem({
        redis,
        prefix,
        policy: config.approval,
        approvalTtlMs: config.approval.ttlMs,
        polling: config.polling,
      });
      try {
        const request = await findRequest(system.store, args[0]);
        if (!request) {
          process.stderr.write(`${unknownIdMessage(args[0], prefix)}\n`);
          return 1;
        }
        out(await system.maintenance.redrive(request.id));
      } finally {
        await system.close();
      }
      return 0;
    }
    process.stderr.write('usage: npm run queues | npm run redrive -- <request-id | resource-id>\n');
    return 2;
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => exitWhenWritten(code),
  (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof RedisUnreachableError;
    process.stderr.write(`${known ? err.message : `failed: ${(err as Error).message}`}\n`);
    return exitWhenWritten(err instanceof ConfigError ? 2 : 1);
  },
);
