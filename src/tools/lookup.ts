/**
 * How the operator tools find a request: by its id or by the id of the resource it created, with
 * one message (and a non-zero exit, by the caller) when neither is known.
 */
import type { RequestStore } from '../workflow/store.js';
import type { ResourceRequest } from '../workflow/types.js';

export async function findRequest(store: RequestStore, key: string): Promise<ResourceRequest | undefined> {
  return (await store.get(key)) ?? (await store.getByResourceId(key));
}

export function unknownIdMessage(key: string, prefix: string): string {
  return (
    `No request or resource ${key} under prefix ${prefix}. ` +
    'Check the id (npm run audit -- --since 24h lists recent events), REDIS_URL and REDIS_PREFIX.'
  );
}
