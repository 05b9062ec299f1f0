/**
 * The runtime's HTTP server: Slack's requests behind the gate (HTTP mode), health, readiness and
 * metrics, and the playground's routes beside them. Ready means: Redis answers; in a bot process,
 * Slack accepted the token; in a worker process, every worker runs.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisClient } from '../redis/index.js';
import {
  type ReadinessCheck,
  type RouteHandler,
  type RunningHttpServer,
  startHttpServer,
} from '../server/http.js';
import type { SlackSurface } from '../slack/app.js';
import { gateSlackRequests, logRefusals } from '../slack/gate.js';
import type { WorkflowSystem } from '../workflow/system.js';

export interface RuntimeHttpOptions {
  metrics: Metrics;
  logger: Logger;
  readiness: ReadinessCheck[];
  /** The Slack surface of a bot process; its requests are served in HTTP mode. */
  slack?: SlackSurface;
  /** @defaultValue every interface */
  host?: string;
  /** Routes served beside the bot's own (the playground). */
  extraRoutes?: RouteHandler;
}

/** What readiness asks: Redis, and what the process's roles need. */
export function readinessChecks(
  redis: RedisClient,
  roles: { slackToken?: ReadinessCheck; workers?: WorkflowSystem },
): ReadinessCheck[] {
  const { workers } = roles;
  return [
    {
      name: 'redis',
      check: async () => (await redis.ping()) === 'PONG',
      why: () => 'Redis does not answer PING (REDIS_URL, or the Sentinels or cluster nodes configured)',
    },
    ...(roles.slackToken ? [roles.slackToken] : []),
    ...(workers
      ? [
          {
            name: 'worker',
            check: async () => workers.currentWorkers().every((w) => w.isRunning()),
            why: () => {
              const stopped = workers.currentWorkers().filter((w) => !w.isRunning()).length;
              return `${stopped} of the process's workers ${stopped === 1 ? 'is' : 'are'} not running (see the log for why it stopped)`;
            },
          },
        ]
      : []),
  ];
}

/** A port the process cannot listen on, said in the setting's name. */
function portProblem(err: unknown, port: number): Error {
  const code = (err as { code?: unknown }).code;
  if (code === 'EADDRINUSE')
    return new Error(
      `PORT ${port} is already in use by another process: stop it, or set PORT to a free port (PORT=0 takes any free one)`,
    );
  if (code === 'EACCES')
    return new Error(
      `PORT ${port} may not be opened by this user (ports below 1024 need privileges): set PORT to 1024 or above`,
    );
  return err instanceof Error ? err : new Error(String(err));
}

export async function serveRuntimeHttp(config: Config, o: RuntimeHttpOptions): Promise<RunningHttpServer> {
  try {
    return await startServing(config, o);
  } catch (err) {
    throw portProblem(err, config.port);
  }
}

function startServing(config: Config, o: RuntimeHttpOptions): Promise<RunningHttpServer> {
  const { metrics } = o;
  return startHttpServer({
    port: config.port,
    ...(o.host ? { host: o.host } : {}),
    ...(o.slack?.requestListener && config.slack.signingSecret
      ? {
          slackEvents: gateSlackRequests(o.slack.requestListener, {
            signingSecret: config.slack.signingSecret,
            onRefused: logRefusals(o.logger.child({ component: 'slack-gate' })),
          }),
        }
      : {}),
    registry: metrics.registry,
    ...(o.extraRoutes ? { extraRoutes: o.extraRoutes } : {}),
    onSlackAnswered: (s) => metrics.ackLatency.observe({ type: 'http' }, s),
    readiness: o.readiness,
  });
}
