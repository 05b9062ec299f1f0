/**
 * Ack latency and CPU per acknowledged request: the built bot (ROLE=bot, as `npm start` runs it)
 * and a bare Bolt app, each in a process of its own, loaded from this process. Rounds alternate
 * which server goes first (A B, B A, …) so that a slow patch of a shared machine falls on both.
 * Two mixes: what a channel sends (`/gateway help`, region option loads while a modal is open,
 * and Approve clicks on pending requests by someone who may not approve, each refused in the audit
 * trail before the ack and answered after it with a private refusal), and the same without the
 * clicks (everything answered inside the ack). CPU time
 * comes from /proc/<pid>/stat and includes the work each server does after its acks. The fake
 * Slack Web API both servers call runs in a third process, so that the bot's calls after its acks
 * do not slow the load generator's own clock.
 */

import { Redis } from 'ioredis';
import { DEFAULT_ACCOUNT } from '../src/config/index.js';
import { resourceOf } from '../src/resources/index.js';
import {
  blockActionPayload,
  blockSuggestionPayload,
  interactionBody,
  slashCommandBody,
} from '../src/sandbox/fake-slack/index.js';
import { metadataSigner } from '../src/slack/metadata.js';
import { buildResourceModal } from '../src/slack/modals.js';
import { SlackFlow } from './flow.js';
import {
  botEnv,
  burst,
  cpuMsOf,
  median,
  quantile,
  REDIS_URL,
  r2,
  SECRET,
  type ServerProcess,
  sleep,
  startBotProcess,
  startProcess,
  subPrefix,
  TOKEN,
} from './support.js';

/**
 * Per round and server. A p99 is the 1 % slowest: of 1,000 requests, ten, so one pause of either
 * process moved a round's ratio between 0.5 and 3.8; of 4,000, forty.
 */
const REQUESTS = Number(process.env.BENCH_ACK_REQUESTS ?? 4000);
/** Even, so that each server goes first in as many rounds as the other. */
const ROUNDS = Number(process.env.BENCH_ACK_ROUNDS ?? 10);
const CONCURRENCY = 50;

/**
 * The requests of one burst: help (4 in 10), option loads (3 in 10) and, given the ids of pending
 * requests, refused Approve clicks on them (3 in 10). Without clicks, every request is answered
 * inside its ack by both servers: what is left is what the bot adds to Bolt's own handling (the
 * gate, the workflow, the answer).
 */
export function mix(o: { clickOn?: readonly string[] } = {}): (() => string)[] {
  const clickOn = o.clickOn ?? [];
  const modal = buildResourceModal(resourceOf('vpn_gateway'), {
    channelId: 'C0BENCH',
    locale: 'en',
    sandbox: false,
    accounts: [DEFAULT_ACCOUNT],
    resources: {},
    signer: metadataSigner(TOKEN),
  });
  const one = (i: number) => () => {
    if (i % 10 < 4)
      return slashCommandBody({
        command: '/gateway',
        text: 'help',
        user_id: 'U0ASKER',
        channel_id: 'C0BENCH',
        trigger_id: 't',
      });
    if (i % 10 < 7 || clickOn.length === 0)
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
    return interactionBody(
      blockActionPayload({
        user: 'U0INTERN',
        channel: 'C0BENCH',
        messageTs: '1.1',
        actionId: 'approve_request',
        value: clickOn[i % clickOn.length] as string,
        triggerId: 't',
      }),
    );
  };
  return Array.from({ length: REQUESTS }, (_, i) => one(i));
}

/** One burst against one server: its latencies and the CPU it spent, work after the acks included. */
async function measure(server: ServerProcess, bodies: (() => string)[]) {
  const before = cpuMsOf(server.pid);
  const latencies = await burst(server.url, bodies, CONCURRENCY);
  // What runs after an ack (a private refusal, a log line) belongs to the request.
  await sleep(1_000);
  return { latencies, cpuPerAck: (cpuMsOf(server.pid) - before) / bodies.length };
}

type Measure = Awaited<ReturnType<typeof measure>>;

