/**
 * The health sweep against an account it cannot trust to stand still, on real Redis, with a clock
 * of its own: a tunnel change whose first look was long before the look that confirmed it (an
 * interval of an hour, or an outage of every worker) is announced all the same; a resource that a
 * list shifting between its pages leaves unseen is looked up by its id, not said to be gone (and
 * the same in the watch sweep, where it would end a deletion early); and two scheduled sweeps never
 * run at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudItem } from '../../src/resources/index.js';
import { resourceOf } from '../../src/resources/index.js';
import { createHealth } from '../../src/workflow/health.js';
import { newRequestId } from '../../src/workflow/ids.js';
import type { Notification } from '../../src/workflow/notifications.js';
import type { ResourceCloud } from '../../src/workflow/resource-cloud.js';
import { RequestStore } from '../../src/workflow/store.js';
import { regionItems } from '../../src/workflow/sweep.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { REDIS_URL, testRedis } from '../support/redis.js';

const t = testRedis('health-sweep');
afterAll(() => t.cleanup());

const UP = 'ipsec_sa_established';
const DOWN = 'ike_sa_not_established';
const HOUR = 3_600_000;

function succeeded(over: Partial<ResourceRequest>, at: number): ResourceRequest {
  return {
    id: newRequestId(),
    operation: 'create',
    resource: 'customer_gateway',
    account: 'default',
    params: { RegionId: 'cn-hangzhou' },
    paramsHash: 'h',
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
    state: 'succeeded',
    version: 0,
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    approvals: [],
    finishedAt: at,
    cloud: { facts: {}, requestIds: [] },
    ...over,
  };
}

/** A region's list as the account gives it; `afterPage` runs once each page has been read. */
function listing(rows: () => CloudItem[], afterPage: (page: number) => void = () => {}) {
  let finds = 0;
  const cloud = {
    async listPage(_resource: unknown, _region: string, page: number) {
      const all = rows();
      const answer = { items: all.slice((page - 1) * 50, page * 50), totalCount: all.length };
      afterPage(page);
      return answer;
    },
    async find(_resource: unknown, _region: string, id: string) {
      finds++;
      return rows().find((r) => Object.values(r).includes(id));
    },
  } as unknown as ResourceCloud;
  return { cloud, finds: () => finds };
}

function sweeper(prefix: string, cloud: ResourceCloud, intervalMs: number, now: () => number) {
  const store = new RequestStore({ redis: t.redis, prefix, now });
  const emitted: Pick<Notification, 'event' | 'seq'>[] = [];
  const health = createHealth({
    connection: { url: REDIS_URL, maxRetriesPerRequest: null } as never,
    prefix,
    store,
    cloudIn: () => cloud,
    outbox: { emit: async (n: Notification) => void emitted.push({ event: n.event, seq: n.seq }) } as never,
    intervalMs,
    now,
  });
  return { store, health, emitted };
}

