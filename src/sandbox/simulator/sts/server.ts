/**
 * A fake Alibaba Cloud STS on loopback, over TLS as the real one (`@alicloud/credentials` talks
 * to STS over HTTPS only; the test makes the certificate and trusts it). It answers AssumeRole
 * (assume-role.ts) for the RAM roles it is given, checking its callers as the VPC simulator checks
 * its own (checks.ts: signature, timestamp, nonce, key, token and its expiry) with the simulator's
 * keys, so a caller is any key of the simulator, permanent or temporary. The credentials it issues
 * are accepted by the simulator, in process, for the role's account only, until they expire.
 *
 * Alibaba's STS answers a bad signature with its string to sign, which holds the caller's
 * SecurityToken; this one leaves it out: no answer carries a token but the one that issues it.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkRequest } from '../checks.js';
import { SimError } from '../errors.js';
import { json, paramsOf, readText, type ServiceName, sendError } from '../http.js';
import type { RunningSimulator } from '../server.js';
import {
  type AssumeRoleAsked,
  askedOf,
  assumeRole,
  ROLE_ARN,
  STS_API_VERSION,
  type StsRole,
} from './assume-role.js';

const STS_SERVICE: ServiceName = { host: 'sts.aliyuncs.com', product: 'Sts' };

export interface FakeStsOptions {
  /** The simulator whose keys may call, and which accepts the credentials issued. */
  simulator: Pick<RunningSimulator, 'keys' | 'accounts'>;
  /** The RAM roles that exist, each of one of the simulator's accounts. */
  roles: readonly StsRole[];
  /** The server's certificate and key (PEM), made and trusted by whoever talks to it. */
  tls: { cert: string | Buffer; key: string | Buffer };
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
}

/** One AssumeRole that passed the signature checks, and how it was answered. */
export interface AssumeRoleRecord extends AssumeRoleAsked {
  /** Real time (ms) when it arrived. */
  at: number;
  /** The account of the key that asked. */
  caller: string;
  /** `OK`, or the error code answered. */
  code: string;
  /** The AccessKeyId issued (never its secret or token). */
  accessKeyId?: string;
}

export interface RunningSts {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`: the STS endpoint as `@alicloud/credentials` takes it (a host and port). */
  endpoint: string;
  port: number;
  /** Every AssumeRole that passed the signature checks, oldest first. */
  calls(): readonly AssumeRoleRecord[];
  /** Refuses the role (`NoPermission`) from now on, or, with `false`, no longer. */
  refuse(roleArn: string, refused?: boolean): void;
  /**
   * Credentials issued from now on expire at this time, whatever DurationSeconds asks (in the past
   * too); without one, DurationSeconds decides again.
   */
  expireCredentialsAt(at?: Date | number): void;
  /** Forgets the calls, the nonces, the roles refused and the expiry imposed (the credentials issued stay valid). */
  reset(): void;
  close(): Promise<void>;
}

/** The roles by ARN, each checked against the simulator's accounts. */
function roleTable(roles: readonly StsRole[], accounts: readonly string[]): Map<string, StsRole> {
  const table = new Map<string, StsRole>();
  for (const role of roles) {
    if (!ROLE_ARN.test(role.arn))
      throw new Error(`the role ARN ${role.arn} is not acs:ram::<id>:role/<name>`);
    for (const account of [role.account, ...(role.trustedAccounts ?? [])])
      if (!accounts.includes(account))
        throw new Error(`the role ${role.arn} names an unknown account ${account}`);
    if (table.has(role.arn)) throw new Error(`the role ${role.arn} is given twice`);
    table.set(role.arn, { ...role });
  }
  return table;
}

interface StsCore {
  simulator: FakeStsOptions['simulator'];
  roles: Map<string, StsRole>;
  refused: Set<string>;
  nonces: Map<string, number>;
  log: AssumeRoleRecord[];
  expiresAt?: number | undefined;
}

async function answerAssumeRole(core: StsCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readText(req, res);
  if (method !== 'GET' && method !== 'POST')
    throw new SimError('UnsupportedHTTPMethod', 400, `${method} is not supported; use GET or POST.`);
  const params = paramsOf(req, method, body);
  const now = Date.now();
  const { key: caller } = checkRequest(method, params, (id) => core.simulator.keys.find(id), core.nonces, {
    version: STS_API_VERSION,
    known: (action) => action === 'AssumeRole',
  });
  const entry: AssumeRoleRecord = { at: now, caller: caller.account, ...askedOf(params), code: 'OK' };
  core.log.push(entry);
  try {
    const { body: answer, key } = assumeRole(params, caller, (arn) => core.roles.get(arn), {
      refused: (arn) => core.refused.has(arn),
      expiresAt: core.expiresAt,
      now,
    });
    core.simulator.keys.addTemporary(key);
    entry.accessKeyId = key.accessKeyId;
    json(res, 200, answer);
  } catch (err) {
    if (err instanceof SimError) entry.code = err.code;
    throw err;
  }
}

function answer(core: StsCore, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'https://sts').pathname;
  const work =
    path === '/'
      ? answerAssumeRole(core, req, res)
      : Promise.reject(new SimError('InvalidApi.NotFound', 404, `Specified path ${path} is not found.`));
  work.catch((err: unknown) => {
    if (!(err instanceof SimError)) console.error('STS simulator: unexpected error', err);
    if (res.headersSent || res.destroyed) return;
    sendError(
      res,
      err instanceof SimError
        ? err
        : new SimError(
            'InternalError',
            500,
            'STS Server Internal Error happened, please send the RequestId to us.',
          ),
      STS_SERVICE,
    );
  });
}

export async function startFakeSts(options: FakeStsOptions): Promise<RunningSts> {
  const core: StsCore = {
    simulator: options.simulator,
    roles: roleTable(options.roles, options.simulator.accounts()),
    refused: new Set(),
    nonces: new Map(),
    log: [],
  };
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) =>
    answer(core, req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    endpoint: `127.0.0.1:${port}`,
    port,
    calls: () => core.log,
    refuse: (roleArn, refused = true) => {
      if (refused) core.refused.add(roleArn);
      else core.refused.delete(roleArn);
    },
    expireCredentialsAt: (at) => {
      core.expiresAt = at === undefined ? undefined : new Date(at).getTime();
    },
    reset: () => {
      core.log.splice(0);
      core.nonces.clear();
      core.refused.clear();
      core.expiresAt = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
