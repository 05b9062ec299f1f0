/**
 * What follows from all the declarations together, so that no declaration has to name another's
 * part in it: the checks an operation runs (a type's own, then its quota's, and for a delete that
 * nothing uses the resource, from every type that declares it uses this one), every setting the
 * configuration reads, and the rate limits the pacing starts from.
 */
import type { RateLimit, RateLimits } from '../units/rate-limits.js';
import { type Dependant, nothingUses, quotaHasRoom } from './checks.js';
import { NETWORK_CALLS } from './network.js';
import { resources } from './registry.js';
import type { Check, RequestParams, Resource, Setting } from './spec.js';

/** The checks of an operation on a type, in the order they are reported. */
export function checksFor(
  resource: Resource,
  operation: 'create' | 'delete' | 'rotate_key' | 'adopt',
): readonly Check<RequestParams>[] {
  // A key rotation needs only the resource as it is, which the call reads itself; an adoption
  // changes nothing in the cloud, and the worker reads the resource again before taking it.
  if (operation === 'rotate_key' || operation === 'adopt') return [];
  if (operation === 'delete') {
    const dependants = dependantsOf(resource);
    return [
      ...(dependants.length > 0 ? [nothingUses(dependants)] : []),
      ...(resource.delete?.preflight ?? []),
    ];
  }
  const quota = resource.quota;
  if (!quota) return resource.preflight;
  const perLabel =
    quota.per === undefined ? undefined : resource.params.find((p) => p.name === quota.per)?.label;
  return [...resource.preflight, quotaHasRoom(quota, resource.list, perLabel)];
}

/** The types that declare they use this one, each with what it uses. */
function dependantsOf(resource: Resource): Dependant[] {
  return resources().flatMap((other) =>
    other.uses
      .filter((u) => u.resource === resource.type)
      .map((u) => ({ title: other.title, list: other.list, ids: u.ids })),
  );
}

/** Every setting a registered type declares (its quota's included). */
export function declaredSettings(): Setting<unknown>[] {
  return resources().flatMap((r) => r.settings);
}

const perMinute = (limit: number): RateLimit => ({ limit, periodMs: 60_000 });

/** Limits Alibaba publishes, per region, action and main account, as the declarations state them. */
export function publishedRateLimits(): Readonly<Partial<Record<string, RateLimit>>> {
  return Object.fromEntries(
    resources().flatMap((r) =>
      Object.entries(r.publishedLimits).map(([action, n]) => [action, perMinute(n)]),
    ),
  );
}

/**
 * Where Alibaba publishes nothing: a create, change or delete is held to the lowest published
 * create limit (60/min), a describe to the published describe limit (600/min). Both are far above
 * what the bot needs and low enough that an unpublished limit is unlikely to be lower.
 */
function unpublishedLimit(action: string): RateLimit {
  return perMinute(/^Describe/.test(action) ? 600 : 60);
}

/** Every action a type calls: create, list, delete, key rotation, reveal, the peer's configuration, and any other it names. */
function actionsOf(resource: Resource): string[] {
  return [
    resource.create.action,
    resource.list.action,
    ...(resource.delete ? [resource.delete.action] : []),
    ...(resource.rotateKey ? [resource.rotateKey.action, resource.rotateKey.read] : []),
    ...(resource.reveal ? [resource.reveal.action] : []),
    ...(resource.peerConfig?.actions ?? []),
    ...resource.calls,
  ];
}

/** What the bot paces at unless VPC_RATE_LIMITS says otherwise: every action it calls, and every published one. */
export function defaultRateLimits(): RateLimits {
  const published = publishedRateLimits();
  const actions = new Set([...NETWORK_CALLS, ...resources().flatMap(actionsOf), ...Object.keys(published)]);
  return Object.fromEntries(
    [...actions].map((action) => [action, published[action] ?? unpublishedLimit(action)]),
  );
}