describe('the health sweep', () => {
  it('announces a tunnel change confirmed more than an hour after its first look', async () => {
    let clock = Date.now() - 10 * HOUR;
    let status = UP;
    const connection = () => [
      {
        VpnConnectionId: 'vco-slow',
        CustomerGatewayId: 'cgw-1',
        VpnGatewayId: 'vpn-1',
        Status: status,
        LocalSubnet: '10.0.0.0/16',
        RemoteSubnet: '172.16.0.0/16',
      },
    ];
    const { cloud } = listing(connection);
    const { store, health, emitted } = sweeper(`${t.prefix}:slow`, cloud, HOUR, () => clock);
    const request = succeeded(
      {
        resource: 'vpn_connection',
        params: {
          RegionId: 'cn-hangzhou',
          VpnGatewayId: 'vpn-1',
          CustomerGatewayId: 'cgw-1',
          LocalSubnet: '10.0.0.0/16',
          RemoteSubnet: '172.16.0.0/16',
        },
        settle: { until: clock, outcome: 'settled', at: clock },
        cloud: { resourceId: 'vco-slow', facts: { Tunnel1: `cgw-1 · ${UP}` }, requestIds: [] },
      },
      clock,
    );
    await store.create(request, 'test');
    try {
      await health.sweep();
      status = DOWN;
      clock += HOUR;
      await health.sweep(); // seen down once
      clock += HOUR + 60_000; // every worker away for an hour and a minute
      expect((await health.sweep()).announced).toBe(1);
      expect(emitted).toEqual([{ event: 'tunnel_down', seq: 1 }]);
    } finally {
      await health.close();
    }
  });

  it('looks a resource up by its id when the list shifted under it, and does not say it is gone', async () => {
    let rows = Array.from({ length: 60 }, (_, i) => ({
      CustomerGatewayId: `cgw-${String(i).padStart(3, '0')}`,
      IpAddress: `47.1.1.${i + 1}`,
    }));
    // Someone deletes a customer gateway of page 1 right after page 1 was read: the first of
    // page 2 slides onto page 1, and page 2 starts one further on.
    const { cloud, finds } = listing(
      () => rows,
      (page) => {
        if (page === 1) rows = rows.filter((r) => r.CustomerGatewayId !== 'cgw-010');
      },
    );
    const { store, health, emitted } = sweeper(`${t.prefix}:shift`, cloud, 60_000, Date.now);
    const onTheBoundary = succeeded(
      { cloud: { resourceId: 'cgw-050', facts: {}, requestIds: [] } },
      Date.now(),
    );
    const onPageOne = succeeded({ cloud: { resourceId: 'cgw-000', facts: {}, requestIds: [] } }, Date.now());
    await store.create(onTheBoundary, 'test');
    await store.create(onPageOne, 'test');
    try {
      const report = await health.sweep();
      expect(report.drifted).toBe(0);
      expect(finds()).toBe(1);
      expect(emitted).toEqual([]);
      expect((await store.get(onTheBoundary.id))?.drift).toBeUndefined();
      // Gone indeed: asked by its id too, then said.
      rows = rows.filter((r) => r.CustomerGatewayId !== 'cgw-050');
      expect((await health.sweep()).drifted).toBe(1);
      expect(emitted).toEqual([{ event: 'drift', seq: 1 }]);
    } finally {
      await health.close();
    }
  });
});

describe('scheduled sweeps', () => {
  it('run one at a time: a sweep due while another still lists does nothing, and the next one runs', async () => {
    let listings = 0;
    const slow = {
      async listPage() {
        listings++;
        await new Promise((r) => setTimeout(r, 300));
        return { items: [{ CustomerGatewayId: 'cgw-lease' }], totalCount: 1 };
      },
      async find() {
        return undefined;
      },
    } as unknown as ResourceCloud;
    const { store, health } = sweeper(`${t.prefix}:lease`, slow, 1_000, Date.now);
    await store.create(
      succeeded({ cloud: { resourceId: 'cgw-lease', facts: {}, requestIds: [] } }, Date.now()),
      'test',
    );
    try {
      const [first, second] = await Promise.all([health.sweepOnce(), health.sweepOnce()]);
      expect([first, second].filter((r) => r === undefined)).toHaveLength(1);
      expect(listings).toBe(1);
      // Released once done: the next one runs.
      expect(await health.sweepOnce()).toMatchObject({ listingCalls: 1 });
      expect(listings).toBe(2);
    } finally {
      await health.close();
    }
  });
});

describe('the watch sweep', () => {
  it('looks a watched resource up by its id when the list shifted under it, so a deletion is not done early', async () => {
    let rows = Array.from({ length: 60 }, (_, i) => ({
      CustomerGatewayId: `cgw-${String(i).padStart(3, '0')}`,
    }));
    const { cloud, finds } = listing(
      () => rows,
      (page) => {
        if (page === 1) rows = rows.filter((r) => r.CustomerGatewayId !== 'cgw-010');
      },
    );
    const seen = await regionItems(
      cloud,
      resourceOf('customer_gateway'),
      'cn-hangzhou',
      new Set(['cgw-050', 'cgw-059']),
    );
    expect(seen.complete).toBe(true);
    expect([...seen.byId.keys()]).toContain('cgw-050');
    expect(finds()).toBe(1);
  });
});
