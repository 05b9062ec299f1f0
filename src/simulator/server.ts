/**
 * The simulator's HTTP server: the VPC RPC API at `/` (GET query or POST form), checked the way
 * Alibaba's gateway checks it (timestamp, AccessKeyId, signature, nonce, action), then faults,
 * then the action. `GET /_simulator/state`, `POST /_simulator/reset`, `POST /_simulator/faults`
 * and `POST /_simulator/config` let tests and people look inside and steer it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRpc } from '../cloud/signature.js';
import { ACTIONS, type ActionContext } from './actions.js';
import { type Clock, systemClock } from './clock.js';
import { SimError } from './errors.js';
import { type FaultConfig, FaultInjector, NO_FAULTS } from './faults.js';
import type { SimulatorSeed } from './seed.js';
import { type RequestRecord, type SimulatorSnapshot, SimulatorState } from './state.js';

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** Time from CreateVpnGateway to `active`. */
  provisionTimeMs?: number;
  /** Instead: each gateway's time drawn evenly from this range (benchmarks of polling). */
  provisionTimeSpreadMs?: readonly [number, number];
  clock?: Clock;
  faults?: FaultConfig;
  quotas?: { vpnGateways?: number; customerGateways?: number };
  /** Bandwidth values CreateVpnGateway accepts: the seed's and the newer documents' by default. */
  bandwidthValues?: readonly number[];
  sslConnectionValues?: readonly number[];
  seed?: SimulatorSeed;
  /** Sees every well-formed request (after the signature check), e.g. for conformance checks. */
  onRequest?: (record: RequestRecord) => void;
  /** Requests kept in the log. */
  logLimit?: number;
}

export interface RunningSimulator {
  url: string;
  port: number;
  clock: Clock;
  state(): SimulatorSnapshot;
  requests(): readonly RequestRecord[];
  reset(): void;
  setFaults(faults: FaultConfig): void;
  setProvisionTime(ms: number): void;
  close(): Promise<void>;
}

