/**
 * Records written before requests were operations on resource types (`kind: 'vpn' | 'customer'`,
 * `cloud.gatewayId`, `cloud.internetIp` …) are read in today's shape, so requests in flight during
 * an upgrade carry on. Their approval hash is carried over only when it still proves the approved
 * parameters (computed the old way); otherwise it is left as it was and the worker refuses to act.
 */
import { createHash } from 'node:crypto';
import { paramsHash, type RequestParams } from '../resources/index.js';
import { DEFAULT_ACCOUNT_NAME } from './accounts.js';
import type { ResourceRequest } from './types.js';

/** The gateway kinds of old records, and the resource types they are now. */
export const OLD_KINDS: Readonly<Record<string, string>> = {
  vpn: 'vpn_gateway',
  customer: 'customer_gateway',
};

function oldHash(kind: string, params: Record<string, unknown>): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return createHash('sha256')
    .update(JSON.stringify([kind, canonical]))
    .digest('hex');
}

export function upgradeRecord(raw: Record<string, unknown>): ResourceRequest {
  // Records from before accounts were made in the one account there was.
  if (typeof raw.resource === 'string')
    return { account: DEFAULT_ACCOUNT_NAME, ...raw } as unknown as ResourceRequest;
  const { kind, cloud: oldCloud, ...rest } = raw as Record<string, unknown> & { kind?: string };
  const cloud = (oldCloud ?? {}) as Record<string, unknown>;
  const params = (rest.params ?? {}) as RequestParams;
  const resource = OLD_KINDS[String(kind)] ?? String(kind);
  const facts: Record<string, string> = {};
  if (typeof cloud.internetIp === 'string') facts.InternetIp = cloud.internetIp;
  if (typeof cloud.spec === 'string') facts.Spec = cloud.spec;
  if (cloud.orderId !== undefined) facts.OrderId = String(cloud.orderId);
  const hashStillProves = rest.paramsHash === oldHash(String(kind), params);
  return {
    ...(rest as unknown as ResourceRequest),
    operation: 'create',
    resource,
    account: DEFAULT_ACCOUNT_NAME,
    paramsHash: hashStillProves ? paramsHash('create', resource, params) : String(rest.paramsHash),
    cloud: {
      ...(typeof cloud.gatewayId === 'string' ? { resourceId: cloud.gatewayId } : {}),
      ...(typeof cloud.status === 'string' ? { status: cloud.status } : {}),
      ...(cloud.businessStatus === 'FinancialLocked' ? { attention: 'FinancialLocked' } : {}),
      facts,
      requestIds: Array.isArray(cloud.requestIds) ? (cloud.requestIds as string[]) : [],
    },
  };
}
