/**
 * The bot's one HTTP server, in every mode: Slack's requests at `POST /slack/events` (HTTP mode,
 * handed to the Slack surface's gate, slack/gate.ts), `GET /healthz` (the process is up), `GET /readyz` (it can do
 * its job: Redis answers, Slack accepted the token, the worker runs where it should; within a
 * second, whatever they do) and `GET /metrics` (Prometheus).
 * Other routes (the playground) plug in through `extraRoutes`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
  /** What is not ready when the check fails, in words an operator can act on (never a secret). */
  why(): string;
}

/** One check's answer: ready, or why not. */
type Readiness = { ok: true } | { ok: false; why: string };

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpServerOptions {
  port: number;
  host?: string;
  /** What answers `POST /slack/events` (HTTP mode): the Slack surface, behind its gate. */
  slackEvents?: (req: IncomingMessage, res: ServerResponse) => void;
  readiness: ReadinessCheck[];
  /**
   * How long one readiness check may take before it counts as not ready: a probe must get an
   * answer while Redis is frozen, not hang with it. The checks run side by side.
   * @defaultValue 750 ms
   */
  readinessTimeoutMs?: number;
  registry: Registry;
  extraRoutes?: RouteHandler;
  /** Called with the time Slack waited for an answer, for the ack latency metric. */
  onSlackAnswered?: (seconds: number) => void;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** The check's answer, or not ready once `ms` have passed (the check itself is left to finish). */
function withDeadline(check: ReadinessCheck, ms: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `${check.why()} (no answer within ${ms} ms)` }), ms);
  });
  const answer = check.check().then(
    (ok): Readiness => (ok ? { ok } : { ok, why: check.why() }),
    // Only the error's code: a message may carry an address with its password.
    (err: unknown): Readiness => {
      const code = (err as { code?: unknown } | undefined)?.code;
      return { ok: false, why: `${check.why()}${typeof code === 'string' ? ` (${code})` : ''}` };
    },
  );
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/**
 * Slack delivers a whole request in well under a second; a client that takes longer than this to
 * send one holds a socket for nothing (Node's default is 5 minutes).
 */
const REQUEST_TIMEOUT_MS = 15_000;

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const slackListener = options.slackEvents;
  const readinessTimeout = options.readinessTimeoutMs ?? 750;
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/healthz') return send(res, 200, '{"status":"ok"}');
      if (req.method === 'GET' && path === '/readyz') {
        const results = await Promise.all(
          options.readiness.map(async (r) => [r.name, await withDeadline(r, readinessTimeout)] as const),
        );
        const ready = results.every(([, r]) => r.ok);
        const checks = Object.fromEntries(results.map(([name, r]) => [name, r.ok]));
        // What is not ready, and why, for the person reading the probe's answer.
        const notReady = Object.fromEntries(results.flatMap(([name, r]) => (r.ok ? [] : [[name, r.why]])));
        return send(
          res,
          ready ? 200 : 503,
          JSON.stringify({ ready, checks, ...(ready ? {} : { notReady }) }),
        );
      }
      if (req.method === 'GET' && path === '/metrics') {
        return send(res, 200, await options.registry.metrics(), options.registry.contentType);
      }
      if (path === '/slack/events' && slackListener) {
        const started = process.hrtime.bigint();
        // Requests the gate refuses are not acknowledgements; they would flatter the figure.
        res.on('finish', () => {
          if (res.statusCode < 400)
            options.onSlackAnswered?.(Number(process.hrtime.bigint() - started) / 1e9);
        });
        slackListener(req, res);
        return;
      }
      if (options.extraRoutes && (await options.extraRoutes(req, res))) return;
      send(res, 404, '{"error":"not_found"}');
    } catch {
      if (!res.headersSent) send(res, 500, '{"error":"internal_error"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
