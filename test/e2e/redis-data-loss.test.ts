/**
 * The reconciler after Redis lost its data, over the real app: a request stuck after Redis came
 * back empty, or after its keys were flushed without a reconnect, is still driven on.
 */
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { type ProvisionJob, provisionQueue } from '../../src/workflow/provisioner.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';
import { startPrivateRedis } from '../support/private-redis.js';

// A Redis of its own: this file empties it, which must never touch anyone else's keys. It and the
// file's own connection are there before the bot starts, and closed after the bot is.
const prefix = '{t-dataloss}';
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let admin: Redis;
let provisions: Queue<ProvisionJob>;

beforeAll(async () => {
  redis = await startPrivateRedis();
  admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  // It reconnects by itself when Redis restarts; the refused connections meanwhile are expected.
  admin.on('error', () => {});
  provisions = provisionQueue(admin, prefix);
}, 60_000);
afterAll(async () => {
  await provisions?.close();
  admin?.disconnect();
  await redis?.close();
});
const e = useE2E({ prefix }, () => ({
  env: { REDIS_URL: redis.url },
  overrides: { reconcileEveryMs: 300, scheduleCheckEveryMs: 500 },
}));

async function readyAgain() {
  await expect
    .poll(
      async () => ((await (await fetch(`${e.bot.http.url}/readyz`)).json()) as { ready: boolean }).ready,
      {
        timeout: 15_000,
        interval: 100,
      },
    )
    .toBe(true);
}

/**
 * A request approved in Slack whose provisioning job then vanished, as a crash or a lost Redis
 * write can leave one: only the reconciler can take it on from here.
 */
async function stuckRequest(ip: string): Promise<ResourceRequest> {
  const modal = await e.openModal(PEOPLE.requester, 'customer');
  const answer = await e.submit(PEOPLE.requester, modal, {
    RegionId: { option: 'cn-shanghai' },
    IpAddress: ip,
  });
  expect(answer.text).toBe('');
  const [submitted] = await e.bot.store.recentInChannel(CHANNEL, 1);
  const request = await e.requestMessage(submitted?.id as string);
  await provisions.pause();
  try {
    expect((await e.click(PEOPLE.lead1, ACTION_IDS.approve, request)).status).toBe(200);
    await e.waitForState(request.id, ['approved']);
    const job = await provisions.getJob(request.id);
    expect(job).toBeDefined();
    await job?.remove();
  } finally {
    await provisions.resume();
  }
  expect(await provisions.getJob(request.id)).toBeUndefined();
  return request;
}

describe('the reconciler after Redis lost its data', () => {
  it('still re-drives a stuck request created after Redis came back empty', async () => {
    await redis.restart(300, { empty: true });
    await readyAgain();
    const request = await stuckRequest('47.60.0.1');
    const done = await e.waitForState(request.id, ['succeeded', 'failed'], 20_000);
    expect(done.state).toBe('succeeded');
    const trail = await e.bot.store.auditTrail(request.id);
    expect(trail.map((x) => x.to)).toContain('succeeded');
  }, 60_000);

  it('still re-drives one after its keys were flushed without a reconnect', async () => {
    await admin.flushall();
    const request = await stuckRequest('47.60.0.2');
    const done = await e.waitForState(request.id, ['succeeded', 'failed'], 20_000);
    expect(done.state).toBe('succeeded');
  }, 60_000);
});
