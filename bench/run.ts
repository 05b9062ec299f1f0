/**
 * `npm run bench`: the figures behind the performance claims, measured on this machine with every
 * server in a process of its own and the load generated here. Prints a table and writes the same
 * figures to bench/results/latest.json.
 *
 *   ack       the bot and a bare Bolt app, alternating rounds: p50/p95/p99, their ratios, CPU per ack
 *   burst     200 modal submissions sent at once, several runs: p50/p99/max ack and how many over 3 s
 *   pipeline  customer gateways approved at once, with 1, 2 and 4 worker processes
 *   memory    the bot's resident set idle and at its peak while rounds of full requests go through it
 *   polling   VPN gateways coming up, at the default polling settings, against fixed 5 s polling
 *   policy    approval policy evaluation per request (bench/policy.ts)
 *   locks     Redis commands per second of a worker keeping its locks, idle and holding jobs
 *   health    2,000 connections' tunnels followed at TUNNEL_HEALTH_INTERVAL=10s: a tunnel down announced how soon
 *
 * `npm run bench -- ack polling` (or BENCH_SECTIONS=ack,polling) runs only the sections named.
 * Needs Redis on REDIS_URL (default 127.0.0.1:6379); uses its own key prefix and removes it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { startFakeSlack } from '../src/sandbox/fake-slack/index.js';
import { defaultSeed, startSimulator } from '../src/sandbox/simulator/index.js';
import { benchAck } from './ack.js';
import { benchBurst } from './burst.js';
import { benchHealth } from './health.js';
import { benchLocks } from './locks.js';
import { benchMemory } from './memory.js';
import { benchPipeline } from './pipeline.js';
import { benchPolicy } from './policy.js';
import { benchPolling } from './polling.js';
import { BENCH_USERS, KEY, prefix, REDIS_URL, TOKEN } from './support.js';

const SECTIONS = ['ack', 'burst', 'pipeline', 'memory', 'polling', 'policy', 'locks', 'health'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections asked for: arguments first, then BENCH_SECTIONS, else all; an unknown name stops the run. */
export function chosenSections(args: string[], env: string | undefined): Section[] {
  const names = (args.length ? args : (env ?? SECTIONS.join(',')).split(','))
    .flatMap((a) => a.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(
      `unknown bench section ${unknown.map((u) => `"${u}"`).join(', ')}; the sections are ${SECTIONS.join(', ')}`,
    );
  return SECTIONS.filter((s) => names.includes(s));
}

async function main() {
  const sections = chosenSections(process.argv.slice(2), process.env.BENCH_SECTIONS);
  const results: Record<string, Record<string, number | string>> = {};
  const slack = await startFakeSlack({
    tokens: [TOKEN],
    workspace: {
      users: BENCH_USERS,
    },
  });
  const sim = await startSimulator({
    ...KEY,
    provisionTimeMs: 1_000,
    seed: defaultSeed(),
    quotas: { vpnGateways: 100_000, customerGateways: 100_000 },
  });
  const o = { apiUrl: slack.apiUrl, simUrl: sim.url };
  try {
    for (const section of sections) {
      process.stderr.write(`bench: ${section}…\n`);
      if (section === 'ack') results.ack = await benchAck({ simUrl: sim.url });
      if (section === 'burst') results.burst = await benchBurst();
      if (section === 'pipeline') results.pipeline = await benchPipeline(o);
      if (section === 'memory') results.memory = await benchMemory(o);
      if (section === 'polling') results.polling = await benchPolling(o);
      if (section === 'policy') results.policy = { ...(await benchPolicy()) };
      if (section === 'locks') results.locks = await benchLocks(o);
      if (section === 'health') results.health = await benchHealth({ apiUrl: slack.apiUrl, slack });
    }
  } finally {
    await Promise.all([slack.close(), sim.close()]);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix.slice(0, -1)}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
  }

  for (const [section, figures] of Object.entries(results)) {
    console.log(`\n${section}`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(34)} ${v}`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
  console.log('\nwritten to bench/results/latest.json');
}

if (process.argv[1]?.endsWith('run.ts'))
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
