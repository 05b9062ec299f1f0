/**
 * The VPC client: any action by its API name, over the unmodified `@alicloud/pop-core` RPC
 * client. Always POST (GET would put the signature and any STS token in the URL), a timeout
 * longer than pop-core's 3 s default, undefined and null stripped (pop-core would send the
 * strings "undefined" and "null"), the regional endpoint unless one is configured, and every
 * failure turned into a CloudError. Keeping pop-core behind this interface keeps a move to
 * Alibaba's V2 SDK local to this file.
 */
import RPCClient from '@alicloud/pop-core';
import { CloudError, toCloudError } from './errors.js';
import type { Scalar, VpcClient } from './vpc-types.js';

export const VPC_API_VERSION = '2016-04-28';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface CredentialsProvider {
  getCredentials(): Promise<Credentials>;
}

export interface CloudCallEvent {
  action: string;
  regionId?: string;
  durationMs: number;
  ok: boolean;
  code?: string;
}

/** A call about to be sent, as pacing sees it. */
export interface PacedCall {
  action: string;
  regionId?: string;
  /** The call's idempotency token (creates, deletes): it may hold a slot while it is away. */
  clientToken?: string;
}

/**
 * Runs before every call and resolves when the call may go: it may wait (pacing at the cloud's
 * rate limits) or throw to hold the call back, and the call is then not sent.
 */
export type PaceCall = (call: PacedCall) => Promise<void>;

export type VpcClientOptions = (Credentials | { credentialsProvider: CredentialsProvider }) & {
  /** Overrides the regional endpoint for every call (the simulator, a proxy). */
  endpoint?: string;
  timeoutMs?: number;
  onCall?: (event: CloudCallEvent) => void;
  /** Pacing before each call (see rate-limiter.ts); calls go at once without it. */
  pace?: PaceCall;
};

/** pop-core's runtime accepts `credentialsProvider`, which its bundled typings omit. */
interface PopCoreConfig {
  endpoint: string;
  apiVersion: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  credentialsProvider?: CredentialsProvider;
}
type PopCoreClient = { request<T>(action: string, params: object, options?: object): Promise<T> };
const PopCore = RPCClient as unknown as new (config: PopCoreConfig) => PopCoreClient;

export function regionalEndpoint(regionId: string | undefined): string {
  return regionId ? `https://vpc.${regionId}.aliyuncs.com` : 'https://vpc.aliyuncs.com';
}

/** Alibaba's RPC parameters are strings on the wire; absent values are not sent at all. */
export function toWireParams(params: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params as Record<string, Scalar | null | undefined>)) {
    if (value === undefined || value === null) continue;
    out[key] = String(value);
  }
  return out;
}

/** Actions that only read. */
const READ_ONLY = /^(Describe|DownloadVpnConnectionConfig$)/;

/** The connection was closed under the call (the peer reset it, or hung up before answering). */
function connectionReset(err: CloudError): boolean {
  return (
    err.code === 'ConnectionError' &&
    (err.cause?.code === 'ECONNRESET' || /socket hang up|ECONNRESET/i.test(err.cause?.message ?? ''))
  );
}

export function createVpcClient(options: VpcClientOptions): VpcClient {
  const timeout = options.timeoutMs ?? 10_000;
  const clients = new Map<string, PopCoreClient>();
  const secrets =
    'accessKeySecret' in options ? [options.accessKeySecret, options.securityToken] : ([] as string[]);

  function clientFor(endpoint: string): PopCoreClient {
    let client = clients.get(endpoint);
    if (!client) {
      client = new PopCore({
        endpoint,
        apiVersion: VPC_API_VERSION,
        ...('credentialsProvider' in options
          ? { credentialsProvider: options.credentialsProvider }
          : {
              accessKeyId: options.accessKeyId,
              accessKeySecret: options.accessKeySecret,
              ...(options.securityToken ? { securityToken: options.securityToken } : {}),
            }),
      });
      clients.set(endpoint, client);
    }
    return client;
  }

  /**
   * A describe whose connection was reset is sent once more. A kept-alive connection can be
   * closed by the server just as a call is written on it (its idle timeout and the call cross):
   * the call never ran, and a read is safe to repeat. Creates and deletes are not repeated here:
   * their steps retry them with the same ClientToken, after a backoff.
   */
  async function call<T>(action: string, params: object): Promise<T> {
    try {
      return await callOnce<T>(action, params);
    } catch (err) {
      if (!(READ_ONLY.test(action) && err instanceof CloudError && connectionReset(err))) throw err;
      return callOnce<T>(action, params);
    }
  }

  async function callOnce<T>(action: string, params: object): Promise<T> {
    const wire = toWireParams(params);
    const regionId = wire.RegionId;
    const endpoint =
      options.endpoint ?? regionalEndpoint(action === 'DescribeRegions' ? undefined : regionId);
    // A call held back never reached the cloud: it is neither timed nor counted as a call.
    if (options.pace) {
      try {
        await options.pace({
          action,
          ...(regionId ? { regionId } : {}),
          ...(wire.ClientToken ? { clientToken: wire.ClientToken } : {}),
        });
      } catch (err) {
        throw toCloudError(err, action, secrets);
      }
    }
    const started = performance.now();
    try {
      const result = await clientFor(endpoint).request<T>(action, wire, {
        method: 'POST',
        timeout,
        formatParams: false,
      });
      options.onCall?.({
        action,
        ...(regionId ? { regionId } : {}),
        durationMs: performance.now() - started,
        ok: true,
      });
      return result;
    } catch (err) {
      const error = toCloudError(err, action, secrets);
      options.onCall?.({
        action,
        ...(regionId ? { regionId } : {}),
        durationMs: performance.now() - started,
        ok: false,
        code: error.code,
      });
      throw error;
    }
  }

  return { call: (action, params) => call(action, params) };
}
