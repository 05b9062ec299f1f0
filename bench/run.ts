/**
 * `npm run bench`: the figures behind the performance claims, measured side by side in one run on
 * this machine (medians and ratios, not single absolute times). Prints a table and writes the same
 * figures to bench/results/latest.json.
 *
 *   ack latency     a burst of signed Slack requests against the bot and against a bare Bolt app
 *   pipeline        customer gateway requests approved at once, against the simulator
 *   polling         VPN gateways provisioning at once: region sweeps versus fixed 5 s polling
 *   memory          the bot in its own process: resident set size idle and at its peak while
 *                   4 rounds of 150 full requests (submitted, approved, created) go through it
 *   policy          approval policy evaluation per request (bench/policy.ts)
 *
 * `BENCH_SECTIONS=memory,policy` runs only the sections named (all by default).
 * Needs Redis on REDIS_URL (default 127.0.0.1:6379); uses its own key prefix and removes it.
 */

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { Redis } from 'ioredis';
import { createVpcClient } from '../src/cloud/index.js';
import { loadConfig } from '../src/config/index.js';
import {
  blockActionPayload,
  blockSuggestionPayload,
  interactionBody,
  postToApp,
  slashCommandBody,
  startFakeSlack,
  viewSubmissionPayload,
} from '../src/fake-slack/index.js';
import { createLogger } from '../src/observability/logger.js';
import { DUAL_TUNNEL_REGIONS, resourceOf } from '../src/resources/index.js';
import { startRuntime } from '../src/runtime/index.js';
import { defaultSeed, startSimulator } from '../src/simulator/index.js';
import { metadataSigner } from '../src/slack/metadata.js';
import { buildResourceModal } from '../src/slack/modals.js';
import { RequestStore } from '../src/workflow/store.js';
import { benchPolicy } from './policy.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ACK_REQUESTS = Number(process.env.BENCH_ACK_REQUESTS ?? 1000);
const PIPELINE_REQUESTS = Number(process.env.BENCH_PIPELINE_REQUESTS ?? 500);
const POLLING_GATEWAYS = Number(process.env.BENCH_POLLING_GATEWAYS ?? 200);
const MEMORY_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 4);
const MEMORY_REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 150);
const SECTIONS = ['ack', 'pipeline', 'memory', 'polling', 'policy'] as const;
const chosen = (process.env.BENCH_SECTIONS ?? SECTIONS.join(',')).split(',').map((x) => x.trim());
for (const name of chosen)
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`BENCH_SECTIONS: unknown section "${name}"; the sections are ${SECTIONS.join(', ')}`);
const want = (section: (typeof SECTIONS)[number]) => chosen.includes(section);
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const KEY = { accessKeyId: 'bench', accessKeySecret: 'bench-cloud-secret' };
const prefix = `{bench-${randomBytes(3).toString('hex')}}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function burst(url: string, bodies: (() => string)[], concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = (bodies[next++] as () => string)();
        const started = process.hrtime.bigint();
        const answer = await postToApp(url, SECRET, body);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.text}`);
      }
    }),
  );
  return latencies;
}

async function bareBolt(apiUrl: string): Promise<{ url: string; server: Server }> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
  const app = new App({
    token: TOKEN,
    receiver,
    clientOptions: { slackApiUrl: apiUrl },
    tokenVerificationEnabled: false,
  });
  app.command('/gateway', async ({ ack }) => ack());
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack }) => ack({ options: [] }));
  app.action(/.*/, async ({ ack }) => ack());
  const server = createServer(receiver.requestListener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, server };
}

/** Resident set size of a process now and at its peak so far (VmRSS, VmHWM: Linux), in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** The node arguments `npm start` runs the bot with (`node --max-old-space-size=512 dist/main.js`). */
function startArguments(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node' || args.at(-1) !== 'dist/main.js')
    throw new Error(`npm start is not "node … dist/main.js": ${pkg.scripts.start}`);
  return args;
}

/**
 * The bot's own memory, apart from this harness: the built bot in a process of its own, started
 * as `npm start` starts it (ROLE=all), driven as Slack would drive it: `rounds` rounds of `perRound` full
 * requests, each submitted through the modal, approved with a click and created, while the
 * kernel's account of its resident set (VmRSS now, VmHWM at the peak) is read.
 */
