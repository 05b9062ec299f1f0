/**
 * The VPC RPC API at `/` (GET query string or POST form body): checked the way Alibaba's gateway
 * checks it (checks.ts), recorded, then rate limits (rate-limits.ts), then faults (faults.ts),
 * then the action (actions/). Nothing it logs contains the secret or a SecurityToken.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from './actions/index.js';
import { checkRequest } from './checks.js';
import type { SimulatorCore } from './core.js';
import { SimError } from './errors.js';
import { json, readText, sendError } from './http.js';
import type { RequestRecord } from './state.js';

const BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The request in the log (its signature left out, a SecurityToken redacted) and the call counts. */
function record(core: SimulatorCore, method: string, action: string, params: Record<string, string>): void {
  const { state } = core;
  const { Signature: _signature, ...logged } = params;
  if (logged.SecurityToken !== undefined) logged.SecurityToken = '[redacted]';
  const entry: RequestRecord = { at: core.clock.now(), method, action, params: logged };
  state.requests.push(entry);
  if (state.requests.length > core.logLimit) state.requests.splice(0, state.requests.length - core.logLimit);
  state.calls[action] = (state.calls[action] ?? 0) + 1;
  core.onRequest?.(entry);
}

/** The call's parameters: the query string's, and a POST's form body's over them. */
function paramsOf(req: IncomingMessage, method: string, body: string): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(
    new URL(req.url ?? '/', 'http://simulator').searchParams,
  );
  if (method === 'POST') for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  return params;
}

export async function answerRpc(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { state, clock, faults } = core;
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readText(req, res);
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (method !== 'GET' && method !== 'POST')
    return sendError(
      res,
      new SimError('UnsupportedHTTPMethod', 400, `${method} is not supported; use GET or POST.`),
    );
  const params = paramsOf(req, method, body);
  const action = checkRequest(method, params, core.credentials, state.nonces, (name) =>
    Object.hasOwn(core.actions, name),
  );
  record(core, method, action, params);
  // Flow control comes first, as at Alibaba's gateway: a throttled call has no effect.
  core.rateLimits.admit(action, params.RegionId);
  // Decided before the action runs: an injected error means the call had no effect.
  const fault = faults.decide(action);
  if (fault.kind === 'error')
    return sendError(res, new SimError(fault.code, fault.status, `Injected fault: ${fault.code}`));
  if (fault.kind === 'nonjson') {
    res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(BAD_GATEWAY) });
    res.end(BAD_GATEWAY);
    return;
  }
  // Gateways whose deletion finished are gone before the action looks.
  state.sweep(clock);
  const result = (core.actions[action] as Handler)(params, core.ctx);
  if (fault.kind === 'lost') {
    // The action took effect, but its answer never arrives.
    res.socket?.destroy();
    return;
  }
  json(res, 200, result);
}