/** The figures of one mix over every round. */
function figures(name: string, rounds: { bot: Measure; bare: Measure }[]) {
  const per = (pick: (r: (typeof rounds)[number]) => number) => rounds.map(pick);
  const list = (xs: number[]) => xs.map(r2).join(', ');
  const p99Ratios = per((r) => quantile(r.bot.latencies, 0.99) / quantile(r.bare.latencies, 0.99));
  const cpuRatios = per((r) => r.bot.cpuPerAck / r.bare.cpuPerAck);
  return {
    [`${name}_bot_p50_ms`]: list(per((r) => quantile(r.bot.latencies, 0.5))),
    [`${name}_bot_p99_ms`]: list(per((r) => quantile(r.bot.latencies, 0.99))),
    [`${name}_bare_p50_ms`]: list(per((r) => quantile(r.bare.latencies, 0.5))),
    [`${name}_bare_p99_ms`]: list(per((r) => quantile(r.bare.latencies, 0.99))),
    [`${name}_p99_ratio_per_round`]: list(p99Ratios),
    [`${name}_p99_ratio_median`]: r2(median(p99Ratios)),
    [`${name}_bot_cpu_ms_per_ack`]: list(per((r) => r.bot.cpuPerAck)),
    [`${name}_bare_cpu_ms_per_ack`]: list(per((r) => r.bare.cpuPerAck)),
    [`${name}_cpu_ratio_median`]: r2(median(cpuRatios)),
  };
}

export async function benchAck(o: { simUrl: string }) {
  const slack = await startProcess(
    ['--import', 'tsx', 'bench/fake-slack-process.ts'],
    { SLACK_BOT_TOKEN: TOKEN },
    /"port":(\d+)/,
  );
  const apiUrl = `http://127.0.0.1:${slack.port}/api/`;
  const ackPrefix = subPrefix('ack');
  const bot = await startBotProcess(botEnv({ apiUrl, simUrl: o.simUrl, prefix: ackPrefix, role: 'bot' }));
  const bare = await startProcess(
    ['--import', 'tsx', 'bench/bare-bolt.ts'],
    { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl },
    /"port":(\d+)/,
  );
  const redis = new Redis(REDIS_URL);
  try {
    // Requests to click on, submitted through the bot as Slack would (no worker: they stay pending).
    const pending = await new SlackFlow(bot.url, redis, ackPrefix, 'C0BENCH').submit(10, {
      announced: false,
    });
    const mixes = { full: mix({ clickOn: pending.map((r) => r.id) }), answered: mix() };
    // Warm both (JIT, connection pools, the bot's caches) before anything counts.
    for (const server of [bare, bot, bare, bot]) await burst(server.url, mixes.full, CONCURRENCY);
    const rounds = {
      full: [] as { bot: Measure; bare: Measure }[],
      answered: [] as { bot: Measure; bare: Measure }[],
    };
    for (let round = 0; round < ROUNDS; round++) {
      const botFirst = round % 2 === 1;
      for (const name of ['full', 'answered'] as const) {
        const a = await measure(botFirst ? bot : bare, mixes[name]);
        const b = await measure(botFirst ? bare : bot, mixes[name]);
        const r = botFirst ? { bot: a, bare: b } : { bare: a, bot: b };
        rounds[name].push(r);
        process.stderr.write(
          `bench: ack round ${round + 1}/${ROUNDS}, ${name} mix (${botFirst ? 'bot' : 'bare Bolt'} first): ` +
            `p99 bot ${r2(quantile(r.bot.latencies, 0.99))} ms, bare ${r2(quantile(r.bare.latencies, 0.99))} ms; ` +
            `CPU/ack bot ${r2(r.bot.cpuPerAck)} ms, bare ${r2(r.bare.cpuPerAck)} ms\n`,
        );
      }
    }
    return {
      requests_per_round: REQUESTS,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      targets: 'p99 ratio <= 1.2, CPU ratio <= 1.3 (medians of rounds)',
      ...figures('full', rounds.full),
      ...figures('answered', rounds.answered),
    };
  } finally {
    redis.disconnect();
    await Promise.all([bot.stop(), bare.stop()]);
    await slack.stop();
  }
}
