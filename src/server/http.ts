/**
 * The bot's one HTTP server, in every mode: Slack's requests at `POST /slack/events` (HTTP mode),
 * `GET /healthz` (the process is up), `GET /readyz` (it can do its job: Redis answers, Slack
 * accepted the token, the worker runs where it should) and `GET /metrics` (Prometheus).
 * Other routes (the playground) plug in through `extraRoutes`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpServerOptions {
  port: number;
  host?: string;
  slackListener?: (req: IncomingMessage, res: ServerResponse) => void;
  readiness: ReadinessCheck[];
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

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/healthz') return send(res, 200, '{"status":"ok"}');
      if (req.method === 'GET' && path === '/readyz') {
        const results = await Promise.all(
          options.readiness.map(async (r) => [r.name, await r.check().catch(() => false)] as const),
        );
        const ready = results.every(([, ok]) => ok);
        return send(res, ready ? 200 : 503, JSON.stringify({ ready, checks: Object.fromEntries(results) }));
      }
      if (req.method === 'GET' && path === '/metrics') {
        return send(res, 200, await options.registry.metrics(), options.registry.contentType);
      }
      if (path === '/slack/events' && options.slackListener) {
        const started = process.hrtime.bigint();
        res.on('finish', () => options.onSlackAnswered?.(Number(process.hrtime.bigint() - started) / 1e9));
        options.slackListener(req, res);
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
