/**
 * The fault-injection suite: requests through a bot process and worker processes while workers
 * are killed with SIGKILL at random moments and restarted, Redis (append-only) restarts, cloud
 * calls fail with throttling or 5xx and Slack answers 429. `npm run test:faults` runs the full
 * size (FAULT_REQUESTS=100); `npm test` runs a small one. Every random draw (when to kill, whom,
 * which cloud call fails) comes from one seed, printed at the start; FAULT_SEED=<seed> replays it.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVpcClient, type DescribeVpcsResponse } from '../../src/cloud/index.js';
import {
  type FakeMessage,
  type FakeSlack,
  type FormValue,
  startFakeSlack,
} from '../../src/sandbox/fake-slack/index.js';
import { seededRandom } from '../../src/sandbox/simulator/faults.js';
import { parseFaults } from '../../src/sandbox/simulator/index.js';
import { notificationJobId } from '../../src/workflow/job-ids.js';
import { notificationQueue } from '../../src/workflow/notifications.js';
import { RequestStore } from '../../src/workflow/store.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { type BotProcess, runNode } from '../support/processes.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { slackDriver } from '../support/slack-driver.js';

const REQUESTS = Number(process.env.FAULT_REQUESTS ?? 12);
const REDIS_RESTARTS = Number(process.env.FAULT_REDIS_RESTARTS ?? (REQUESTS >= 100 ? 2 : 1));
const SECRET = 'faults-signing-secret';
const CLOUD = { accessKeyId: 'faults', accessKeySecret: 'faults-cloud-secret' };
const PREFIX = '{gw-faults}';
const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
const random = seededRandom(SEED);

let redisServer: Awaited<ReturnType<typeof startPrivateRedis>>;
let redis: Redis;
let slack: FakeSlack;
let sim: TestSimulator;
let bot: BotProcess;
const workers: BotProcess[] = [];
/** Workers that have said they started. */
const started = new Set<BotProcess>();
let botUrl = '';

function env(role: string): Record<string, string> {
  return {
    ROLE: role,
    SLACK_BOT_TOKEN: 'xoxb-faults',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: PREFIX,
    APPROVERS: 'U0LEAD1',
    ALIBABA_CLOUD_ACCESS_KEY_ID: CLOUD.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: CLOUD.accessKeySecret,
    ALIBABA_CLOUD_VPC_ENDPOINT: sim.url,
    VPC_REQUEST_TIMEOUT: '2s',
    POLL_INTERVAL: '200ms',
    POLL_MAX_INTERVAL: '1s',
    PROVISION_TIMEOUT: '5m',
    WORKER_LOCK_DURATION: '2s',
    LOG_LEVEL: 'warn',
  };
}

async function startWorker(): Promise<BotProcess> {
  // At info, so that it says when it has started.
  const worker = runNode('src/main.ts', { ...env('worker'), LOG_LEVEL: 'info' });
  workers.push(worker);
  worker
    .waitForLog(/gateway bot started/, 120_000)
    .then(() => started.add(worker))
    .catch(() => undefined); // killed before it started
  return worker;
}

