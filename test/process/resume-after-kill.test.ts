/**
 * Acknowledged work resumes soon after a crash: the bot (`src/main.ts`, every role, the default
 * WORKER_LOCK_DURATION) holds eight approved requests in their provisioning step — the cloud is
 * slow to answer — when it is SIGKILLed; started again, it carries each one out exactly once (one
 * customer gateway, one announcement, each step once in the audit trail) within 15 s of the
 * restart. Prints how long after the restart the last one was done.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { RequestStore } from '../../src/workflow/store.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { type BotProcess, botEnv, runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { slackDriver } from '../support/slack-driver.js';

const t = testRedis('resume');
const TOKEN = 'xoxb-resume-after-kill-token-8d1e';
const SIGNING_SECRET = 'resume-after-kill-signing-secret-5b7c';
const CLOUD = { id: 'resume-key', secret: 'resume-cloud-secret-2a9f' };
const CHANNEL = 'C0NETOPS';
const REQUESTS = 8;
const RESUME_WITHIN_MS = 15_000;
let slack: FakeSlack;
let sim: TestSimulator;
let store: RequestStore;
let provisioning: Queue;
let bot: BotProcess | undefined;
let eventsUrl = '';

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
  sim = await startTestSimulator({
    accessKeyId: CLOUD.id,
    accessKeySecret: CLOUD.secret,
    provisionTimeMs: 200,
  });
  store = new RequestStore({ redis: t.redis, prefix: t.prefix });
  // Read from outside, as an operator's `npm run queues` would: which jobs a worker holds.
  provisioning = new Queue('provision', { connection: t.redis, prefix: t.prefix });
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await provisioning.close();
  await slack.close();
  await sim.close();
  await t.cleanup();
});

/** Starts the bot (every role, WORKER_LOCK_DURATION left at its default) and waits until it serves. */
async function startBot(): Promise<void> {
  bot = runNode(
    'src/main.ts',
    botEnv(
      {
        token: TOKEN,
        signingSecret: SIGNING_SECRET,
        slackApiUrl: slack.apiUrl,
        redisUrl: REDIS_URL,
        prefix: t.prefix,
        cloud: { ...CLOUD, endpoint: sim.url },
      },
      {
        // The slow cloud holds the jobs; no call may time out before the bot is killed.
        VPC_REQUEST_TIMEOUT: '60s',
        POLL_INTERVAL: '100ms',
        POLL_MAX_INTERVAL: '200ms',
        LOG_LEVEL: 'info',
      },
    ),
  );
  const started = await bot.waitForLog(/gateway bot started/, 30_000);
  eventsUrl = `http://127.0.0.1:${started.port}/slack/events`;
}

const driver = () => slackDriver(slack, () => eventsUrl, SIGNING_SECRET, CHANNEL);

/** Submits a customer gateway request and resolves with it once its message is posted. */
async function submitted(ip: string): Promise<{ id: string; messageTs: string }> {
  const answer = await driver().request('U0ASKER', 'customer', {
    RegionId: { option: 'cn-hangzhou' },
    IpAddress: ip,
  });
  expect(answer.status).toBe(200);
  let request: ResourceRequest | undefined;
  await expect
    .poll(
      async () => {
        request = (await store.recentInChannel(CHANNEL, 20)).find((r) => r.params.IpAddress === ip);
        return request?.messageTs;
      },
      { timeout: 10_000 },
    )
    .toBeTruthy();
  return { id: (request as ResourceRequest).id, messageTs: (request as ResourceRequest).messageTs as string };
}

/** The announcements of a request's outcome posted in the channel. */
function announcements(id: string) {
  return slack
    .messages(CHANNEL)
    .filter(
      (m) =>
        (m.metadata?.event_payload as { notification_id?: string })?.notification_id === `${id}.succeeded`,
    );
}

describe('the bot SIGKILLed while it holds approved requests', () => {
  it(`carries each out exactly once within ${RESUME_WITHIN_MS / 1000} s of the restart`, async () => {
    await startBot();
    const requests = [];
    for (let i = 1; i <= REQUESTS; i++) requests.push(await submitted(`47.65.0.${i}`));

    // The cloud answers nothing for a while: each approved request's job is taken and held.
    sim.setFaults({ rules: [], latencyMs: 60_000 });
    for (const r of requests) {
      const clicked = await driver().click('U0LEAD1', 'approve_request', r.id, r.messageTs);
      expect(clicked.status).toBe(200);
    }
    await expect.poll(() => provisioning.getActiveCount(), { timeout: 10_000 }).toBe(REQUESTS);

    bot?.child.kill('SIGKILL');
    await bot?.exited;
    sim.setFaults({ rules: [], latencyMs: 0 });
    const restartedAt = Date.now();
    await startBot();

    const doneAfterMs = await Promise.all(
      requests.map(async (r) => {
        await expect
          .poll(
            async () => (await store.get(r.id))?.state === 'succeeded' && announcements(r.id).length > 0,
            {
              timeout: 30_000,
              interval: 50,
            },
          )
          .toBe(true);
        return Date.now() - restartedAt;
      }),
    );
    const lastMs = Math.max(...doneAfterMs);
    console.log(
      `resume after SIGKILL: ${REQUESTS} approvals held by the killed bot carried out, the last ` +
        `${(lastMs / 1000).toFixed(1)} s after the restart (first ${(Math.min(...doneAfterMs) / 1000).toFixed(1)} s)`,
    );
    expect(lastMs).toBeLessThanOrEqual(RESUME_WITHIN_MS);

    for (const r of requests) {
      // One gateway (its ClientToken is the request id) and one announcement each.
      expect(sim.state().customerGateways.filter((g) => g.ClientToken === r.id)).toHaveLength(1);
      expect(announcements(r.id)).toHaveLength(1);
      // Each step of the request ran once: its audit trail, whole.
      const trail = await store.auditTrail(r.id);
      expect(trail.map((e) => `${e.action}: ${e.from ?? ''}→${e.to}`)).toEqual([
        'submitted: →pending_approval',
        'message_posted: pending_approval→pending_approval',
        'approved: pending_approval→approved',
        'creating: approved→creating',
        'created: creating→succeeded',
      ]);
    }
  }, 90_000);
});
