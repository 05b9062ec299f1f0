/**
 * Ack latency and CPU per acknowledged request: the built bot (ROLE=bot, as `npm start` runs it)
 * and a bare Bolt app, each in a process of its own, loaded from this process. Rounds alternate
 * which server goes first (A B, B A, …) so that a slow patch of a shared machine falls on both.
 * Two mixes: what a channel sends (`/gateway help`, region option loads while a modal is open,
 * and Approve clicks on pending requests by people who may not approve, each refused in the audit
 * trail before the ack and answered after it with a private refusal), and the same without the
 * clicks (everything answered inside the ack). Each click comes from another person or goes to
 * another request, so every refusal is a first one (answered, logged, recorded), not a repeat
 * counted in an earlier one. CPU time comes from /proc/<pid>/stat and includes the work each
 * server does after its acks. The fake Slack Web API both servers call runs in a third process, so
 * that the bot's calls after its acks do not slow the load generator's own clock.
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
  CLICKERS,
  cpuMsOf,
  median,
  processGroup,
  quantile,
  REDIS_URL,
  r2,
  SECRET,
  type ServerProcess,
  sleep,
  subPrefix,
  TOKEN,
} from './support.js';

/** Per round and server: of 2,000 requests, the p99 is the 20 slowest. */
const REQUESTS = Number(process.env.BENCH_ACK_REQUESTS ?? 2000);
/** Even, so that each server goes first in as many rounds as the other. */
const ROUNDS = Number(process.env.BENCH_ACK_ROUNDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_ACK_CONCURRENCY ?? 20);
/** Pending requests clicked on: with the clickers, 20,000 distinct refusals before one repeats. */
const PENDING = 20;

/**
 * The requests of one burst: help (4 in 10), option loads (3 in 10) and, given the ids of pending
 * requests, refused Approve clicks on them (3 in 10). Without clicks, every request is answered
 * inside its ack by both servers: what is left is what the bot adds to Bolt's own handling (the
 * gate, the workflow, the answer).
 */
export function mix(o: { clickOn?: readonly string[] } = {}): (() => string)[] {
  const clickOn = o.clickOn ?? [];
  // Click n: clicker n, on request n / 1,000: a new person, or a new request, each time.
  let clicks = 0;
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
    const n = clicks++;
    return interactionBody(
      blockActionPayload({
        user: (CLICKERS[n % CLICKERS.length] as { id: string }).id,
        channel: 'C0BENCH',
        messageTs: '1.1',
        actionId: 'approve_request',
        value: clickOn[Math.floor(n / CLICKERS.length) % clickOn.length] as string,
        triggerId: 't',
      }),
    );
  };
  return Array.from({ length: REQUESTS }, (_, i) => one(i));
}

/**
 * One burst against one server: its latencies and the CPU it spent, work after the acks included,
 * and the CPU the fake Slack spent meanwhile (answering what the server sent it), which shares the
 * machine's two cores with the servers and the load.
 */
async function measure(server: ServerProcess, bodies: (() => string)[], slack: ServerProcess) {
  const before = cpuMsOf(server.pid);
  const slackBefore = cpuMsOf(slack.pid);
  const latencies = await burst(server.url, bodies, CONCURRENCY);
  // What runs after an ack (a private refusal, a log line) belongs to the request.
  await sleep(1_000);
  return {
    latencies,
    cpuPerAck: (cpuMsOf(server.pid) - before) / bodies.length,
    slackCpuPerAck: (cpuMsOf(slack.pid) - slackBefore) / bodies.length,
  };
}

type Measure = Awaited<ReturnType<typeof measure>>;

const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
/** The kind of request at each index of a mix (see `mix`); clicks only in a mix with them. */
const KINDS: Record<string, (i: number, withClicks: boolean) => boolean> = {
  help: (i) => i % 10 < 4,
  options: (i, withClicks) => i % 10 >= 4 && (i % 10 < 7 || !withClicks),
  clicks: (i, withClicks) => withClicks && i % 10 >= 7,
};

/**
 * The figures of one mix over every round: each server's quantiles per round, the bot's over bare
 * Bolt's as the median of the rounds' ratios and pooled (every round's latencies together), and
 * the CPU per ack.
 */
