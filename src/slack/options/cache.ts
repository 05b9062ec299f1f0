/**
 * The pick-lists' short-lived cache: a list fetched once is answered from memory for a while, a
 * list being fetched is shared by everyone waiting for it (fifty people typing in one modal's
 * pickers make one cloud call, not fifty), and a cloud too slow for Slack's 3 s is answered from
 * the list it gave last time, while the fetch goes on to fill the cache for next time.
 */
export interface ListCacheOptions {
  /** @defaultValue 60 000 ms */
  cacheTtlMs?: number;
  /** Time allowed for the cloud before answering from the stale cache (Slack's limit is 3 s). @defaultValue 2 300 ms */
  timeoutMs?: number;
  now?: () => number;
}

/** A list by key: fresh from memory, fetched (once), or stale when the cloud is slow. */
export type Cached = <T>(key: string, fetch: () => Promise<T>, maxAgeMs?: number) => Promise<T>;

export function createListCache(o: ListCacheOptions = {}): Cached {
  const ttl = o.cacheTtlMs ?? 60_000;
  const timeout = o.timeoutMs ?? 2_300;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { value: unknown; at: number }>();
  const inFlight = new Map<string, Promise<unknown>>();

  function fetchOnce<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    let fresh = inFlight.get(key) as Promise<T> | undefined;
    if (!fresh) {
      fresh = fetch()
        .then((value) => {
          cache.set(key, { value, at: now() });
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, fresh);
    }
    return fresh;
  }

  return async function cached<T>(key: string, fetch: () => Promise<T>, maxAgeMs = ttl): Promise<T> {
    const hit = cache.get(key) as { value: T; at: number } | undefined;
    if (hit && now() - hit.at < maxAgeMs) return hit.value;
    const fresh = fetchOnce(key, fetch);
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), timeout).unref();
    });
    try {
      const first = await Promise.race([fresh, slow]).finally(() => clearTimeout(timer));
      if (first !== 'slow') return first;
      // Too slow for Slack: answer from what we had; the fetch still fills the cache for next time.
      fresh.catch(() => {});
      if (hit) return hit.value;
      throw new Error('timeout');
    } catch (err) {
      if (hit) return hit.value;
      throw err;
    }
  };
}
