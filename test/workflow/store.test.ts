import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ApprovalPolicy } from '../../src/workflow/approval-policy.js';
import { type ApprovalCheck, checkApprover } from '../../src/workflow/approval-requirement.js';
import { newRequestId } from '../../src/workflow/ids.js';
import {
  FIRST_REFUSAL as FIRST,
  REFUSAL_INTERVAL_MS,
  REQUESTER_INDEX_KEEP,
  RequestStore,
} from '../../src/workflow/store.js';
import { decideApproval, decideCancel, decideRejection } from '../../src/workflow/transitions.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { testRedis } from '../support/redis.js';

const t = testRedis('store');
afterAll(() => t.cleanup());

const POLICY: ApprovalPolicy = {
  approvers: ['U0LEAD1', 'U0LEAD2', 'U0LEAD3'],
  allowSelfApproval: false,
  requiredApprovals: 1,
};

/** The click-time check under the base rule alone, as the workflow makes it without a policy file. */
function check(
  request: ResourceRequest,
  userId: string,
  base: ApprovalPolicy = POLICY,
): Promise<ApprovalCheck> {
  return checkApprover(undefined, base, request, userId);
}

let made = 0;
function pendingRequest(overrides: Partial<ResourceRequest> = {}): ResourceRequest {
  const now = Date.now();
  made++;
  return {
    id: newRequestId(),
    operation: 'create',
    resource: 'customer_gateway',
    account: 'default',
    params: { RegionId: 'cn-hangzhou', IpAddress: `47.1.${Math.floor(made / 250)}.${(made % 250) + 1}` },
    paramsHash: 'hash',
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NET',
    locale: 'en',
    state: 'pending_approval',
    version: 0,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 60_000,
    approvals: [],
    cloud: { facts: {}, requestIds: [] },
    ...overrides,
  };
}