const MAX_SKEW_MS = 15 * 60_000;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const HOST_ID = 'vpc.aliyuncs.com';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) {
        reject(new SimError('InvalidParameter', 400, 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function errorBody(err: SimError) {
  return {
    RequestId: randomUUID().toUpperCase(),
    HostId: HOST_ID,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}`,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const accessKeyId = options.accessKeyId ?? 'sandbox';
  const accessKeySecret = options.accessKeySecret ?? 'sandbox-secret';
  const clock = options.clock ?? systemClock;
  const state = new SimulatorState(options.seed);
  const faults = new FaultInjector(options.faults ?? NO_FAULTS);
  const logLimit = options.logLimit ?? 10_000;
  const ctx: ActionContext = {
    state,
    clock,
    provisionTimeMs: options.provisionTimeMs ?? 90_000,
    ...(options.provisionTimeSpreadMs ? { provisionTimeSpreadMs: options.provisionTimeSpreadMs } : {}),
    bandwidthValues: options.bandwidthValues ?? [5, 10, 20, 50, 100, 200, 500, 1000],
    sslConnectionValues: options.sslConnectionValues ?? [5, 10, 20, 50, 100, 200, 500, 1000],
    quotas: {
      vpnGateways: options.quotas?.vpnGateways ?? 30,
      customerGateways: options.quotas?.customerGateways ?? 100,
    },
  };

  function check(method: string, params: Record<string, string>): string {
    for (const name of [
      'AccessKeyId',
      'Action',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
      'Version',
      'Signature',
    ]) {
      if (!params[name]) throw new SimError(`Missing${name}`, 400, `${name} is mandatory for this action.`);
    }
    const ts = TIMESTAMP.exec(params.Timestamp ?? '');
    if (!ts)
      throw new SimError(
        'InvalidTimeStamp.Format',
        400,
        'Specified time stamp or date value is not well formatted.',
      );
    const at = Date.UTC(
      Number(ts[1]),
      Number(ts[2]) - 1,
      Number(ts[3]),
      Number(ts[4]),
      Number(ts[5]),
      Number(ts[6]),
    );
    if (Math.abs(Date.now() - at) > MAX_SKEW_MS) {
      throw new SimError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.');
    }
    if (params.AccessKeyId !== accessKeyId) {
      throw new SimError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
    }
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
      throw new SimError('InvalidParameter', 400, 'Only HMAC-SHA1 signatures of version 1.0 are supported.');
    }
    const { Signature: signature, ...signed } = params;
    if (signRpc(method, signed, accessKeySecret) !== signature) {
      throw new SimError(
        'SignatureDoesNotMatch',
        400,
        'Specified signature is not matched with our calculation.',
      );
    }
    const nonce = params.SignatureNonce as string;
    const now = Date.now();
    for (const [n, expires] of state.nonces) if (expires < now) state.nonces.delete(n);
    if (state.nonces.has(nonce))
      throw new SimError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
    state.nonces.set(nonce, now + MAX_SKEW_MS);
    if (params.Version !== '2016-04-28')
      throw new SimError('InvalidVersion', 400, 'Specified parameter Version is not valid.');
    const action = params.Action as string;
    if (!Object.hasOwn(ACTIONS, action))
      throw new SimError('InvalidApi.NotFound', 404, `Specified api ${action} is not found.`);
    return action;
  }

  async function rpc(req: IncomingMessage, res: ServerResponse) {
    const method = (req.method ?? 'GET').toUpperCase();
    const query = new URL(req.url ?? '/', 'http://simulator').searchParams;
    const body = method === 'POST' ? await readBody(req) : '';
    const params: Record<string, string> = Object.fromEntries(query);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    let action: string;
    try {
      action = check(method, params);
    } catch (err) {
      if (err instanceof SimError) return json(res, err.status, errorBody(err));
      throw err;
    }
    const { Signature: _signature, ...logged } = params;
    const record: RequestRecord = { at: clock.now(), method, action, params: logged };
    state.requests.push(record);
    if (state.requests.length > logLimit) state.requests.splice(0, state.requests.length - logLimit);
    state.calls[action] = (state.calls[action] ?? 0) + 1;
    options.onRequest?.(record);

    const fault = faults.decide(action);
    if (fault.kind === 'error')
      return json(
        res,
        fault.status,
        errorBody(new SimError(fault.code, fault.status, `Injected fault: ${fault.code}`)),
      );
    if (fault.kind === 'nonjson') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
      );
      return;
    }
    try {
      const result = (ACTIONS[action] as (typeof ACTIONS)[string])(params, ctx);
      if (fault.kind === 'lost') {
        // The action took effect, but the answer never arrives.
        req.socket.destroy();
        return;
      }
      json(res, 200, result);
    } catch (err) {
      if (err instanceof SimError) return json(res, err.status, errorBody(err));
      throw err;
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method === 'GET' && path === '/_simulator/state') {
      json(res, 200, state.snapshot(clock));
      return true;
    }
    if (req.method === 'POST' && path === '/_simulator/reset') {
      state.reset();
      json(res, 200, { ok: true });
      return true;
    }
    if (req.method === 'POST' && (path === '/_simulator/faults' || path === '/_simulator/config')) {
      const body = JSON.parse((await readBody(req)) || '{}') as Partial<FaultConfig> & {
        provisionTimeMs?: number;
      };
      if (path === '/_simulator/faults')
        faults.set({
          rules: body.rules ?? [],
          latencyMs: body.latencyMs ?? 0,
          ...(body.seed !== undefined ? { seed: body.seed } : {}),
        });
      if (typeof body.provisionTimeMs === 'number') ctx.provisionTimeMs = body.provisionTimeMs;
      json(res, 200, { ok: true });
      return true;
    }
    return false;
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const work = path.startsWith('/_simulator/')
      ? control(req, res, path).then((handled) => {
          if (!handled) json(res, 404, { error: 'not_found' });
        })
      : path === '/'
        ? rpc(req, res)
        : Promise.resolve(json(res, 404, errorBody(new SimError('InvalidApi.NotFound', 404, 'Not found.'))));
    work.catch((err: unknown) => {
      const status = err instanceof SimError ? err.status : 500;
      const code = err instanceof SimError ? err.code : 'InternalError';
      if (!res.headersSent)
        json(
          res,
          status,
          errorBody(
            new SimError(code, status, 'The request processing has failed due to some unknown error.'),
          ),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clock,
    state: () => state.snapshot(clock),
    requests: () => state.requests,
    reset: () => state.reset(),
    setFaults: (f) => faults.set(f),
    setProvisionTime: (ms) => {
      ctx.provisionTimeMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
