/**
 * What the runtime counts and logs of the workflow in every role: requests by outcome and their
 * latencies (at each committed write), and each queue's depth and errors (an error that belongs to
 * a Redis outage is left to the outage's two log lines).
 */
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { WorkflowSystem, WorkflowSystemOptions } from '../workflow/system.js';
import { FINAL_STATES } from '../workflow/types.js';
import type { RedisConnectionWatch } from './redis-connection.js';

/** The store's `onCommit`: submissions, final states, approval latency and time to ready. */
export function countRequests(metrics: Metrics): NonNullable<WorkflowSystemOptions['onCommit']> {
  return (request, previous) => {
    const labels = { resource: request.resource, operation: request.operation, account: request.account };
    if (!previous) metrics.requests.inc({ ...labels, outcome: 'submitted' });
    if (!previous || previous.state === request.state) return;
    if (FINAL_STATES.has(request.state)) metrics.requests.inc({ ...labels, outcome: request.state });
    if (request.state === 'approved')
      metrics.approvalLatency.observe((Date.now() - request.createdAt) / 1000);
    if (request.state === 'succeeded' && request.approvedAt) {
      metrics.timeToReady.observe(labels, (Date.now() - request.approvedAt) / 1000);
    }
  };
}

/** Each queue's depth in the metrics, and its errors in the log. */
export function watchQueues(
  system: WorkflowSystem,
  metrics: Metrics,
  connection: RedisConnectionWatch,
  logger: Logger,
): void {
  for (const q of Object.values(system.queues)) {
    metrics.addQueue({ name: q.name, counts: () => q.getJobCounts() });
    q.on('error', (err) => {
      if (!connection.absorb(err))
        logger.warn({ err: { message: err.message }, queue: q.name }, 'queue error');
    });
  }
}
