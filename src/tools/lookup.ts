/**
 * How the operator tools find a request: by its id or by the id of the gateway it created, with
 * one message (and a non-zero exit, by the caller) when neither is known.
 */
import type { RequestStore } from '../workflow/store.js';
import type { GatewayRequest } from '../workflow/types.js';

export async function findRequest(store: RequestStore, key: string): Promise<GatewayRequest | undefined> {
  return (await store.get(key)) ?? (await store.getByGatewayId(key));
}

export function unknownIdMessage(key: string, prefix: string): string {
  return (
    `No request or gateway ${key} under prefix ${prefix}. ` +
    'Check the id (npm run audit -- --since 24h lists recent events), REDIS_URL and REDIS_PREFIX.'
  );
}
