/**
 * What the worker asks of the cloud, in the workflow's words, derived from a resource type's
 * declaration: create it, delete it or give it new keys (with the request id as ClientToken), read one page of a
 * region's list for the sweep, find which region holds an id, and read what the cloud keeps back
 * (a generated key). The implementation over the VPC client is `vpcResourceCloud`; tests may pass
 * anything with this shape (a worker that kills itself right after a create, say).
 */
import { CloudError } from '../cloud/errors.js';
import type { DescribeRegionsResponse, VpcClient } from '../cloud/index.js';
import {
  type CloudItem,
  type DeleteParams,
  NETWORK_LISTS,
  type ParamValue,
  type Resource,
} from '../resources/index.js';
import type { Created } from './transitions.js';

export type CloudRow = CloudItem;

export interface Located {
  regionId: string;
  item: CloudRow;
}

export interface ResourceCloud {
  /** Creates the resource (or, for a ClientToken already used with these parameters, finds it). */
  create(
    resource: Resource,
    params: Readonly<Record<string, ParamValue>>,
    clientToken: string,
  ): Promise<Created>;
  /**
   * Deletes the resource; `gone` when the cloud no longer knows it (deleted before, by this request
   * or anyone): the end a delete wants either way.
   */
  remove(
    resource: Resource,
    params: DeleteParams,
    clientToken: string,
  ): Promise<{ requestId?: string; gone: boolean }>;
  /**
   * Replaces the resource's pre-shared keys (`rotateKey`): reads its settings now and sends them with
   * a new key per part, `keyOf(part id)`; the keys go nowhere but into that call.
   */
  rotateKey(
    resource: Resource,
    params: DeleteParams,
    clientToken: string,
    keyOf: (part: string) => string,
  ): Promise<{ requestId?: string }>;
  /** One page (at most 50) of a region's resources of a type, and how many there are. */
  listPage(
    resource: Resource,
    regionId: string,
    page: number,
  ): Promise<{ items: CloudRow[]; totalCount: number; requestId?: string }>;
  /** The item with this id in one region, or undefined. */
  find(resource: Resource, regionId: string, id: string): Promise<CloudRow | undefined>;
  /** Every region id of the account (DescribeRegions). */
  regions(): Promise<string[]>;
  /** What the cloud keeps back about a resource (`reveal`: a generated key), read now and never stored. */
  reveal(resource: Resource, regionId: string, id: string): Promise<CloudRow>;
  /**
   * The answers the peer's configuration is read from (`peerConfig`: the device's side, with its
   * keys), by action, read now and never stored.
   */
  peerAnswers(resource: Resource, regionId: string, id: string): Promise<Record<string, CloudRow>>;
}

export const SWEEP_PAGE_SIZE = 50;

const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/**
 * Alibaba's answer for an instance id it does not know (`InvalidVpnGatewayInstanceId.NotFound`,
 * `InvalidCustomerGatewayInstanceId.NotFound`, …); not any `.NotFound` (`InvalidAccessKeyId.NotFound`
 * is a wrong key, and says nothing about the resource).
 */
export function isInstanceNotFound(err: unknown): boolean {
  return err instanceof CloudError && /^Invalid\w*InstanceId\.NotFound$/.test(err.code);
}

export function vpcResourceCloud(vpc: VpcClient): ResourceCloud {
  async function listPage(resource: Resource, regionId: string, page: number, filter = {}) {
    const list = resource.list;
    const answer = await vpc.call(list.action, {
      RegionId: regionId,
      PageNumber: page,
      PageSize: SWEEP_PAGE_SIZE,
      ...filter,
    });
    const wrapper = answer[list.plural] as Record<string, unknown> | undefined;
    const items = (wrapper?.[list.singular] as CloudRow[] | undefined) ?? [];
    return { items, totalCount: Number(answer.TotalCount ?? 0), requestId: answer.RequestId };
  }

  async function find(resource: Resource, regionId: string, id: string): Promise<CloudRow | undefined> {
    const { items } = await listPage(resource, regionId, 1, { [resource.list.idParam]: id });
    return items.find((item) => asText(item[resource.list.idField]) === id);
  }

  return {
    async create(resource, params, clientToken) {
      const answer = await vpc.call(resource.create.action, { ...params, ClientToken: clientToken });
      const resourceId = asText(answer[resource.create.idField]);
      if (!resourceId)
        throw new Error(`${resource.create.action} answered without ${resource.create.idField}`);
      const facts: Record<string, string> = {};
      for (const field of resource.create.keep ?? []) {
        const value = asText(answer[field]);
        if (value) facts[field] = value;
      }
      return { resourceId, requestId: answer.RequestId, facts };
    },
    async remove(resource, params, clientToken) {
      const spec = resource.delete;
      if (!spec) throw new Error(`${resource.type} cannot be deleted`);
      try {
        const answer = await vpc.call(spec.action, { ...params, ClientToken: clientToken });
        return { requestId: answer.RequestId, gone: false };
      } catch (err) {
        if (!isInstanceNotFound(err)) throw err;
        // Gone only if the region's list agrees; otherwise the answer is the error it is.
        const id = String(params[resource.list.idParam] ?? '');
        const still = await find(resource, params.RegionId, id);
        if (still) throw err;
        return { gone: true };
      }
    },
    async rotateKey(resource, params, clientToken, keyOf) {
      const spec = resource.rotateKey;
      if (!spec) throw new Error(`${resource.type} has no keys to rotate`);
      const named = {
        RegionId: params.RegionId,
        [resource.list.idParam]: params[resource.list.idParam] ?? '',
      };
      const current = await vpc.call(spec.read, named);
      const answer = await vpc.call(spec.action, {
        ...named,
        ...spec.params(current, keyOf),
        ClientToken: clientToken,
      });
      return { requestId: answer.RequestId };
    },
    listPage: (resource, regionId, page) => listPage(resource, regionId, page),
    find,
    async reveal(resource, regionId, id) {
      if (!resource.reveal) throw new Error(`${resource.type} keeps nothing back`);
      return vpc.call(resource.reveal.action, { RegionId: regionId, [resource.list.idParam]: id });
    },
    async peerAnswers(resource, regionId, id) {
      const spec = resource.peerConfig;
      if (!spec) throw new Error(`${resource.type} has no peer configuration`);
      const answers = await Promise.all(
        spec.actions.map((action) => vpc.call(action, { RegionId: regionId, [resource.list.idParam]: id })),
      );
      return Object.fromEntries(spec.actions.map((action, i) => [action, answers[i] as CloudRow]));
    },
    async regions() {
      const answer = await vpc.call<DescribeRegionsResponse>(NETWORK_LISTS.region.action, {});
      return answer.Regions.Region.map((r) => r.RegionId);
    },
  };
}