function figures(name: string, rounds: { bot: Measure; bare: Measure }[]) {
  const list = (xs: number[]) => xs.map(r2).join(', ');
  const out: Record<string, string | number> = {};
  const pooled = (side: 'bot' | 'bare') => rounds.flatMap((r) => r[side].latencies);
  for (const [label, q] of Object.entries(QUANTILES)) {
    const bot = rounds.map((r) => quantile(r.bot.latencies, q));
    const bare = rounds.map((r) => quantile(r.bare.latencies, q));
    out[`${name}_bot_${label}_ms`] = list(bot);
    out[`${name}_bare_${label}_ms`] = list(bare);
    out[`${name}_${label}_ratio_per_round`] = list(bot.map((b, i) => b / (bare[i] as number)));
    out[`${name}_${label}_ratio_median`] = r2(median(bot.map((b, i) => b / (bare[i] as number))));
    out[`${name}_${label}_ratio_pooled`] = r2(quantile(pooled('bot'), q) / quantile(pooled('bare'), q));
  }
  // Which requests make the tail: each kind's p99 over bare Bolt's, pooled over the rounds.
  for (const [kind, pick] of Object.entries(KINDS)) {
    const of = (side: 'bot' | 'bare') =>
      rounds.flatMap((r) => r[side].latencies.filter((_, i) => pick(i, name === 'full')));
    const bot = of('bot');
    if (bot.length === 0) continue;
    out[`${name}_${kind}_p99_bot_bare_ms`] = `${r2(quantile(bot, 0.99))} / ${r2(quantile(of('bare'), 0.99))}`;
  }
  const cpuRatios = rounds.map((r) => r.bot.cpuPerAck / r.bare.cpuPerAck);
  out[`${name}_bot_cpu_ms_per_ack`] = list(rounds.map((r) => r.bot.cpuPerAck));
  out[`${name}_bare_cpu_ms_per_ack`] = list(rounds.map((r) => r.bare.cpuPerAck));
  out[`${name}_cpu_ratio_median`] = r2(median(cpuRatios));
  out[`${name}_fake_slack_cpu_ms_per_ack_bot_bare`] =
    `${r2(median(rounds.map((r) => r.bot.slackCpuPerAck)))} / ${r2(median(rounds.map((r) => r.bare.slackCpuPerAck)))}`;
  return out;
}

export async function benchAck(o: { simUrl: string }) {
  const group = processGroup();
  const redis = new Redis(REDIS_URL);
  try {
    const slack = await group.start(
      ['--import', 'tsx', 'bench/fake-slack-process.ts'],
      { SLACK_BOT_TOKEN: TOKEN },
      /"port":(\d+)/,
    );
    const apiUrl = `http://127.0.0.1:${slack.port}/api/`;
    const ackPrefix = subPrefix('ack');
    const bot = await group.bot(botEnv({ apiUrl, simUrl: o.simUrl, prefix: ackPrefix, role: 'bot' }));
    const bare = await group.start(
      ['--import', 'tsx', 'bench/bare-bolt.ts'],
      { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl },
      /"port":(\d+)/,
    );
    // Requests to click on, submitted through the bot as Slack would (no worker: they stay pending).
    const pending = await new SlackFlow(bot.url, redis, ackPrefix, 'C0BENCH').submit(PENDING, {
      announced: false,
    });
    // Each server its own clicks, so that its warm-up has every clicker click once: the bot asks
    // Slack for a person's language at their first refusal and keeps it for an hour, and a round
    // measures people who have clicked before, not that first lookup.
    const mixesOf = () => ({ full: mix({ clickOn: pending.map((r) => r.id) }), answered: mix() });
    const mixesFor = new Map([
      [bot, mixesOf()],
      [bare, mixesOf()],
    ]);
    const mixes = (server: ServerProcess) => mixesFor.get(server) as ReturnType<typeof mixesOf>;
    // Warm both (JIT, connection pools, the bot's caches) before anything counts.
    for (const server of [bare, bot, bare, bot]) await burst(server.url, mixes(server).full, CONCURRENCY);
    const rounds = {
      full: [] as { bot: Measure; bare: Measure }[],
      answered: [] as { bot: Measure; bare: Measure }[],
    };
    for (let round = 0; round < ROUNDS; round++) {
      const botFirst = round % 2 === 1;
      for (const name of ['full', 'answered'] as const) {
        const [first, second] = botFirst ? [bot, bare] : [bare, bot];
        const a = await measure(first, mixes(first)[name], slack);
        const b = await measure(second, mixes(second)[name], slack);
        const r = botFirst ? { bot: a, bare: b } : { bare: a, bot: b };
        rounds[name].push(r);
        const at = (m: Measure, q: number) => r2(quantile(m.latencies, q));
        process.stderr.write(
          `bench: ack round ${round + 1}/${ROUNDS}, ${name} mix (${botFirst ? 'bot' : 'bare Bolt'} first): ` +
            `p50/p95/p99 bot ${at(r.bot, 0.5)}/${at(r.bot, 0.95)}/${at(r.bot, 0.99)} ms, ` +
            `bare ${at(r.bare, 0.5)}/${at(r.bare, 0.95)}/${at(r.bare, 0.99)} ms; ` +
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
    await group.stopAll();
  }
}