async function botProcessMemory(apiUrl: string, simUrl: string, rounds: number, perRound: number) {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' });
  const memPrefix = `${prefix.slice(0, -1)}-mem}`;
  const child = spawn(process.execPath, startArguments(), {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: apiUrl,
      PORT: '0',
      REDIS_URL,
      REDIS_PREFIX: memPrefix,
      APPROVERS: 'U0LEAD1',
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
      ALIBABA_CLOUD_VPC_ENDPOINT: simUrl,
      // The bot's own throughput and memory, not Alibaba's rate limits (test:ratelimit covers those).
      VPC_RATE_LIMITS: 'off',
      // The simulated account's quota, so that every request passes its checks.
      CUSTOMER_GATEWAY_QUOTA: '10000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /"port":(\d+).*gateway bot started/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        // Keep reading (and dropping) its log lines, or the pipe fills and the bot stalls.
        child.stdout?.resume();
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', () => reject(new Error(`bot exited: ${out.slice(-500)}`)));
  });
  const pid = child.pid as number;
  await sleep(1_000);
  const idle = memoryOf(pid).rss;
  let peakSampled = idle;
  const sampling = setInterval(() => {
    peakSampled = Math.max(peakSampled, memoryOf(pid).rss);
  }, 50);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const redis = new Redis(REDIS_URL);
  const store = new RequestStore({ redis, prefix: memPrefix });
  const modal = buildResourceModal(resourceOf('customer_gateway'), {
    channelId: 'C0MEM',
    locale: 'en',
    sandbox: false,
    resources: {},
    signer: metadataSigner(TOKEN),
  });
  const regions = ['cn-beijing', 'cn-shanghai', 'cn-shenzhen', 'ap-southeast-1'];
  /** Runs `work` for 0…n-1, ten at a time, as ten people clicking at once would. */
  const tenAtATime = (n: number, work: (i: number) => Promise<void>) =>
    Promise.all(
      Array.from({ length: 10 }, async (_, lane) => {
        for (let i = lane; i < n; i += 10) await work(i);
      }),
    );
  const afterRound: number[] = [];
  let succeeded = 0;
  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    const ids: string[] = [];
    await tenAtATime(perRound, async (i) => {
      const n = round * perRound + i;
      const answer = await postToApp(
        url,
        SECRET,
        interactionBody(
          viewSubmissionPayload({
            user: 'U0ASKER',
            view: modal as never,
            viewId: `VMEM${n}`,
            values: {
              RegionId: { option: regions[n % regions.length] as string },
              IpAddress: `47.130.${Math.floor(n / 250)}.${(n % 250) + 1}`,
            },
          }),
        ),
      );
      if (answer.status !== 200 || answer.text !== '') throw new Error(`submission refused: ${answer.text}`);
    });
    const posted = await (async () => {
      for (;;) {
        const recent = await store.recentInChannel('C0MEM', perRound);
        const mine = recent.filter((r) => r.state === 'pending_approval');
        if (mine.length >= perRound && mine.every((r) => r.messageTs)) return mine;
        await sleep(200);
      }
    })();
    ids.push(...posted.map((r) => r.id));
    await tenAtATime(posted.length, async (i) => {
      const r = posted[i] as (typeof posted)[number];
      const answer = await postToApp(
        url,
        SECRET,
        interactionBody(
          blockActionPayload({
            user: 'U0LEAD1',
            channel: 'C0MEM',
            messageTs: r.messageTs as string,
            actionId: 'approve_request',
            value: r.id,
            triggerId: 't',
          }),
        ),
      );
      if (answer.status !== 200) throw new Error(`approval answered ${answer.status}`);
    });
    for (;;) {
      const states = await Promise.all(ids.map((id) => store.get(id)));
      if (states.every((r) => r?.state === 'succeeded' || r?.state === 'failed')) {
        succeeded += states.filter((r) => r?.state === 'succeeded').length;
        break;
      }
      await sleep(200);
    }
    afterRound.push(memoryOf(pid).rss);
    process.stderr.write(
      `bench: memory round ${round + 1}/${rounds}: RSS ${r1((afterRound.at(-1) ?? 0) / 2 ** 20)} MB, ` +
        `peak so far ${r1(memoryOf(pid).peak / 2 ** 20)} MB\n`,
    );
  }
  clearInterval(sampling);
  const { peak } = memoryOf(pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  redis.disconnect();
  const mb = (bytes: number) => r1(bytes / 2 ** 20);
  return {
    bot_requests: `${rounds} x ${perRound}`,
    bot_succeeded: succeeded,
    bot_seconds: r1((Date.now() - started) / 1000),
    bot_idle_rss_mb: mb(idle),
    bot_rss_after_rounds_mb: afterRound.map(mb).join(', '),
    bot_peak_rss_mb: mb(Math.max(peak, peakSampled)),
    bot_peak_target_mb: 200,
  };
}

