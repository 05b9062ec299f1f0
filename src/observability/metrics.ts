/**
 * Prometheus metrics served at `/metrics`. One registry per running bot (not prom-client's
 * global one), so several instances in one test process do not collide.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface QueueDepthSource {
  name: string;
  counts(): Promise<Record<string, number>>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({
      register: registry,
      prefix: 'gateway_bot_',
      // The event-loop lag is sampled by a timer; prom-client's 10 ms woke an idle bot 100 times a
      // second (about 1 % of a core doing nothing). A stall worth an alert is far longer than 100 ms.
      eventLoopMonitoringPrecision: 100,
    });
  const queueSources: QueueDepthSource[] = [];

  const metrics = {
    registry,
    requests: new Counter({
      name: 'gateway_requests_total',
      help: 'Requests by resource type, operation, account and outcome (submitted, or the final state reached)',
      labelNames: ['resource', 'operation', 'account', 'outcome'] as const,
      registers: [registry],
    }),
    approvalLatency: new Histogram({
      name: 'gateway_approval_latency_seconds',
      help: 'Time from submission to approval',
      buckets: [10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600],
      registers: [registry],
    }),
    timeToReady: new Histogram({
      name: 'gateway_time_to_ready_seconds',
      help: 'Time from approval to a usable resource, by resource type, operation and account',
      labelNames: ['resource', 'operation', 'account'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'gateway_job_duration_seconds',
      help: 'Duration of one queue job run (one step), by queue',
      labelNames: ['queue'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    cloudCalls: new Counter({
      name: 'gateway_cloud_calls_total',
      help: 'Alibaba Cloud VPC API calls by account, action and result code (OK when it succeeded)',
      labelNames: ['account', 'action', 'code'] as const,
      registers: [registry],
    }),
    cloudCallDuration: new Histogram({
      name: 'gateway_cloud_call_duration_seconds',
      help: 'Alibaba Cloud VPC API call duration by action',
      labelNames: ['action'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    cloudPacing: new Counter({
      name: 'gateway_cloud_pacing_total',
      help: 'Cloud calls by account and by how the rate limiter let them go: immediate, waited, deferred (held back, retried later) or unpaced (Redis unreachable)',
      labelNames: ['account', 'action', 'outcome'] as const,
      registers: [registry],
    }),
    cloudPacingWait: new Histogram({
      name: 'gateway_cloud_pacing_wait_seconds',
      help: 'Time a cloud call waited for its slot under the rate limits, by action',
      labelNames: ['action'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'gateway_slack_api_errors_total',
      help: 'Slack Web API calls that failed, by method and error',
      labelNames: ['method', 'error'] as const,
      registers: [registry],
    }),
    slackRetries: new Counter({
      name: 'gateway_slack_retries_total',
      help: 'Notifications retried after a Slack failure or rate limit',
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'gateway_slack_ack_latency_seconds',
      help: 'Time from receiving a Slack request to acknowledging it, by kind',
      labelNames: ['type'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    addQueue(source: QueueDepthSource) {
      queueSources.push(source);
    },
  };

  new Gauge({
    name: 'gateway_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const source of queueSources) {
        const counts = await source.counts().catch(() => ({}) as Record<string, number>);
        for (const [state, n] of Object.entries(counts)) this.set({ queue: source.name, state }, n);
      }
    },
  });
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
