/**
 * A failover under load, as operators would meet it: a bot process and two worker processes on a
 * replicated Redis (Sentinel or Cluster), requests typed and approved through signed Slack
 * requests, and the Redis primary killed with SIGKILL while requests are being submitted,
 * approved, created, watched and announced. `runFailover` returns what happened to every request;
 * the test files assert on it.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createVpcClient, type DescribeVpcsResponse } from '../../src/cloud/index.js';
import { loadConfig } from '../../src/config/index.js';
import { connectRedis } from '../../src/redis/index.js';
import type { FakeSlack, FormValue } from '../../src/sandbox/fake-slack/index.js';
import { startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { provisionJobId } from '../../src/workflow/job-ids.js';
import { provisionQueue } from '../../src/workflow/provision-job.js';
import { RequestStore } from '../../src/workflow/store.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { type BotProcess, runNode } from './processes.js';
import { until } from './redis-servers.js';
import { startTestSimulator } from './simulator.js';
import { slackDriver } from './slack-driver.js';

const SECRET = 'failover-signing-secret';
const CLOUD = { accessKeyId: 'failover', accessKeySecret: 'failover-cloud-secret' };
const CHANNEL = 'C0NETOPS';
/** People submitting at the same time while the primary fails. */
const PEOPLE = 4;
const FINAL = new Set(['succeeded', 'failed', 'rejected', 'cancelled', 'expired']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FailoverOptions {
  /** How the processes find Redis (REDIS_SENTINELS…, REDIS_CLUSTER_NODES…, passwords). */
  redisEnv: Record<string, string>;
  prefix: string;
  requests: number;
  /** Kills the primary holding the prefix's keys; resolves once a replica has taken over. */
  failover(): Promise<{ switchMs: number }>;
}

export interface FailoverReport {
  requests: number;
  /** Submissions Slack saw accepted whose request is not stored. */
  lost: number;
  /** Submissions stored twice. */
  duplicateRequests: number;
  /** Requests with more than one gateway in the cloud, and gateways no request made. */
  duplicateGateways: number;
  /** Requests whose outcome was announced in the channel exactly once. */
  announcedOnce: number;
  succeeded: number;
  /** From SIGKILL until Sentinel or the cluster named the new primary. */
  switchMs: number;
  /** The longest a client's writes stalled around the failover (a write every 20 ms). */
  writeStallMs: number;
  /** The slowest submission answered during the failover: what a person waited. */
  slowestSubmissionMs: number;
  /** Submissions a person had to send again because Slack showed an error (no answer within 3 s). */
  retriedSubmissions: number;
  /** What the bot answered to those. */
  submissionErrors: string[];
  /** Requests whose audit trail is not the one straight path through the lifecycle. */
  brokenTrails: string[];
  inFlightAtKill: Record<string, number>;
}

/** Every state a request passes through, in order, by resource type. */
const PATHS: Record<string, string[]> = {
  vpn_gateway: ['pending_approval', 'approved', 'creating', 'provisioning', 'succeeded'],
  customer_gateway: ['pending_approval', 'approved', 'creating', 'succeeded'],
};

export async function runFailover(o: FailoverOptions): Promise<FailoverReport> {
  const slack: FakeSlack = await startFakeSlack({ tokens: ['xoxb-failover'] });
  const sim = await startTestSimulator({
    ...CLOUD,
    provisionTimeMs: 1_500,
    quotas: { vpnGateways: 1000, customerGateways: 1000 },
  });
  const settings = loadConfig({ ...o.redisEnv, REDIS_PREFIX: o.prefix }).redis;
  const redis = connectRedis(settings);
  redis.on('error', () => {}); // expected while the primary is down
  const store = new RequestStore({ redis, prefix: o.prefix });
  const provisioning = provisionQueue(redis, o.prefix);
  const stuck = new Map<string, string>();
  const processes: BotProcess[] = [];
  const env = (role: string, level = 'warn'): Record<string, string> => ({
    ROLE: role,
    SLACK_BOT_TOKEN: 'xoxb-failover',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    ...o.redisEnv,
    REDIS_PREFIX: o.prefix,
    APPROVERS: 'U0LEAD1',
    ALIBABA_CLOUD_ACCESS_KEY_ID: CLOUD.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: CLOUD.accessKeySecret,
    ALIBABA_CLOUD_VPC_ENDPOINT: sim.url,
    VPC_REQUEST_TIMEOUT: '2s',
    POLL_INTERVAL: '200ms',
    POLL_MAX_INTERVAL: '1s',
    PROVISION_TIMEOUT: '5m',
    WORKER_LOCK_DURATION: '2s',
    LOG_LEVEL: level,
  });
  try {
    const bot = runNode('src/main.ts', env('bot', 'info'));
    processes.push(bot);
    const workers = [runNode('src/main.ts', env('worker')), runNode('src/main.ts', env('worker'))];
    processes.push(...workers);
    const botUrl = `http://127.0.0.1:${(await bot.waitForLog(/gateway bot started/, 60_000)).port}/slack/events`;
    const driver = slackDriver(slack, () => botUrl, SECRET, CHANNEL);
    const vpcId = (
      await createVpcClient({ ...CLOUD, endpoint: sim.url }).call<DescribeVpcsResponse>('DescribeVpcs', {
        RegionId: 'me-east-1',
      })
    ).Vpcs.Vpc[0]?.VpcId as string;

    const isVpn = (i: number) => i % 4 === 0;
    const ipOf = (i: number) => `47.${90 + Math.floor(i / 250)}.${Math.floor(i / 50)}.${(i % 250) + 1}`;
    const nameOf = (i: number) => `failover-vpn-${i}`;
    const matches = (i: number, r: ResourceRequest) =>
      isVpn(i) ? r.params.Name === nameOf(i) : r.params.IpAddress === ipOf(i);
    const found = new Map<number, ResourceRequest>();
    const approved = new Set<string>();
    let retriedSubmissions = 0;
    const submissionErrors: string[] = [];
    let slowestSubmissionMs = 0;
    let failoverRunning = false;

    async function submit(i: number) {
      const values: Record<string, FormValue> = isVpn(i)
        ? {
            // A single-tunnel region: one VPC is all the form needs.
            RegionId: { option: 'me-east-1' },
            VpcId: { option: vpcId },
            Bandwidth: { option: '10' },
            Name: nameOf(i),
          }
        : { RegionId: { option: 'cn-hangzhou' }, IpAddress: ipOf(i) };
      const modal = await driver.openModal('U0ASKER', isVpn(i) ? 'vpn' : 'customer');
      for (let attempt = 0; ; attempt++) {
        const started = Date.now();
        const answer = await driver.submit('U0ASKER', modal, values).catch(() => undefined);
        if (failoverRunning) slowestSubmissionMs = Math.max(slowestSubmissionMs, Date.now() - started);
        if (answer?.status === 200 && answer.text === '') return;
        // Slack showed an error (the bot did not answer within 3 s): a person clicks Submit again.
        retriedSubmissions++;
        submissionErrors.push(`${answer?.status ?? 'no answer'} ${answer?.text.slice(0, 200) ?? ''}`);
        if (attempt > 20) throw new Error(`submission ${i} kept failing: ${answer?.status} ${answer?.text}`);
        await sleep(300);
      }
    }

    /** Approves every submitted request whose message is in the channel and not yet approved. */
    async function approveReady() {
      const recent = await store.recentInChannel(CHANNEL, o.requests * 3);
      for (const [i, request] of found) {
        const current = recent.find((r) => r.id === request.id) ?? request;
        if (approved.has(current.id) || !current.messageTs) continue;
        const click = await driver
          .click('U0LEAD1', 'approve_request', current.id, current.messageTs)
          .catch(() => undefined);
        if (click?.status === 200) approved.add(current.id);
        found.set(i, current);
      }
    }

    /** Finds the request a submission stored; one never found counts as lost below. */
    async function record(i: number) {
      const request = await until(`the request of submission ${i}`, async () =>
        (await store.recentInChannel(CHANNEL, o.requests * 3)).find((r) => matches(i, r)),
      ).catch(() => undefined);
      if (request) found.set(i, request);
    }

    // A write every 20 ms on a client of its own: the longest gap is how long writes stalled.
    let probing = true;
    let writeStallMs = 0;
    const prober = (async () => {
      let last = Date.now();
      while (probing) {
        await redis.set(`${o.prefix}:failover-probe`, String(Date.now())).catch(() => undefined);
        const now = Date.now();
        writeStallMs = Math.max(writeStallMs, now - last);
        last = now;
        await sleep(20);
      }
    })();

    // Before the failover: a third submitted and approved, so creates, polls and announcements are in flight.
    const first = Math.max(1, Math.floor(o.requests / 3));
    for (let i = 0; i < first; i++) {
      await submit(i);
      await record(i);
    }
    await until('the first requests to be posted and approved', async () => {
      await approveReady();
      return approved.size === found.size ? true : undefined;
    });
    writeStallMs = 0;
    const inFlightAtKill: Record<string, number> = {};
    for (const r of await store.recentInChannel(CHANNEL, o.requests * 3))
      inFlightAtKill[r.state] = (inFlightAtKill[r.state] ?? 0) + 1;

    failoverRunning = true;
    const failover = o.failover();
    // During and after it: the rest submitted by several people at once, approved as they appear.
    let next = first;
    const person = async () => {
      for (let i = next++; i < o.requests; i = next++) {
        await submit(i);
        await record(i);
      }
    };
    let submitting = true;
    const approver = (async () => {
      while (submitting) {
        await approveReady();
        await sleep(200);
      }
    })();
    await Promise.all(Array.from({ length: PEOPLE }, person));
    submitting = false;
    await approver;
    const { switchMs } = await failover;
    failoverRunning = false;
    await until(
      'every request to be approved',
      async () => {
        await approveReady();
        return approved.size === found.size ? true : undefined;
      },
      120_000,
    );
    const finals = await Promise.all(
      [...found.values()].map((r) =>
        until(
          `request ${r.id} to finish`,
          async () => {
            const now = await store.get(r.id);
            if (now && !FINAL.has(now.state)) {
              // Said if it never finishes: where it stopped, and where its job is.
              const job = await provisioning.getJob(provisionJobId(r.id));
              stuck.set(r.id, `${now.state}, job ${job ? await job.getState() : 'missing'}`);
            }
            return now && FINAL.has(now.state) ? now : undefined;
          },
          240_000,
        ).catch((err: Error) => {
          throw new Error(`${err.message} (still ${stuck.get(r.id) ?? 'unread'})`);
        }),
      ),
    );
    probing = false;
    await prober;

    // Every outcome is announced, once; wait for the last announcements before counting.
    const outcomes = () => finals.map((r) => announcements(slack, `${r.id}.${r.state}`));
    await until(
      'every outcome to be announced',
      async () => (outcomes().every((n) => n >= 1) ? true : undefined),
      120_000,
    ).catch(() => undefined);

    const stored = await store.recentInChannel(CHANNEL, o.requests * 3);
    const state = sim.state();
    const gateways = [...state.vpnGateways, ...state.customerGateways];
    const ids = new Set(finals.map((r) => r.id));
    const brokenTrails: string[] = [];
    for (const r of finals) {
      const trail = await store.auditTrail(r.id);
      const moves = trail.filter((e) => e.to && !e.refused && e.from !== e.to);
      const path = [moves[0]?.to, ...moves.slice(1).map((e) => e.to)];
      const straight =
        JSON.stringify(path) === JSON.stringify(PATHS[r.resource]) &&
        moves.every((m, k) => k === 0 || m.from === moves[k - 1]?.to);
      if (!straight) brokenTrails.push(`${r.id}: ${path.join(' → ')}`);
    }
    const counts = outcomes();
    return {
      requests: o.requests,
      lost: Array.from({ length: o.requests }, (_, i) => i).filter((i) => !stored.some((r) => matches(i, r)))
        .length,
      duplicateRequests: Array.from({ length: o.requests }, (_, i) => i).filter(
        (i) => stored.filter((r) => matches(i, r)).length > 1,
      ).length,
      duplicateGateways:
        finals.filter((r) => gateways.filter((g) => g.ClientToken === r.id).length > 1).length +
        gateways.filter((g) => !ids.has(String(g.ClientToken))).length,
      announcedOnce: counts.filter((n) => n === 1).length,
      succeeded: finals.filter((r) => r.state === 'succeeded').length,
      switchMs,
      writeStallMs,
      slowestSubmissionMs,
      retriedSubmissions,
      submissionErrors,
      brokenTrails,
      inFlightAtKill,
    };
  } catch (err) {
    // What the processes said is the first thing to read when a failover goes wrong: the end of
    // each here, all of it in test-artifacts/ (ignored by git).
    const logs = processes.map((p, k) => `--- process ${k} ---\n${p.output().slice(-4_000)}`).join('\n');
    const whole = path.join('test-artifacts', `failover-${Date.now()}.log`);
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(whole, processes.map((p, k) => `--- process ${k} ---\n${p.output()}`).join('\n'));
    throw new Error(`${(err as Error).message}\n(every line in ${whole})\n${logs}`);
  } finally {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await provisioning.close();
    redis.disconnect();
    await slack.close();
    await sim.close();
  }
}

/** Messages Slack accepted (its call log) carrying this notification's id in their metadata. */
function announcements(slack: FakeSlack, notificationId: string): number {
  return slack.callsTo('chat.postMessage').filter((call) => {
    const metadata = call.params.metadata as { event_payload?: { notification_id?: string } } | undefined;
    return metadata?.event_payload?.notification_id === notificationId;
  }).length;
}