describe('RequestStore', () => {
  it('creates a request once and refuses the same id again', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest();
    expect(await store.create(request, 'U0ASKER')).toEqual({
      ok: true,
      created: true,
      request: { ...request, version: 1 },
    });
    expect(await store.create({ ...request, params: { RegionId: 'x' } }, 'U0ASKER')).toEqual({
      ok: true,
      created: false,
    });
    const stored = await store.mustGet(request.id);
    expect(stored.params).toEqual(request.params);
    expect(stored.version).toBe(1);
    expect(await store.recentInChannel('C0NET')).toContainEqual(stored);
  });

  it('lets one live request claim a unique value per region, and frees it when the request ends', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const ip = { RegionId: 'cn-hangzhou', IpAddress: '47.99.0.1' };
    const first = pendingRequest({ params: ip });
    const second = pendingRequest({ params: ip });
    const elsewhere = pendingRequest({ params: { ...ip, RegionId: 'cn-shanghai' } });
    expect(await store.create(first, 'U0ASKER')).toMatchObject({ ok: true, created: true });
    expect(await store.create(second, 'U0ASKER')).toEqual({
      ok: false,
      conflict: { param: 'IpAddress', requestId: first.id },
    });
    expect(await store.get(second.id)).toBeUndefined();
    expect(await store.create(elsewhere, 'U0ASKER')).toMatchObject({ ok: true, created: true });
    await store.update(first.id, 'U0ASKER', 'cancel', (current) =>
      decideCancel(current, { userId: 'U0ASKER' }, Date.now()),
    );
    expect(await store.create(second, 'U0ASKER')).toMatchObject({ ok: true, created: true });
  });

  it('drops sealed secrets when a request ends or its resource exists', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest({ secrets: { AuthKey: 'v1.sealed' }, secretNames: ['AuthKey'] });
    await store.create(request, 'U0ASKER');
    expect((await store.mustGet(request.id)).secrets).toEqual({ AuthKey: 'v1.sealed' });
    await store.update(request.id, 'U0ASKER', 'cancel', (current) =>
      decideCancel(current, { userId: 'U0ASKER' }, Date.now()),
    );
    const ended = await store.mustGet(request.id);
    expect(ended.secrets).toBeUndefined();
    expect(ended.secretNames).toEqual(['AuthKey']);
  });

  it('turns 20 concurrent approvals into exactly one transition', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest();
    await store.create(request, 'U0ASKER');
    const clickers = Array.from({ length: 20 }, (_, i) => POLICY.approvers[i % 3] as string);
    const results = await Promise.all(
      clickers.map(async (userId) => {
        const checked = await check(request, userId);
        return store.update(request.id, userId, 'approve', (current) =>
          decideApproval(current, { userId }, checked, Date.now()),
        );
      }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refusals = results.flatMap((r) => (!r.ok && 'refusal' in r ? [r.refusal.code] : []));
    expect(refusals).toHaveLength(19);
    expect(new Set(refusals)).toEqual(new Set(['already_decided']));
    const stored = await store.mustGet(request.id);
    expect(stored.state).toBe('approved');
    expect(stored.approvals).toHaveLength(1);
    expect(await store.activeIds()).toContain(request.id);
    const trail = await store.auditTrail(request.id);
    expect(trail.filter((e) => e.to === 'approved' && e.from === 'pending_approval')).toHaveLength(1);
    // Three approvers: each one's refusals are one event, counting them all.
    const decided = trail.filter((e) => e.refused === 'already_decided');
    expect(decided.length).toBeLessThanOrEqual(3);
    expect(decided.reduce((sum, e) => sum + (e.times ?? 1), 0)).toBe(19);
    expect(results.filter((r) => !r.ok && 'tally' in r && r.tally.first)).toHaveLength(decided.length);
  });

  it('needs distinct approvers when more than one approval is required', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const policy = { ...POLICY, requiredApprovals: 2 };
    const request = pendingRequest();
    await store.create(request, 'U0ASKER');
    const approve = async (userId: string) => {
      const checked = await check(request, userId, policy);
      return store.update(request.id, userId, 'approve', (c) =>
        decideApproval(c, { userId }, checked, Date.now()),
      );
    };
    expect((await approve('U0LEAD1')).ok).toBe(true);
    const twice = await approve('U0LEAD1');
    expect(!twice.ok && 'refusal' in twice && twice.refusal.code).toBe('already_approved_by_you');
    expect((await store.mustGet(request.id)).state).toBe('pending_approval');
    expect((await approve('U0LEAD2')).ok).toBe(true);
    const stored = await store.mustGet(request.id);
    expect(stored.state).toBe('approved');
    expect(stored.approvals.map((a) => a.userId)).toEqual(['U0LEAD1', 'U0LEAD2']);
  });

  it('refuses and audits self-approval, outsiders and decided requests, changing nothing', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest({ requester: { userId: 'U0LEAD1' } });
    await store.create(request, 'U0LEAD1');
    const lead1 = await check(request, 'U0LEAD1');
    const nobody = await check(request, 'U0NOBODY');
    const self = await store.update(request.id, 'U0LEAD1', 'approve', (c) =>
      decideApproval(c, { userId: 'U0LEAD1' }, lead1, Date.now()),
    );
    const outsider = await store.update(request.id, 'U0NOBODY', 'approve', (c) =>
      decideApproval(c, { userId: 'U0NOBODY' }, nobody, Date.now()),
    );
    const notRequester = await store.update(request.id, 'U0LEAD2', 'cancel', (c) =>
      decideCancel(c, { userId: 'U0LEAD2' }, Date.now()),
    );
    expect(
      [self, outsider, notRequester].map((r) => (!r.ok && 'refusal' in r ? r.refusal.code : 'ok')),
    ).toEqual(['self_approval', 'not_approver', 'not_requester']);
    const unchanged = await store.mustGet(request.id);
    expect(unchanged.version).toBe(1);
    expect(unchanged.state).toBe('pending_approval');

    const rejected = await store.update(request.id, 'U0LEAD2', 'reject', (c) =>
      decideRejection(c, { userId: 'U0LEAD2' }, true, 'wrong region', Date.now()),
    );
    expect(rejected.ok).toBe(true);
    const lead3 = await check(request, 'U0LEAD3');
    const late = await store.update(request.id, 'U0LEAD3', 'approve', (c) =>
      decideApproval(c, { userId: 'U0LEAD3' }, lead3, Date.now()),
    );
    expect(!late.ok && 'refusal' in late && late.refusal.code).toBe('already_decided');
    const final = await store.mustGet(request.id);
    expect(final.state).toBe('rejected');
    expect(final.rejection).toMatchObject({ userId: 'U0LEAD2', reason: 'wrong region' });

    const trail = await store.auditTrail(request.id);
    expect(trail.map((e) => [e.actor, e.action, e.refused ?? e.to])).toEqual([
      ['U0LEAD1', 'submitted', 'pending_approval'],
      ['U0LEAD1', 'approve', 'self_approval'],
      ['U0NOBODY', 'approve', 'not_approver'],
      ['U0LEAD2', 'cancel', 'not_requester'],
      ['U0LEAD2', 'reject', 'rejected'],
      ['U0LEAD3', 'approve', 'already_decided'],
    ]);
    const all = await store.auditSince(0);
    expect(all.filter((e) => e.requestId === request.id)).toEqual(trail);
  });

  it('records refusals that come together in one round trip, each only on a request that exists', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest();
    await store.create(request, 'U0ASKER');
    const redis = t.redis as typeof t.redis & { gwRefuse: (...args: unknown[]) => Promise<unknown> };
    const calls = vi.spyOn(redis, 'gwRefuse');
    try {
      const refusal = (requestId: string, actor: string) =>
        store.refuse({ requestId, at: Date.now(), actor, action: 'approve', refused: 'not_approver' });
      const counted = await Promise.all([
        refusal(request.id, 'U0A'),
        refusal('gw-20260101-nosuchthing', 'U0B'),
        refusal(request.id, 'U0C'),
      ]);
      // Each is the first of its own (person, request, action, reason): answered, with or without a request.
      expect(counted).toEqual([FIRST, FIRST, FIRST]);
      expect(calls).toHaveBeenCalledTimes(1);
      const trail = await store.auditTrail(request.id);
      expect(trail.filter((e) => e.refused).map((e) => e.actor)).toEqual(['U0A', 'U0C']);
      expect(await t.redis.exists(`${t.prefix}:audit:gw-20260101-nosuchthing`)).toBe(0);
      // A refusal after the batch was written goes in a round trip of its own.
      expect(await refusal(request.id, 'U0D')).toEqual(FIRST);
      expect(calls).toHaveBeenCalledTimes(2);
      // At most a hundred go together: the hundred-and-first starts a round trip of its own.
      const many = await Promise.all(Array.from({ length: 101 }, (_, i) => refusal(request.id, `U1${i}`)));
      expect(many.every((tally) => tally.first)).toBe(true);
      expect(calls).toHaveBeenCalledTimes(4);
      // The number of keys, the stream, three keys each, the interval, three arguments each.
      expect((calls.mock.calls[2] as unknown[]).length).toBe(1 + 1 + 100 * 3 + 1 + 100 * 3);
      // Redis refusing the write fails every refusal that waited for it.
      calls.mockRejectedValueOnce(new Error('READONLY'));
      const failed = await Promise.allSettled([refusal(request.id, 'U0E'), refusal(request.id, 'U0F')]);
      expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    } finally {
      calls.mockRestore();
    }
  });

  it('counts a refusal repeated within its interval in the first one’s event, on every process, and answers only that one', async () => {
    // Two stores on two connections: two bot processes behind a load balancer.
    const one = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const other = new RequestStore({ redis: t.connect(), prefix: t.prefix });
    const request = pendingRequest();
    await one.create(request, 'U0ASKER');
    const at = Date.now();
    const refusal = (store: RequestStore, actor: string, refused: string, when: number) =>
      store.refuse({ requestId: request.id, at: when, actor, action: 'approve', refused });
    const burst = await Promise.all(
      Array.from({ length: 300 }, (_, i) => refusal(i % 2 ? one : other, 'U0OUT', 'not_approver', at + i)),
    );
    expect(burst.filter((tally) => tally.first)).toHaveLength(1);
    expect(burst.map((tally) => tally.times).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    // Another person, or another reason, is a tally of its own.
    expect(await refusal(one, 'U0OTHER', 'not_approver', at + 400)).toEqual(FIRST);
    expect(await refusal(other, 'U0OUT', 'already_decided', at + 400)).toEqual(FIRST);

    const refusals = (await one.auditTrail(request.id)).filter((e) => e.refused);
    expect(refusals.map((e) => [e.actor, e.refused, e.times ?? 1])).toEqual([
      ['U0OUT', 'not_approver', 300],
      ['U0OTHER', 'not_approver', 1],
      ['U0OUT', 'already_decided', 1],
    ]);
    // The first written, and the last counted (two processes: not necessarily in the order sent).
    const [{ at: first = 0, lastAt = 0 } = { at: 0 }] = refusals;
    expect(first).toBeGreaterThanOrEqual(at);
    expect(lastAt).toBeGreaterThan(first);
    expect(lastAt).toBeLessThanOrEqual(at + 299);
    // Everyone's trail shows the same event, count included.
    expect((await one.auditSince(at - 1)).filter((e) => e.requestId === request.id && e.refused)).toEqual(
      refusals,
    );

    // After the interval the next refusal is the first of a new one, and says what the last held.
    expect(await refusal(one, 'U0OUT', 'not_approver', first + REFUSAL_INTERVAL_MS - 1)).toEqual({
      first: false,
      times: 301,
    });
    const next = await refusal(one, 'U0OUT', 'not_approver', first + REFUSAL_INTERVAL_MS);
    expect(next).toEqual({ first: true, times: 1, before: { times: 301, since: first } });
    const trail = (await one.auditTrail(request.id)).filter((e) => e.refused === 'not_approver');
    expect(trail.map((e) => [e.actor, e.times ?? 1])).toEqual([
      ['U0OUT', 301],
      ['U0OTHER', 1],
      ['U0OUT', 1],
    ]);
  });

  it('counts refusals on an id no request has as on one that exists, writing no trail for it', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix, refusalIntervalMs: 1_000 });
    const request = pendingRequest();
    await store.create(request, 'U0ASKER');
    const none = 'gw-20260101-nosuchthing';
    const at = Date.now();
    const answered = async (requestId: string) => {
      const tallies: boolean[] = [];
      for (const when of [at, at + 10, at + 999, at + 1_000, at + 1_500, at + 2_000])
        tallies.push(
          (
            await store.refuse({
              requestId,
              at: when,
              actor: 'U0OUT',
              action: 'reject',
              refused: 'not_approver',
            })
          ).first,
        );
      return tallies;
    };
    expect(await answered(request.id)).toEqual([true, false, false, true, false, true]);
    expect(await answered(none)).toEqual([true, false, false, true, false, true]);
    expect(await t.redis.exists(`${t.prefix}:audit:${none}`, `${t.prefix}:req:${none}`)).toBe(0);
    // Counting only (a click that had nothing to do): no event, and still one answer an interval.
    const quiet = (when: number) =>
      store.refuse(
        { requestId: request.id, at: when, actor: 'U0LEAD1', action: 'approve', refused: 'nothing_to_do' },
        { audit: false },
      );
    expect((await quiet(at)).first).toBe(true);
    expect((await quiet(at + 1)).first).toBe(false);
    const trail = await store.auditTrail(request.id);
    expect(trail.filter((e) => e.refused === 'nothing_to_do')).toEqual([]);
    expect(trail.filter((e) => e.refused === 'not_approver').map((e) => e.times ?? 1)).toEqual([3, 2, 1]);
  });

  it('expires a request approved after its window closed', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest({ expiresAt: Date.now() - 1 });
    await store.create(request, 'U0ASKER');
    expect(await store.expiredPendingIds(Date.now())).toContain(request.id);
    const lead1 = await check(request, 'U0LEAD1');
    const result = await store.update(request.id, 'U0LEAD1', 'approve', (c) =>
      decideApproval(c, { userId: 'U0LEAD1' }, lead1, Date.now()),
    );
    expect(result.ok && result.request.state).toBe('expired');
    expect(await store.expiredPendingIds(Date.now())).not.toContain(request.id);
  });

  it('refuses an illegal transition outright', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: t.prefix });
    const request = pendingRequest();
    await store.create(request, 'U0ASKER');
    await expect(
      store.update(request.id, 'system', 'bogus', (c) => ({
        kind: 'apply',
        next: { ...c, state: 'succeeded' },
      })),
    ).rejects.toThrow(/Illegal transition pending_approval → succeeded/);
  });
});