async function main() {
  const results: Record<string, Record<string, number | string>> = {};
  const logger = createLogger({ level: 'silent' });
  const slack = await startFakeSlack({ tokens: [TOKEN] });
  const seed = defaultSeed();
  const sim = await startSimulator({
    ...KEY,
    provisionTimeMs: 1_000,
    seed,
    quotas: { vpnGateways: 10_000, customerGateways: 10_000 },
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    APPROVERS: 'U0LEAD1',
    ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
    ALIBABA_CLOUD_VPC_ENDPOINT: sim.url,
    // The simulated account's quota, so that the checks before each create pass.
    CUSTOMER_GATEWAY_QUOTA: '10000',
    POLL_INTERVAL: '5s',
    POLL_MAX_INTERVAL: '10s',
    // The pipeline's own throughput, not Alibaba's rate limits (test:ratelimit covers those).
    VPC_RATE_LIMITS: 'off',
    LOG_LEVEL: 'silent',
  });
  // The bot in this process, for the ack and pipeline sections.
  const bot =
    want('ack') || want('pipeline')
      ? await startRuntime(config, {
          logger,
          host: '127.0.0.1',
          slackClientOptions: { retryConfig: { retries: 0 } },
        })
      : undefined;
  await sleep(500);
  const idleRss = process.memoryUsage().rss;
  const untilAll = async (
    ids: string[],
    done: (s: string) => boolean,
    timeoutMs: number,
    store: RequestStore,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(ids.map((id) => store.get(id)));
      if (states.every((s) => s && done(s.state))) return states.map((s) => s as NonNullable<typeof s>);
      if (Date.now() > deadline) throw new Error('pipeline did not finish');
      await sleep(100);
    }
  };

  const phase = (name: string) => process.stderr.write(`bench: ${name}…\n`);
  if (bot && want('ack')) {
    phase('ack latency');
    // 1. Ack latency under a burst, against the bot and a bare Bolt app in the same run.
    const modal = buildResourceModal(resourceOf('vpn_gateway'), {
      channelId: 'C0BENCH',
      locale: 'en',
      sandbox: false,
      resources: {},
      signer: metadataSigner(TOKEN),
    });
    const mix = (i: number) => () => {
      if (i % 10 < 4) {
        return slashCommandBody({
          command: '/gateway',
          text: 'help',
          user_id: 'U0ASKER',
          channel_id: 'C0BENCH',
          trigger_id: 't',
        });
      }
      if (i % 10 < 7) {
        return interactionBody(
          blockSuggestionPayload({
            user: 'U0ASKER',
            actionId: 'RegionId',
            typed: '',
            view: modal as never,
            viewId: 'V0',
            values: {},
          }),
        );
      }
      return interactionBody(
        blockActionPayload({
          user: 'U0INTERN',
          channel: 'C0BENCH',
          messageTs: '1.1',
          actionId: 'approve_request',
          value: 'gw-20260101-0000000000',
          triggerId: 't',
        }),
      );
    };
    const bodies = Array.from({ length: ACK_REQUESTS }, (_, i) => mix(i));
    const bare = await bareBolt(slack.apiUrl);
    const botUrl = `${bot.http.url}/slack/events`;
    await burst(bare.url, bodies.slice(0, 100), 10);
    await burst(botUrl, bodies.slice(0, 100), 10);
    const floor = await burst(bare.url, bodies, 50);
    const ours = await burst(botUrl, bodies, 50);
    bare.server.close();
    results.ack = {
      requests: ACK_REQUESTS,
      concurrency: 50,
      bot_p50_ms: r2(quantile(ours, 0.5)),
      bot_p95_ms: r2(quantile(ours, 0.95)),
      bot_p99_ms: r2(quantile(ours, 0.99)),
      bot_max_ms: r2(Math.max(...ours)),
      bare_p50_ms: r2(quantile(floor, 0.5)),
      bare_p95_ms: r2(quantile(floor, 0.95)),
      bare_p99_ms: r2(quantile(floor, 0.99)),
      bare_max_ms: r2(Math.max(...floor)),
      p99_ratio: r2(quantile(ours, 0.99) / quantile(floor, 0.99)),
    };
  }
  if (bot && want('pipeline')) {
    phase('pipeline');
    // 2. Pipeline: customer gateway requests approved at once.
    const submitted = [];
    for (let i = 0; i < PIPELINE_REQUESTS; i++) {
      const r = await bot.workflow.submit({
        resource: 'customer_gateway',
        values: {
          RegionId: 'cn-hangzhou',
          IpAddress: `47.${100 + Math.floor(i / 250)}.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0BENCH',
        locale: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      submitted.push(r.request.id);
    }
    await untilAll(submitted, () => true, 60_000, bot.store);
    for (const id of submitted) {
      for (;;) {
        if ((await bot.store.get(id))?.preflight) break;
        await sleep(20);
      }
    }
    peakRss = process.memoryUsage().rss;
    const pipelineStart = Date.now();
    await Promise.all(submitted.map((id) => bot.workflow.approve(id, { userId: 'U0LEAD1' })));
    const finished = await untilAll(
      submitted,
      (s) => s === 'succeeded' || s === 'failed',
      300_000,
      bot.store,
    );
    const pipelineSeconds = (Date.now() - pipelineStart) / 1000;
    const inBurst = finished.map((r) => (r.finishedAt ?? 0) - (r.approvedAt ?? 0));
    // The overhead of one request alone: store, queue and notification, with a cloud that answers at once.
    const alone: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await bot.workflow.submit({
        resource: 'customer_gateway',
        values: { RegionId: 'cn-shanghai', IpAddress: `47.120.0.${i + 1}` },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0BENCH',
        locale: 'en',
      });
      if (!r.ok) throw new Error('invalid');
      await bot.workflow.approve(r.request.id, { userId: 'U0LEAD1' });
      const [done] = await untilAll(
        [r.request.id],
        (s) => s === 'succeeded' || s === 'failed',
        30_000,
        bot.store,
      );
      alone.push((done?.finishedAt ?? 0) - (done?.approvedAt ?? 0));
    }
    results.pipeline = {
      requests: PIPELINE_REQUESTS,
      succeeded: finished.filter((r) => r.state === 'succeeded').length,
      requests_per_second: r1(PIPELINE_REQUESTS / pipelineSeconds),
      burst_latency_p50_ms: r1(quantile(inBurst, 0.5)),
      burst_latency_p99_ms: r1(quantile(inBurst, 0.99)),
      overhead_alone_p50_ms: r1(quantile(alone, 0.5)),
      overhead_alone_p99_ms: r1(quantile(alone, 0.99)),
    };
    results.pipeline.harness_idle_rss_mb = r1(idleRss / 2 ** 20);
    results.pipeline.harness_peak_rss_mb = r1(peakRss / 2 ** 20);
  }
  if (want('memory')) {
    phase(`memory of the bot in its own process: ${MEMORY_ROUNDS} rounds of ${MEMORY_REQUESTS} requests`);
    results.memory = await botProcessMemory(slack.apiUrl, sim.url, MEMORY_ROUNDS, MEMORY_REQUESTS);
  }

  let closePolling = async () => {};
  if (want('polling')) {
    phase('polling (a few minutes)');
    // 3. Polling economy: VPN gateways with provisioning times spread over minutes.
    const spread: [number, number] = [
      Number(process.env.BENCH_PROVISION_MIN_MS ?? 20_000),
      Number(process.env.BENCH_PROVISION_MAX_MS ?? 120_000),
    ];
    const simOurs = await startSimulator({
      ...KEY,
      provisionTimeSpreadMs: spread,
      quotas: { vpnGateways: 10_000 },
    });
    const simFixed = await startSimulator({
      ...KEY,
      provisionTimeSpreadMs: spread,
      quotas: { vpnGateways: 10_000 },
    });
    const pollConfig = loadConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      REDIS_URL,
      REDIS_PREFIX: `${prefix.slice(0, -1)}-poll}`,
      APPROVERS: 'U0LEAD1',
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
      ALIBABA_CLOUD_VPC_ENDPOINT: simOurs.url,
      VPN_GATEWAY_QUOTA: '10000',
      POLL_INTERVAL: '5s',
      POLL_MAX_INTERVAL: '10s',
      LOG_LEVEL: 'silent',
    });
    const pollBot = await startRuntime(pollConfig, {
      logger,
      host: '127.0.0.1',
      slackClientOptions: { retryConfig: { retries: 0 } },
    });
    const regions = seed.regions.map((r) => r.RegionId);
    const vpcOf = (region: string) => seed.vpcs.find((v) => v.RegionId === region)?.VpcId as string;
    /** A VPC and, in a dual-tunnel region, two of its vSwitches in two zones that can host a gateway. */
    const vpnValues = (region: string): Record<string, string> => {
      const vpcId = vpcOf(region);
      if (!DUAL_TUNNEL_REGIONS.includes(region)) return { RegionId: region, VpcId: vpcId };
      const zones = seed.regions.find((r) => r.RegionId === region)?.vpnZones ?? [];
      const picked = seed.vswitches.filter((s) => s.VpcId === vpcId && zones.includes(s.ZoneId));
      const [first, second] = [picked[0], picked.find((s) => s.ZoneId !== picked[0]?.ZoneId) ?? picked[0]];
      return {
        RegionId: region,
        VpcId: vpcId,
        VSwitchId: first?.VSwitchId ?? '',
        DisasterRecoveryVSwitchId: second?.VSwitchId ?? '',
      };
    };
    const vpnIds: string[] = [];
    for (let i = 0; i < POLLING_GATEWAYS; i++) {
      const region = regions[i % regions.length] as string;
      const r = await pollBot.workflow.submit({
        resource: 'vpn_gateway',
        values: { ...vpnValues(region), Bandwidth: '10' },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0POLL',
        locale: 'en',
      });
      if (!r.ok) throw new Error('invalid');
      vpnIds.push(r.request.id);
    }
    for (const id of vpnIds) {
      for (;;) {
        if ((await pollBot.store.get(id))?.preflight) break;
        await sleep(20);
      }
    }
    phase('polling: preflights done, approving');
    const callsBefore = { ...simOurs.state().calls };
    await Promise.all(vpnIds.map((id) => pollBot.workflow.approve(id, { userId: 'U0LEAD1' })));

    // The baseline, at the same time: every gateway polled on its own every 5 s, as Terraform does.
    const fixedClient = createVpcClient({ ...KEY, endpoint: simFixed.url });
    let fixedCalls = 0;
    const fixedLags: number[] = [];
    const fixedRun = Promise.all(
      Array.from({ length: POLLING_GATEWAYS }, async (_, i) => {
        const region = regions[i % regions.length] as string;
        const created = await fixedClient.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
          ...vpnValues(region),
          Bandwidth: 10,
        });
        for (;;) {
          await sleep(5_000);
          fixedCalls++;
          const g = await fixedClient
            .describeVpnGateway({ RegionId: region, VpnGatewayId: created.VpnGatewayId })
            .catch(() => undefined);
          if (g?.Status === 'active') {
            const sim = simFixed.state().vpnGateways.find((x) => x.VpnGatewayId === created.VpnGatewayId);
            if (sim) fixedLags.push(Date.now() - (sim.CreateTime + sim.provisionTimeMs));
            return;
          }
        }
      }),
    );
    const polled = await untilAll(vpnIds, (s) => s === 'succeeded' || s === 'failed', 600_000, pollBot.store);
    phase('polling: sweeps done, waiting for the fixed-interval baseline');
    await fixedRun;
    const after = simOurs.state();
    const ourCalls =
      (after.calls.DescribeVpnGateways ?? 0) -
      (callsBefore.DescribeVpnGateways ?? 0) +
      ((after.calls.DescribeVpnGateway ?? 0) - (callsBefore.DescribeVpnGateway ?? 0));
    const ourLags = polled.map((r) => {
      const g = after.vpnGateways.find((x) => x.VpnGatewayId === r.cloud.resourceId);
      return (r.finishedAt ?? 0) - ((g?.CreateTime ?? 0) + (g?.provisionTimeMs ?? 0));
    });
    results.polling = {
      gateways: POLLING_GATEWAYS,
      regions: regions.length,
      provisioning_s: `${spread[0] / 1000}-${spread[1] / 1000}`,
      succeeded: polled.filter((r) => r.state === 'succeeded').length,
      sweep_calls_per_gateway: r2(ourCalls / POLLING_GATEWAYS),
      fixed5s_calls_per_gateway: r2(fixedCalls / POLLING_GATEWAYS),
      calls_ratio: r2(ourCalls / fixedCalls),
      sweep_lag_p50_s: r1(quantile(ourLags, 0.5) / 1000),
      sweep_lag_p95_s: r1(quantile(ourLags, 0.95) / 1000),
      fixed5s_lag_p50_s: r1(quantile(fixedLags, 0.5) / 1000),
      fixed5s_lag_p95_s: r1(quantile(fixedLags, 0.95) / 1000),
    };

    closePolling = async () => {
      await pollBot.close();
      await Promise.all([simOurs.close(), simFixed.close()]);
    };
  }

  phase('closing');
  clearInterval(sampler);
  await closePolling();
  await bot?.close();
  await Promise.all([slack.close(), sim.close()]);
  const redis = new Redis(REDIS_URL);
  for (const p of [prefix.slice(0, -1)]) {
    const keys = await redis.keys(`${p}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  }
  redis.disconnect();
  if (want('policy')) {
    phase('policy evaluation');
    results.policy = { ...(await benchPolicy()) };
  }

  for (const [section, figures] of Object.entries(results)) {
    console.log(`\n${section}`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(28)} ${v}`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
  console.log('\nwritten to bench/results/latest.json');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
