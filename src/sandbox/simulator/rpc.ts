/**
 * The VPC RPC API at `/` (GET query string or POST form body): checked the way Alibaba's gateway
 * checks it (checks.ts), which also finds the account of the key that signed it; recorded; then
 * that account's rate limits (rate-limits.ts), then faults (faults.ts), then the action (actions/)
 * on that account's state only. Nothing it logs contains a secret or a SecurityToken.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActionContext, Handler } from './actions/index.js';
import { API_VERSION, checkRequest } from './checks.js';
import { accountState, type SimulatorCore } from './core.js';
import { SimError } from './errors.js';
import { json, paramsOf, readText, sendError } from './http.js';
import type { RequestRecord, SimulatorState } from './state.js';

const BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The request in the log (its signature left out, a SecurityToken redacted) and the account's call counts. */
function record(
  core: SimulatorCore,
  state: SimulatorState,
  method: string,
  action: string,
  params: Record<string, string>,
): void {
  const { Signature: _signature, ...logged } = params;
  if (logged.SecurityToken !== undefined) logged.SecurityToken = '[redacted]';
  const entry: RequestRecord = {
    at: core.clock.now(),
    account: state.account,
    method,
    action,
    params: logged,
  };
  core.log.push(entry);
  if (core.log.length > core.logLimit) core.log.splice(0, core.log.length - core.logLimit);
  state.calls[action] = (state.calls[action] ?? 0) + 1;
  core.onRequest?.(entry);
}

export async function answerRpc(
  core: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { clock, faults } = core;
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readText(req, res);
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (method !== 'GET' && method !== 'POST')
    return sendError(
      res,
      new SimError('UnsupportedHTTPMethod', 400, `${method} is not supported; use GET or POST.`),
    );
  const params = paramsOf(req, method, body);
  const { action, key } = checkRequest(method, params, (id) => core.keys.find(id), core.nonces, {
    version: API_VERSION,
    known: (name) => Object.hasOwn(core.actions, name),
  });
  const state = accountState(core, key.account);
  record(core, state, method, action, params);
  // Flow control comes first, as at Alibaba's gateway: a throttled call has no effect.
  core.rateLimits.admit(action, params.RegionId, state.account);
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
  const ctx: ActionContext = { ...core.ctx, state };
  const result = (core.actions[action] as Handler)(params, ctx);
  if (fault.kind === 'lost') {
    // The action took effect, but its answer never arrives.
    res.socket?.destroy();
    return;
  }
  json(res, 200, result);
}
