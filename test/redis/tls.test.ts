/**
 * Redis over TLS through Sentinel: a primary, a replica and three Sentinels that speak TLS only
 * (certificates from a CA made here with openssl), reached with `rediss://` entries in
 * REDIS_SENTINELS. The operator tools run as processes that trust the CA (NODE_EXTRA_CA_CERTS,
 * Node's own way to add one), so the queues (BullMQ) and the request store both go over TLS; a
 * process that does not trust it is refused at the start-up check, naming each Sentinel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { newRequestId } from '../../src/workflow/ids.js';
import { RequestStore } from '../../src/workflow/store.js';
import { runNode } from '../support/processes.js';
import { type SentinelGroup, startSentinelGroup } from '../support/redis-servers.js';

const PREFIX = '{gw-tls}';
let group: SentinelGroup;
let env: Record<string, string>;

beforeAll(async () => {
  group = await startSentinelGroup({ replicas: 1, password: 'tls-data-password', tls: true });
  env = {
    REDIS_SENTINELS: group.sentinels.map((s) => `rediss://${s.address}`).join(','),
    REDIS_SENTINEL_MASTER: group.master,
    REDIS_PASSWORD: 'tls-data-password',
    REDIS_PREFIX: PREFIX,
  };
}, 60_000);
afterAll(async () => {
  await group?.close();
});

describe('Redis over TLS', () => {
  it('runs the operator tools over TLS when the CA is trusted, and refuses at start when it is not', async () => {
    expect(loadConfig(env).redis.tls).toBe(true);
    // A request written straight to the primary over TLS, with the CA given to this client.
    const primary = await group.primary();
    await primary.command(async (c) => {
      const store = new RequestStore({ redis: c, prefix: PREFIX });
      const now = Date.now();
      await store.create(
        {
          id: newRequestId(),
          operation: 'create',
          resource: 'customer_gateway',
          account: 'default',
          params: { RegionId: 'cn-hangzhou', IpAddress: '47.63.0.1' },
          paramsHash: 'tls',
          requester: { userId: 'U0ASKER' },
          channelId: 'C0NETOPS',
          locale: 'en',
          state: 'pending_approval',
          version: 0,
          createdAt: now,
          updatedAt: now,
          expiresAt: now + 60_000,
          approvals: [],
          cloud: { facts: {}, requestIds: [] },
        },
        'U0ASKER',
      );
    });

    const trusted = { ...env, NODE_EXTRA_CA_CERTS: group.tlsCaFile as string };
    const audit = runNode('src/tools/audit.ts', trusted, ['--since', '1h']);
    const queues = runNode('src/tools/operate.ts', trusted, ['queues']);
    const [auditExit, queuesExit] = await Promise.all([audit.exited, queues.exited]);
    expect(audit.output()).toContain('[pending_approval]');
    expect(auditExit.code).toBe(0);
    expect(queues.output()).toMatch(/^provision\s+active=0/m);
    expect(queuesExit.code).toBe(0);

    const untrusted = runNode('src/tools/operate.ts', env, ['queues']);
    const { code } = await untrusted.exited;
    expect(code).toBe(1);
    for (const sentinel of group.sentinels) {
      expect(untrusted.output()).toMatch(
        new RegExp(`Sentinel ${sentinel.address} is unreachable: .*certificate`),
      );
    }
    expect(untrusted.output()).not.toContain('tls-data-password');
  });
});
