/**
 * The registry of resource types: every declaration the bot knows, and the lookups the Slack
 * surface, the workflow and the worker dispatch through (by type, command word, modal callback id,
 * or the prefix of a cloud id). Adding a resource type is one declaration file, one line in
 * `BUILT_IN` below, and the simulator's actions for it.
 */
import { customerGateway } from './customer-gateway.js';
import type { Resource } from './spec.js';
import { vpnConnection } from './vpn-connection.js';
import { vpnGateway } from './vpn-gateway.js';

const BUILT_IN: readonly Resource[] = [vpnGateway, customerGateway, vpnConnection];

const registry = new Map<string, Resource>(BUILT_IN.map((r) => [r.type, r]));

/** Resource types in the order they were declared (help, lists). */
export function resources(): Resource[] {
  return [...registry.values()];
}

/** The declaration of a stored request's type; throws for a type this process does not know. */
export function resourceOf(type: string): Resource {
  const resource = registry.get(type);
  if (!resource) throw new Error(`Unknown resource type ${type}`);
  return resource;
}

export function findResource(type: string): Resource | undefined {
  return registry.get(type);
}

/** The resource type a command word opens (`vpn`, `customer`), case-insensitive. */
export function resourceByWord(word: string): Resource | undefined {
  const lower = word.toLowerCase();
  return resources().find((r) => r.words.includes(lower));
}

export function resourceByCallbackId(callbackId: string): Resource | undefined {
  return resources().find((r) => r.callbackId === callbackId);
}

/** The resource type a cloud id belongs to (`vpn-…`, `cgw-…`). */
export function resourceByCloudId(id: string): Resource | undefined {
  return resources().find((r) => id.startsWith(r.idPrefix));
}

/**
 * Adds a resource type at run time, before the bot starts (tests declare a throwaway one this
 * way). Its type, words, callback id and id prefix must be new.
 */
export function registerResource(resource: Resource): void {
  for (const other of registry.values()) {
    if (
      other.type === resource.type ||
      other.callbackId === resource.callbackId ||
      other.idPrefix === resource.idPrefix ||
      other.words.some((w) => resource.words.includes(w))
    )
      throw new Error(`${resource.type} clashes with ${other.type}`);
  }
  registry.set(resource.type, resource);
}

/** Removes a type added with `registerResource` (tests clean up after themselves). */
export function unregisterResource(type: string): void {
  if (BUILT_IN.some((r) => r.type === type)) throw new Error(`${type} is built in`);
  registry.delete(type);
}
