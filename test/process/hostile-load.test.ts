import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeSlack,
  postToApp,
  slashCommandBody,
  startFakeSlack,
} from '../../src/sandbox/fake-slack/index.js';
import { type BotProcess, botEnv, runNode } from '../support/processes.js';
import { REDIS_URL, testRedis } from '../support/redis.js';

const t = testRedis('flood');
const TOKEN = 'xoxb-flood-test-token-7a8b9c';
const SIGNING_SECRET = 'flood-signing-secret-0d1e2f';
const ATTACKERS = 80;
const FLOOD_MS = 4_000;
let slack: FakeSlack;
let bot: BotProcess;

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: [TOKEN] });
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await slack.close();
  await t.cleanup();
});

/** Resident set now and at its peak so far, in MB, from the kernel's account of the process. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * The attackers, in a thread of their own so that their work does not delay the test's own clock:
 * `clients` loops, each sending one unsigned (or falsely signed) 3.9 MB POST after another for
 * `ms`: no signature headers, or a made-up signature, with a Content-Length or a chunked body.
 * Posts back every answer's status, 0 where the server closed the connection on the rest of the body.
 */
const FLOOD = `
const { request } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, clients, ms, bytes } = workerData;
const body = Buffer.alloc(bytes, 'a');
const until = Date.now() + ms;
function post(variant) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (variant % 2 === 1) {
    headers['x-slack-signature'] = 'v0=' + '0'.repeat(64);
    headers['x-slack-request-timestamp'] = String(Math.floor(Date.now() / 1000));
  }
  if (variant % 4 < 2) headers['content-length'] = String(body.length);
  else headers['transfer-encoding'] = 'chunked';
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
const statuses = [];
Promise.all(
  Array.from({ length: clients }, async (_, i) => {
    while (Date.now() < until) statuses.push(await post(i));
  }),
).then(() => parentPort.postMessage(statuses));
`;

function flood(url: string, clients: number, ms: number): Promise<number[]> {
  const worker = new Worker(FLOOD, { eval: true, workerData: { url, clients, ms, bytes: 3_900_000 } });
  return new Promise((resolve, reject) => {
    worker.once('message', (statuses: number[]) => {
      void worker.terminate();
      resolve(statuses);
    });
    worker.once('error', reject);
  });
}

describe('a flood of large unsigned requests', () => {
  it('does not delay a signed /gateway help past 1 s, and the bot holds no bodies in memory', async () => {
    const setting = {
      token: TOKEN,
      signingSecret: SIGNING_SECRET,
      slackApiUrl: slack.apiUrl,
      redisUrl: REDIS_URL,
    };
    bot = runNode(
      'src/main.ts',
      botEnv({ ...setting, prefix: t.prefix }, { VPC_SANDBOX: 'true', LOG_LEVEL: 'info' }),
    );
    const pid = bot.child.pid as number;
    const started = await bot.waitForLog(/gateway bot started/);
    const url = `http://127.0.0.1:${started.port}/slack/events`;
    const help = async () => {
      const begun = performance.now();
      const answer = await postToApp(
        url,
        SIGNING_SECRET,
        slashCommandBody({
          command: '/gateway',
          text: 'help',
          user_id: 'U0ASKER',
          channel_id: 'C0NETOPS',
          trigger_id: slack.issueTriggerId('U0ASKER'),
        }),
      );
      expect(answer.status).toBe(200);
      return performance.now() - begun;
    };
    for (let i = 0; i < 5; i++) await help();
    const before = memoryOf(pid);

    const flooded = flood(url, ATTACKERS, FLOOD_MS);
    const floodEnds = Date.now() + FLOOD_MS;
    const latencies: number[] = [];
    // Let the flood build up before the first signed request.
    await new Promise((r) => setTimeout(r, 300));
    while (Date.now() < floodEnds - 200) {
      latencies.push(await help());
      await new Promise((r) => setTimeout(r, 100));
    }
    const during = memoryOf(pid);
    const statuses = await flooded;

    const slowest = Math.max(...latencies);
    console.log(
      `flood: ${statuses.length} forged 3.9 MB POSTs from ${ATTACKERS} clients in ${FLOOD_MS / 1000} s ` +
        `(${statuses.filter((s) => s === 401).length} × 401, ${statuses.filter((s) => s === 413).length} × 413, ` +
        `${statuses.filter((s) => s === 0).length} cut off); signed /gateway help: ${latencies.length} answered, ` +
        `slowest ${slowest.toFixed(0)} ms; bot RSS ${before.rss.toFixed(0)} MB before, peak ${during.peak.toFixed(0)} MB`,
    );
    expect(statuses.length).toBeGreaterThanOrEqual(ATTACKERS);
    expect(statuses.every((s) => s === 401 || s === 413 || s === 0)).toBe(true);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(slowest).toBeLessThan(1_000);
    // Refused bodies are never buffered: the peak stays near where the bot started, far from
    // the 80 × 3.9 MB = 312 MB a server that reads them would hold.
    expect(during.peak - before.peak).toBeLessThan(60);
  }, 60_000);
});
