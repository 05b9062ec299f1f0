/**
 * The worker role: provisioning, region sweeps, notifications and housekeeping started on the
 * workflow system, with their durations, retries and errors in the metrics and the log.
 */
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Notifier } from '../workflow/notifications.js';
import type { WorkerOptions, WorkflowSystem } from '../workflow/system.js';
import type { RedisConnectionWatch } from './redis-connection.js';

export interface WorkerRoleOptions {
  notifier: Notifier;
  metrics: Metrics;
  logger: Logger;
  connection: RedisConnectionWatch;
  lockDurationMs: number;
  /** @defaultValue the workflow system's (60 s) */
  reconcileEveryMs?: number;
  /** @defaultValue the workflow system's (5 minutes) */
  scheduleCheckEveryMs?: number;
}

/** A delivery that failed and will be retried: counted by method and Slack's error, and logged. */
function reportNotificationError(o: WorkerRoleOptions): NonNullable<WorkerOptions['onNotificationError']> {
  return (err, job) => {
    if (!job && o.connection.absorb(err)) return;
    o.metrics.slackRetries.inc();
    const e = err as { code?: string; data?: { error?: string }; name?: string };
    o.metrics.slackErrors.inc({
      method: job?.data.event ?? 'unknown',
      error: e.data?.error ?? e.code ?? e.name ?? 'error',
    });
    o.logger.warn(
      { err, requestId: job?.data.requestId, event: job?.data.event },
      'notification will be retried',
    );
  };
}

export async function startWorkerRole(system: WorkflowSystem, o: WorkerRoleOptions): Promise<void> {
  const { metrics, logger, connection } = o;
  await system.startWorkers({
    notifier: o.notifier,
    lockDurationMs: o.lockDurationMs,
    ...(o.reconcileEveryMs ? { reconcileEveryMs: o.reconcileEveryMs } : {}),
    ...(o.scheduleCheckEveryMs ? { scheduleCheckEveryMs: o.scheduleCheckEveryMs } : {}),
    onScheduleRestored: (cause) =>
      logger.warn({ cause }, 'the reconciler schedule was gone from Redis; made it again'),
    logger: logger.child({ component: 'worker' }),
    onWorker: (worker) =>
      worker.on('completed', (job) => {
        if (job.processedOn && job.finishedOn)
          metrics.jobDuration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
      }),
    // Without a job, the error is the worker's own (its connection, most often), not a job's.
    onJobError: (err, job) => {
      if (!job && connection.absorb(err)) return;
      logger.error({ err, ...(job ? { jobId: job.id } : {}) }, job ? 'job failed' : 'worker error');
    },
    onNotificationError: reportNotificationError(o),
  });
}
