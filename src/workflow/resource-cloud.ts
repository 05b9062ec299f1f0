/**
 * What the worker asks of the cloud, in the workflow's words, derived from a resource type's
 * declaration: create it (with the request id as ClientToken) and read one page of a region's
 * list for the sweep. The implementation over the VPC client is `vpcResourceCloud`; tests may pass
 * anything with this shape (a worker that kills itself right after a create, say).
 */
import type { VpcClient } from '../cloud/index.js';
import type { ParamValue, RegionSweep, Resource } from '../resources/index.js';
import type { Created } from './transitions.js';

export type CloudRow = Readonly<Record<string, unknown>>;

export interface ResourceCloud {
  /** Creates the resource (or, for a ClientToken already used with these parameters, finds it). */
  create(
    resource: Resource,
    params: Readonly<Record<string, ParamValue>>,
    clientToken: string,
  ): Promise<Created>;
  /** One page (at most 50) of a region's resources of a watched type, and how many there are. */
  listPage(
    sweep: RegionSweep,
    regionId: string,
    page: number,
  ): Promise<{ items: CloudRow[]; totalCount: number; requestId?: string }>;
}

export const SWEEP_PAGE_SIZE = 50;

const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

export function vpcResourceCloud(vpc: VpcClient): ResourceCloud {
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
    async listPage(sweep, regionId, page) {
      const answer = await vpc.call(sweep.list.action, {
        RegionId: regionId,
        PageNumber: page,
        PageSize: SWEEP_PAGE_SIZE,
      });
      const wrapper = answer[sweep.list.plural] as Record<string, unknown> | undefined;
      const items = (wrapper?.[sweep.list.singular] as CloudRow[] | undefined) ?? [];
      return { items, totalCount: Number(answer.TotalCount ?? 0), requestId: answer.RequestId };
    },
  };
}
