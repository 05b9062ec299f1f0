/**
 * Cloud rate limits respected: 300 customer gateways in one region, approved at once, provisioned
 * by two worker processes that share their pacing through Redis, against a simulator enforcing
 * the same limits. Zero `Throttling.User` answers, every request succeeded, one gateway each, and
 * the creates take as long as one client pacing alone would, whichever worker sends them.
 *
 * The workers' `PROVISION_TIMEOUT` is shorter than the burst, in the proportion of 2,000 approvals
 * of connections in one region (60 creates a minute, 36.7 minutes paced) to the 30-minute default:
 * time held back by pacing must fail no request. Each request whose create was held back for a slot
 * 10 s or more away was told so in its thread, once, with the number of creates before it.
 *
 * `npm run test:suites` runs it with the limits scaled down in time (RATELIMIT_SCALE=5: 120 per
 * 12 s instead of 120 per minute, so that the headroom still leaves a busy machine 1.2 s of
 * jitter), configured through VPC_RATE_LIMITS and the simulator's rate limits, the same code path;
 * `npm run test:ratelimit` runs it at Alibaba's published limits and the bot's defaults
 * (RATELIMIT_SCALE=1, about 3.5 minutes) and prints its figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVpcClient,
  LOCAL_THROTTLING_CODE,
  PACING_MAX_WAIT_MS,
  RateLimiter,
} from '../../src/cloud/index.js';
import { defaultRateLimits, publishedRateLimits } from '../../src/resources/index.js';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import type { RateLimit, RateLimits } from '../../src/units/rate-limits.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { type BotProcess, runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { SIM_KEY, startWorkflowHarness } from '../support/workflow.js';

const REQUESTS = Number(process.env.RATELIMIT_REQUESTS ?? 300);
const SCALE = Number(process.env.RATELIMIT_SCALE ?? 5);
const FULL_SIZE = SCALE === 1;
const ACTION = 'CreateCustomerGateway';
const REGION = 'cn-hangzhou';
/** Alibaba's published limits, every period divided by SCALE. */
const LIMITS: RateLimits = Object.fromEntries(
  Object.entries(publishedRateLimits() as Record<string, RateLimit>).map(([action, l]) => [
    action,
    { ...l, periodMs: l.periodMs / SCALE },
  ]),
);
const SPEC = Object.entries(LIMITS)
  .map(([action, l]) => `${action}=${l.limit}/${l.periodMs}ms`)
  .join(',');
const LIMIT = LIMITS[ACTION] as { limit: number; periodMs: number };
/** The pacing interval: the period over the limit, 10 % wider. */
const INTERVAL = (LIMIT.periodMs * 1.1) / LIMIT.limit;
/** 2,000 connections paced at 60 a minute (1.1 s apart) take 2,200 s: 1.22 times a 30-minute limit. */
const BURST_OVER_TIMEOUT = (2_000 * 1_100) / (30 * 60_000);
const PROVISION_TIMEOUT_MS = Math.round((REQUESTS * INTERVAL) / BURST_OVER_TIMEOUT);

const t = testRedis('burst');
const TOKEN = 'xoxb-burst-test';
let slack: FakeSlack;
let sim: TestSimulator;
let harness: ReturnType<typeof startWorkflowHarness>;
const workers: BotProcess[] = [];

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
  sim = await startTestSimulator({
    ...SIM_KEY,
    // Published limits at full size; otherwise the same limits, scaled as the bot's are.
    rateLimits: FULL_SIZE ? 'published' : LIMITS,
    quotas: { customerGateways: 10_000 },
  });
  // The submissions' preflight is paced too, as a bot process's is, and shares the workers' slots.
  const limiter = new RateLimiter({
    redis: t.redis,
    prefix: t.prefix,
    limits: FULL_SIZE ? defaultRateLimits() : { ...defaultRateLimits(), ...LIMITS },
  });
  const vpc = createVpcClient({
    ...SIM_KEY,
    endpoint: sim.url,
    pace: limiter.pacer({ maxWaitMs: PACING_MAX_WAIT_MS.worker }),
  });
  harness = startWorkflowHarness({ redis: t.redis, prefix: t.prefix, sim, vpc, workers: false });
  for (let i = 0; i < 2; i++) {
    workers.push(
      runNode('src/main.ts', {
        ROLE: 'worker',
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: 'burst-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        REDIS_URL,
        REDIS_PREFIX: t.prefix,
        APPROVERS: 'U0LEAD1',
        // The account's raised quota, as the simulator has it: the preflight counts against this.
        CUSTOMER_GATEWAY_QUOTA: '10000',
        ALIBABA_CLOUD_ACCESS_KEY_ID: SIM_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SIM_KEY.accessKeySecret,
        ALIBABA_CLOUD_VPC_ENDPOINT: sim.url,
        ...(FULL_SIZE ? {} : { VPC_RATE_LIMITS: SPEC }),
        PROVISION_TIMEOUT: `${PROVISION_TIMEOUT_MS}ms`,
        LOG_LEVEL: 'info',
      }),
    );
  }
  await Promise.all(workers.map((w) => w.waitForLog(/gateway bot started/, 60_000)));
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGTERM')));
  await harness?.close();
  await slack?.close();
  await sim?.close();
  await t.cleanup();
});