beforeAll(async () => {
  if (!Number.isInteger(SEED) || SEED < 0) throw new Error(`FAULT_SEED must be a whole number, not ${SEED}`);
  console.log(`fault suite seed: ${SEED} (replay with FAULT_SEED=${SEED})`);
  redisServer = await startPrivateRedis();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // expected while the server restarts
  slack = await startFakeSlack({ tokens: ['xoxb-faults'] });
  sim = await startTestSimulator({
    ...CLOUD,
    provisionTimeMs: 1_500,
    quotas: { vpnGateways: 1000, customerGateways: 1000 },
  });
  bot = runNode('src/main.ts', { ...env('bot'), LOG_LEVEL: 'info' });
  botUrl = `http://127.0.0.1:${(await bot.waitForLog(/gateway bot started/)).port}/slack/events`;
  await Promise.all([startWorker(), startWorker()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([bot, ...workers].map((p) => p?.stop('SIGKILL')));
  redis?.disconnect();
  await slack?.close();
  await sim?.close();
  await redisServer?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL = new Set(['succeeded', 'failed', 'rejected', 'cancelled', 'expired']);

describe(`faults: ${REQUESTS} requests, workers killed, Redis restarted ${REDIS_RESTARTS}×, 20 % cloud faults, 20 % Slack 429`, () => {
  it('gives every approved request exactly one gateway, a final state, one announcement and a complete audit trail', async () => {
    const store = new RequestStore({ redis, prefix: PREFIX });
    const driver = slackDriver(slack, () => botUrl, SECRET);
    slack.rateLimitEvery('chat.postMessage', 5, 1);
    // Looked up before faults are injected: a failed lookup would make every VPN request invalid.
    const vpcId = (
      await createVpcClient({ ...CLOUD, endpoint: sim.url }).call<DescribeVpcsResponse>('DescribeVpcs', {
        RegionId: 'me-east-1',
      })
    ).Vpcs.Vpc[0]?.VpcId as string;
    sim.setFaults({
      ...parseFaults('Throttling.User=0.1,ServiceUnavailable=0.06,InternalError=0.05'),
      seed: SEED,
    });

    // Chaos in the background: kill a worker now and then, restart Redis a few times.
    let chaos = true;
    const kills: number[] = [];
    const killer = (async () => {
      while (chaos) {
        await sleep(700 + random() * 1_500);
        if (!chaos) break;
        const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
        // Not while every worker is still starting: on a busy machine, where starting takes
        // seconds, workers were killed while starting until none ever took a job.
        if (!live.some((w) => started.has(w))) continue;
        const victim = live[Math.floor(random() * live.length)];
        if (victim) {
          victim.child.kill('SIGKILL');
          kills.push(Date.now());
          await startWorker();
        }
      }
    })();

    const ids: string[] = [];
    const restartAt = new Set(
      Array.from({ length: REDIS_RESTARTS }, (_, i) =>
        Math.floor(((i + 1) * REQUESTS) / (REDIS_RESTARTS + 1)),
      ),
    );
    for (let i = 0; i < REQUESTS; i++) {
      if (restartAt.has(i)) await redisServer.restart(300);
      const ip = `47.${80 + Math.floor(i / 250)}.${Math.floor(i / 50)}.${(i % 250) + 1}`;
      const values: Record<string, FormValue> =
        i % 4 === 0
          ? {
              RegionId: { option: 'me-east-1' },
              VpcId: { option: vpcId },
              Bandwidth: { option: '10' },
              Name: `vpn${i}`,
            }
          : { RegionId: { option: 'cn-hangzhou' }, IpAddress: ip };
      // Redis may be down for a moment: a person would simply try again.
      for (let attempt = 0; ; attempt++) {
        const answer = await driver
          .request('U0ASKER', i % 4 === 0 ? 'vpn' : 'customer', values)
          .catch(() => undefined);
        if (answer?.status === 200 && answer.text === '') break;
        if (attempt > 20) throw new Error(`submission ${i} kept failing: ${answer?.status} ${answer?.text}`);
        await sleep(300);
      }
    }
    for (const r of await store.recentInChannel('C0NETOPS', REQUESTS * 2)) ids.push(r.id);
    expect(ids).toHaveLength(REQUESTS);

    for (const id of ids) {
      const ts = await waitFor(async () => (await store.get(id))?.messageTs, 60_000).catch(async () => {
        throw new Error(`the request message of ${id} was never posted:\n${await diagnose(store, id)}`);
      });
      for (let attempt = 0; ; attempt++) {
        const click = await driver.click('U0LEAD1', 'approve_request', id, ts).catch(() => undefined);
        if (click?.status === 200) break;
        if (attempt > 20) throw new Error(`approval of ${id} kept failing`);
        await sleep(300);
      }
    }
    const finals = await Promise.all(
      ids.map((id) =>
        waitFor(async () => {
          const r = await store.get(id).catch(() => undefined);
          return r && FINAL.has(r.state) ? r : undefined;
        }, 180_000),
      ),
    );
    chaos = false;
    await killer;

    // Every approved request has exactly one gateway and reached a final state.
    const state = sim.state();
    const report = {
      requests: REQUESTS,
      succeeded: 0,
      failed: 0,
      workerKills: kills.length,
      redisRestarts: REDIS_RESTARTS,
      retries: 0,
      seed: SEED,
    };
    for (const r of finals) {
      const made = [...state.customerGateways, ...state.vpnGateways].filter((g) => g.ClientToken === r.id);
      expect(made, `${r.id} (${r.state} ${r.error?.code ?? ''})`).toHaveLength(1);
      expect(r.state, r.id).toBe('succeeded');
      report.succeeded += r.state === 'succeeded' ? 1 : 0;
    }

    // Every final state is announced in Slack exactly once.
    await waitFor(
      async () => (announcements(slack, ids).every((n) => n === 1) ? true : undefined),
      60_000,
    ).catch(() => undefined);
    const counts = announcements(slack, ids);
    const unannounced = ids.filter((_, k) => counts[k] !== 1);
    if (unannounced.length > 0)
      console.log(
        `announced other than once: ${(await Promise.all(unannounced.map((id) => diagnose(store, id)))).join('\n')}`,
      );
    expect(counts).toEqual(ids.map(() => 1));
    const roots = ids.map(
      (id) => slack.messages('C0NETOPS').filter((m) => notificationOf(m) === `${id}.submitted`).length,
    );
    expect(roots).toEqual(ids.map(() => 1));

    // The audit trail of each request is complete and unbroken.
    for (const r of finals) {
      const trail = await store.auditTrail(r.id);
      const moves = trail.filter((e) => e.to && !e.refused && e.from !== e.to);
      const path = [moves[0]?.to, ...moves.slice(1).map((e) => e.to)];
      const expected =
        r.resource === 'vpn_gateway'
          ? ['pending_approval', 'approved', 'creating', 'provisioning', 'succeeded']
          : ['pending_approval', 'approved', 'creating', 'succeeded'];
      expect(path, r.id).toEqual(expected);
      for (let i = 1; i < moves.length; i++) expect(moves[i]?.from, r.id).toBe(moves[i - 1]?.to);
      report.retries += trail.filter((e) => e.action === 'create_retry').length;
    }
    console.log(`fault suite: ${JSON.stringify(report)}`);
    expect(kills.length).toBeGreaterThan(0);
  }, 600_000);
});

function notificationOf(m: FakeMessage): string | undefined {
  const payload = m.metadata?.event_payload as { notification_id?: string } | undefined;
  return payload?.notification_id;
}

function announcements(slack: FakeSlack, ids: string[]): number[] {
  const all = slack.messages('C0NETOPS');
  return ids.map(
    (id) =>
      all.filter((m) => notificationOf(m) === `${id}.succeeded` || notificationOf(m) === `${id}.failed`)
        .length,
  );
}

/** What a test that timed out needs to say: the record, its audit trail, its notification jobs. */
async function diagnose(store: RequestStore, id: string): Promise<string> {
  const queue = notificationQueue(redis, PREFIX);
  try {
    const jobs = await Promise.all(
      ['submitted', 'approved', 'creating', 'succeeded', 'failed'].map(async (event) => {
        const job = await queue.getJob(notificationJobId({ requestId: id, event }));
        return job
          ? `${event}: ${await job.getState()} (attempts ${job.attemptsMade}, ${job.failedReason ?? ''})`
          : `${event}: none`;
      }),
    );
    return JSON.stringify({ request: await store.get(id), audit: await store.auditTrail(id), jobs }, null, 1);
  } finally {
    await queue.close();
  }
}

async function waitFor<T>(get: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(100);
  }
}