describe('who speaks for a cloud id', () => {
  it('passes it to a deletion or an adoption that succeeded, and never back to a late write of the one before', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: `${t.prefix}:owner` });
    const down = { Tunnel1: 'tun-1 · cgw-1 · ike_sa_not_established' };
    const adoption = pendingRequest({
      operation: 'adopt',
      resource: 'vpn_connection',
      params: { RegionId: 'cn-hangzhou', VpnConnectionId: 'vco-late' },
      state: 'succeeded',
      cloud: { resourceId: 'vco-late', facts: down, requestIds: [] },
    });
    await store.create(adoption, 'system');
    expect((await store.getByResourceId('vco-late'))?.id).toBe(adoption.id);
    expect(await store.liveIds()).toEqual([adoption.id]);
    expect((await store.tunnelsDown()).map((d) => d.request.id)).toEqual([adoption.id]);
    // (Stored as done at once, the adoption keeps its claim on the id: the deletion is written as
    // of another region, which claims another key and speaks for the same id all the same.)
    const deletion = pendingRequest({
      operation: 'delete',
      resource: 'vpn_connection',
      params: { RegionId: 'cn-shanghai', VpnConnectionId: 'vco-late' },
      state: 'succeeded',
      cloud: { resourceId: 'vco-late', facts: {}, requestIds: [] },
    });
    expect(await store.create(deletion, 'U0ASKER')).toMatchObject({ ok: true });
    expect((await store.getByResourceId('vco-late'))?.id).toBe(deletion.id);
    expect(await store.liveIds()).toEqual([]);
    // A health look read before the deletion, written after it: the adoption stays out.
    await store.update(adoption.id, 'system:health', 'health_seen', (c) => ({
      kind: 'apply',
      next: { ...c, cloud: { ...c.cloud, facts: down } },
    }));
    expect((await store.getByResourceId('vco-late'))?.id).toBe(deletion.id);
    expect(await store.liveIds()).toEqual([]);
    expect(await store.tunnelsDown()).toEqual([]);
  });
});