/** The lines of a counter on both workers' /metrics whose labels match. */
async function workerLines(name: string, match: RegExp): Promise<string[]> {
  const lines: string[] = [];
  for (const w of workers) {
    const port = (await w.waitForLog(/gateway bot started/)).port;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    lines.push(...text.split('\n').filter((line) => line.startsWith(`${name}{`) && match.test(line)));
  }
  return lines;
}

/** Sums a counter over both workers, by the labels that match. */
async function workerCounter(name: string, match: RegExp): Promise<number> {
  return (await workerLines(name, match)).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** The most calls that fell in any window of one period. */
function busiestWindow(times: number[], periodMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[first] as number) <= (times[last] as number) - periodMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe(`cloud rate limits: ${REQUESTS} customer gateways in one region at ${LIMIT.limit} per ${LIMIT.periodMs / 1000}s`, () => {
  it(
    'are all created by two workers sharing the pacing, with zero Throttling.User answers',
    async () => {
      const requests: ResourceRequest[] = [];
      for (let i = 0; i < REQUESTS; i++)
        requests.push(await harness.submitCustomer(`47.${100 + Math.floor(i / 250)}.${(i % 250) + 1}.9`));
      const allPreflighted = async () =>
        (await Promise.all(requests.map((r) => harness.store.get(r.id)))).every((r) => r?.preflight?.ok);
      await expect.poll(allPreflighted, { timeout: FULL_SIZE ? 180_000 : 60_000, interval: 500 }).toBe(true);

      const approvedAt = Date.now();
      const approvals = await Promise.all(
        requests.map((r) => harness.workflow.approve(r.id, { userId: 'U0LEAD1' })),
      );
      expect(approvals.every((a) => a.ok)).toBe(true);
      const finished = async () =>
        (await Promise.all(requests.map((r) => harness.store.get(r.id)))).filter(
          (r) => r?.state === 'succeeded' || r?.state === 'failed',
        ).length;
      await expect.poll(finished, { timeout: FULL_SIZE ? 600_000 : 120_000, interval: 500 }).toBe(REQUESTS);
      const doneAt = Date.now();

      const done = await Promise.all(requests.map((r) => harness.store.mustGet(r.id)));
      expect(done.filter((r) => r.state !== 'succeeded').map((r) => [r.id, r.state, r.error?.code])).toEqual(
        [],
      );
      const gateways = sim.state().customerGateways;
      for (const r of requests) expect(gateways.filter((g) => g.ClientToken === r.id)).toHaveLength(1);

      // Zero throttling answers, seen from the cloud's side and from the workers'.
      expect(sim.throttles()).toEqual([]);
      expect(await workerCounter('gateway_cloud_calls_total', /code="Throttling/)).toBe(0);

      // Both workers created gateways, and together took as long as one client pacing alone:
      // unshared, each would have sent at the full rate, and the burst would be over in half the time.
      const created = workers.map((w) => (w.output().match(/"msg":"resource created"/g) ?? []).length);
      expect(created.every((c) => c > 0)).toBe(true);
      const creates = sim
        .requests()
        .filter((r) => r.action === ACTION && r.params.RegionId === REGION)
        .map((r) => r.at)
        .sort((a, b) => a - b);
      expect(creates).toHaveLength(REQUESTS);
      const gaps = creates.slice(1).map((at, i) => at - (creates[i] as number));
      const spanMs = (creates.at(-1) as number) - (creates[0] as number);
      expect(spanMs).toBeGreaterThan(0.95 * (REQUESTS - 1) * INTERVAL);
      expect(busiestWindow(creates, LIMIT.periodMs)).toBeLessThanOrEqual(LIMIT.limit);

      const paced = {
        immediate: await workerCounter(
          'gateway_cloud_pacing_total',
          /action="CreateCustomerGateway".*outcome="immediate"/,
        ),
        waited: await workerCounter(
          'gateway_cloud_pacing_total',
          /action="CreateCustomerGateway".*outcome="waited"/,
        ),
        deferred: await workerCounter(
          'gateway_cloud_pacing_total',
          /action="CreateCustomerGateway".*outcome="deferred"/,
        ),
        unpaced: await workerCounter('gateway_cloud_pacing_total', /outcome="unpaced"/),
      };
      expect(paced.unpaced).toBe(0);
      // Every call let go was sent, and all but transport failures (retried) created a gateway.
      const sent = await workerCounter('gateway_cloud_calls_total', /action="CreateCustomerGateway"/);
      const failedCodes = await workerLines(
        'gateway_cloud_calls_total',
        /action="CreateCustomerGateway".*code="(?!OK")/,
      );
      expect(paced.immediate + paced.waited).toBe(sent);
      expect(
        await workerCounter(
          'gateway_cloud_calls_total',
          /account="default",action="CreateCustomerGateway",code="OK"/,
        ),
      ).toBe(REQUESTS);
      // A create held back keeps its slot and comes back for it in time: at most once per request.
      expect(paced.deferred).toBeLessThanOrEqual(REQUESTS);
      const trails = await Promise.all(requests.map((r) => harness.store.auditTrail(r.id)));
      const heldBackTwice = trails.filter(
        (trail) =>
          trail.filter((e) => e.action === 'create_retry' && e.details?.code === LOCAL_THROTTLING_CODE)
            .length > 1,
      ).length;
      expect(heldBackTwice).toBe(0);

      // The burst outlasted PROVISION_TIMEOUT, and no request failed for it (checked above). Those
      // held back 10 s or more were told once, in their thread, how many creates were before them.
      expect(spanMs).toBeGreaterThan(PROVISION_TIMEOUT_MS);
      const queued = done.filter((r) => r.queued);
      // At Alibaba's limits most creates wait for a slot far away. Scaled down, slots come 110 ms
      // apart, so the workers' 5 s wait for a near slot holds more slots than they have jobs:
      // each job waits in its worker, and the backlog stays in the queue, never 10 s from a slot.
      if (FULL_SIZE) expect(queued.length).toBeGreaterThan(REQUESTS / 2);
      const noticesOf = (r: ResourceRequest) =>
        slack
          .thread('C0NET', r.messageTs ?? '')
          .filter((m) => m.text.includes(':hourglass_flowing_sand: Queued behind'));
      await expect
        .poll(() => done.map((r) => noticesOf(r).length), { timeout: 60_000, interval: 500 })
        .toEqual(done.map((r) => (r.queued ? 1 : 0)));
      for (const r of queued)
        expect(noticesOf(r)[0]?.text).toContain(`Queued behind ${r.queued?.ahead} creates in ${REGION}`);
      const spanS = spanMs / 1000;
      console.info(
        JSON.stringify({
          requests: REQUESTS,
          limit: `${LIMIT.limit}/${LIMIT.periodMs / 1000}s`,
          throttled: 0,
          approvedToAllSucceededS: Number(((doneAt - approvedAt) / 1000).toFixed(1)),
          firstToLastCreateS: Number(spanS.toFixed(1)),
          createsPerPeriod: Number((((REQUESTS - 1) / spanS) * (LIMIT.periodMs / 1000)).toFixed(1)),
          medianGapMs: Number(median(gaps).toFixed(1)),
          minGapMs: Number(Math.min(...gaps).toFixed(1)),
          intervalMs: Number(INTERVAL.toFixed(1)),
          busiestWindow: busiestWindow(creates, LIMIT.periodMs),
          createsPerWorker: created,
          pacing: paced,
          heldBackTwice,
          provisionTimeoutS: PROVISION_TIMEOUT_MS / 1000,
          toldQueued: queued.length,
          failedCreates: failedCodes,
        }),
      );
    },
    FULL_SIZE ? 900_000 : 240_000,
  );
});
