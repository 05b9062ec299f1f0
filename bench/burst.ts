/**
 * A burst of submissions: 200 people pressing Submit at the same moment. The built bot (ROLE=bot,
 * as `npm start` runs it), the fake Slack Web API and the VPC simulator each run as a process of
 * their own; this process sends every signed `view_submission` at once, each a distinct customer
 * gateway (its own view id and IP address) that the bot accepts and stores. Slack shows a form
 * unanswered after 3 s as failed, so the figure that matters is how many acks took longer, and
 * the slowest. After each run every submission must be stored and pending: an ack that arrived in
 * time for a request that is not there would be worse than a slow one.
 */
import { Redis } from 'ioredis';
import { DEFAULT_ACCOUNT } from '../src/config/index.js';
import { resourceOf } from '../src/resources/index.js';
import { interactionBody, postToApp, viewSubmissionPayload } from '../src/sandbox/fake-slack/index.js';
import { metadataSigner } from '../src/slack/metadata.js';
import { buildResourceModal } from '../src/slack/modals.js';
import { RequestStore } from '../src/workflow/store.js';
import {
  botEnv,
  buildOnce,
  KEY,
  processGroup,
  quantile,
  REDIS_URL,
  r1,
  SECRET,
  sleep,
  subPrefix,
  TOKEN,
} from './support.js';

/** Submissions sent at once in a run. */
const SUBMISSIONS = Number(process.env.BENCH_BURST_SUBMISSIONS ?? 200);
const RUNS = Number(process.env.BENCH_BURST_RUNS ?? 3);
/** `all`, as `npm start` runs the bot unless told otherwise: its worker posts each request's message. */
const ROLE = process.env.BENCH_BURST_ROLE ?? 'all';
/** Slack's deadline for an interaction's answer. */
const SLACK_DEADLINE_MS = 3_000;
const REGIONS = ['cn-beijing', 'cn-shanghai', 'cn-shenzhen', 'ap-southeast-1'];

/** The signed bodies of one run: one customer gateway each, in the run's own channel. */
function submissions(run: number, channel: string): string[] {
  const modal = buildResourceModal(resourceOf('customer_gateway'), {
    channelId: channel,
    locale: 'en',
    sandbox: false,
    accounts: [DEFAULT_ACCOUNT],
    resources: {},
    signer: metadataSigner(TOKEN),
  });
  return Array.from({ length: SUBMISSIONS }, (_, i) =>
    interactionBody(
      viewSubmissionPayload({
        user: 'U0ASKER',
        view: modal as never,
        viewId: `VBURST${run}X${i}`,
        values: {
          RegionId: { option: REGIONS[i % REGIONS.length] as string },
          IpAddress: `47.${200 + run}.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        },
      }),
    ),
  );
}

/** Every body sent at once; each answer's time and whether the bot accepted it (200, empty). */
async function sendAtOnce(url: string, bodies: string[]) {
  return Promise.all(
    bodies.map(async (body) => {
      const started = process.hrtime.bigint();
      const answer = await postToApp(url, SECRET, body);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { ms, accepted: answer.status === 200 && answer.text === '', answer };
    }),
  );
}

/** Waits until the run's channel holds every submission, all pending; throws if some never arrive. */
async function storedAndPending(store: RequestStore, channel: string, expected: number): Promise<void> {
  for (const until = Date.now() + 10_000; ; ) {
    const requests = await store.recentInChannel(channel, expected + 1);
    const pending = requests.filter((r) => r.state === 'pending_approval').length;
    if (requests.length === expected && pending === expected) return;
    if (Date.now() > until)
      throw new Error(`${expected} submissions acknowledged, ${requests.length} stored, ${pending} pending`);
    await sleep(100);
  }
}

export async function benchBurst() {
  buildOnce();
  const group = processGroup();
  const redis = new Redis(REDIS_URL);
  try {
    const slack = await group.start(
      ['--import', 'tsx', 'bench/fake-slack-process.ts'],
      { SLACK_BOT_TOKEN: TOKEN },
      /"port":(\d+)/,
    );
    const sim = await group.start(
      ['dist/sandbox/simulator/main.js'],
      {
        SIMULATOR_PORT: '0',
        SIMULATOR_ACCESS_KEY_ID: KEY.accessKeyId,
        SIMULATOR_ACCESS_KEY_SECRET: KEY.accessKeySecret,
        // A slow cloud (`latency=1400ms`): the submissions' checks then take most of their budget.
        ...(process.env.BENCH_BURST_SIMULATOR_FAULTS
          ? { SIMULATOR_FAULTS: process.env.BENCH_BURST_SIMULATOR_FAULTS }
          : {}),
      },
      /"url":"http:\/\/127\.0\.0\.1:(\d+)"/,
    );
    const burstPrefix = subPrefix('burst');
    const bot = await group.bot(
      botEnv({
        apiUrl: `http://127.0.0.1:${slack.port}/api/`,
        simUrl: `http://127.0.0.1:${sim.port}`,
        prefix: burstPrefix,
        role: ROLE,
      }),
    );
    const store = new RequestStore({ redis, prefix: burstPrefix });
    // One submission first, so that the first run does not also measure the bot's first request.
    await sendAtOnce(bot.url, submissions(0, 'C0BURSTWARM').slice(0, 1));
    const figures: Record<string, number | string> = { submissions_per_run: SUBMISSIONS, runs: RUNS };
    const rows: { p50: number; p99: number; max: number; late: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const channel = `C0BURST${run}`;
      const answers = await sendAtOnce(bot.url, submissions(run, channel));
      const refused = answers.filter((a) => !a.accepted);
      if (refused.length)
        throw new Error(
          `${refused.length} submissions not accepted, e.g. ${JSON.stringify(refused[0]?.answer)}`,
        );
      await storedAndPending(store, channel, SUBMISSIONS);
      const ms = answers.map((a) => a.ms);
      const row = {
        p50: quantile(ms, 0.5),
        p99: quantile(ms, 0.99),
        max: Math.max(...ms),
        late: ms.filter((x) => x > SLACK_DEADLINE_MS).length,
      };
      rows.push(row);
      process.stderr.write(
        `bench: burst run ${run}/${RUNS}: p50 ${r1(row.p50)} ms, p99 ${r1(row.p99)} ms, max ${r1(row.max)} ms, ` +
          `${row.late} over 3 s\n`,
      );
      // The bot's work after its acks (none here without a worker) and the machine settle.
      await sleep(2_000);
    }
    figures.p50_ms = rows.map((r) => r1(r.p50)).join(', ');
    figures.p99_ms = rows.map((r) => r1(r.p99)).join(', ');
    figures.max_ms = rows.map((r) => r1(r.max)).join(', ');
    figures.over_3s = rows.map((r) => r.late).join(', ');
    figures.target = 'none over 3 s in any run, every submission stored';
    return figures;
  } finally {
    redis.disconnect();
    await group.stopAll();
  }
}