describe('the indexes of the Home tab', () => {
  it('keeps a person’s newest requests, no more than REQUESTER_INDEX_KEEP of them', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: `${t.prefix}:mine` });
    const ids: string[] = [];
    for (let i = 0; i <= REQUESTER_INDEX_KEEP; i++) {
      const request = pendingRequest({ requester: { userId: 'U0MANY' }, createdAt: 1_000 + i });
      ids.push(request.id);
      await store.create(request, 'U0MANY');
    }
    await store.create(pendingRequest({ requester: { userId: 'U0OTHER' } }), 'U0OTHER');
    expect(await store.countByRequester('U0MANY')).toBe(REQUESTER_INDEX_KEEP);
    const newest = await store.recentByRequester('U0MANY', 3);
    expect(newest.map((r) => r.id)).toEqual(ids.slice(-3).reverse());
    // A later write of a request does not move it in its requester's list.
    const [oldestKept] = ids.slice(1);
    await store.update(oldestKept ?? '', 'U0MANY', 'cancel', (c) =>
      decideCancel(c, { userId: 'U0MANY' }, 5_000),
    );
    expect((await store.recentByRequester('U0MANY', 1))[0]?.id).toBe(ids.at(-1));
  });

  it('lists a connection with a tunnel down until its facts show it up, or its deletion succeeds', async () => {
    const store = new RequestStore({ redis: t.redis, prefix: `${t.prefix}:down` });
    const down = { Tunnel1: 'tun-1 · cgw-1 · ike_sa_not_established' };
    const connection = pendingRequest({
      resource: 'vpn_connection',
      params: { RegionId: 'cn-hangzhou' },
      state: 'succeeded',
      settle: { until: Date.now() + 60_000 },
      cloud: { resourceId: 'vco-down', facts: down, requestIds: [] },
    });
    await store.create(connection, 'system');
    expect((await store.tunnelsDown()).map((d) => d.request.id)).toEqual([connection.id]);
    const seen = (facts: Record<string, string>) =>
      store.update(connection.id, 'system', 'settle_seen', (c) => ({
        kind: 'apply',
        next: { ...c, cloud: { ...c.cloud, facts } },
      }));
    await seen({ Tunnel1: 'tun-1 · cgw-1 · ipsec_sa_established' });
    expect(await store.tunnelsDown()).toEqual([]);
    await seen(down);
    expect((await store.tunnelsDown()).map((d) => d.request.id)).toEqual([connection.id]);
    // A gateway (nothing that settles) is never listed, whatever its facts.
    await store.create(
      pendingRequest({ state: 'succeeded', cloud: { resourceId: 'cgw-x', facts: down, requestIds: [] } }),
      'system',
    );
    expect(await store.tunnelsDown()).toHaveLength(1);
    // Its deletion done: the connection is gone, and so is it from the list.
    await store.create(
      pendingRequest({
        operation: 'delete',
        resource: 'vpn_connection',
        params: { RegionId: 'cn-hangzhou' },
        state: 'succeeded',
        cloud: { resourceId: 'vco-down', facts: {}, requestIds: [] },
      }),
      'U0ASKER',
    );
    expect(await store.tunnelsDown()).toEqual([]);
  });
});
