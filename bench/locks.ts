/**
 * What keeping locks costs: the Redis commands per second of one worker process (the built bot,
 * ROLE=worker) at WORKER_LOCK_DURATION=30s (the former default) and 6s (the default), idle and
 * holding ten provisioning jobs (the simulated cloud answers nothing for the window, so each job
 * stays held and its lock is renewed). Alternating rounds, each on a private redis-server whose
 * INFO counts every command it processed; only the worker talks to it during a window.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createVpcClient } from '../src/cloud/index.js';
import { freePort } from '../src/server/free-port.js';
import { createWorkflowSystem } from '../src/workflow/system.js';
import { botEnv, KEY, median, r2, sleep, startBotProcess, subPrefix } from './support.js';

const LOCKS = ['30s', '6s'] as const;
const ROUNDS = Number(process.env.BENCH_LOCKS_ROUNDS ?? 2);
const WINDOW_MS = Number(process.env.BENCH_LOCKS_WINDOW_MS ?? 15_000);
const HELD = 10;

/** A redis-server of the bench's own (no persistence), so that its command count is the worker's. */
async function startCountingRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (i > 100) throw new Error('redis-server did not start');
      await sleep(50);
    }
  }
  return { url, stop: () => child.kill('SIGKILL') };
}

/** What the server has processed: every command (those run inside scripts too), and the script calls. */
async function counts(redis: Redis): Promise<{ commands: number; scripts: number }> {
  const info = await redis.info('all');
  const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return {
    commands: Number(/total_commands_processed:(\d+)/.exec(info)?.[1]),
    scripts: calls('evalsha') + calls('eval'),
  };
}

/** Commands and script calls per second over `ms`, less the INFO call that counts them. */
async function perSecond(redis: Redis, ms: number): Promise<{ commands: number; scripts: number }> {
  const before = await counts(redis);
  await sleep(ms);
  const after = await counts(redis);
  return {
    commands: (after.commands - before.commands - 1) / (ms / 1000),
    scripts: (after.scripts - before.scripts) / (ms / 1000),
  };
}

async function setLatency(simUrl: string, latencyMs: number): Promise<void> {
  const url = new URL('/_simulator/faults', simUrl);
  const answer = await fetch(url, { method: 'POST', body: JSON.stringify({ rules: [], latencyMs }) });
  if (!answer.ok) throw new Error(`simulator faults: ${answer.status}`);
}

/** Submits and approves `n` customer gateways from this process; the worker process takes them. */
async function approveRequests(redis: Redis, prefix: string, simUrl: string, n: number): Promise<void> {
  const system = createWorkflowSystem({
    redis,
    prefix,
    vpc: createVpcClient({ ...KEY, endpoint: simUrl, timeoutMs: 10_000 }),
    policy: { approvers: ['U0LEAD1'], allowSelfApproval: false, requiredApprovals: 1 },
    approvalTtlMs: 3_600_000,
    polling: { intervalMs: 1_000, maxIntervalMs: 5_000, provisionTimeoutMs: 600_000 },
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await system.workflow.submit({
        resource: 'customer_gateway',
        values: { RegionId: 'cn-hangzhou', IpAddress: `47.90.${Math.floor(i / 250)}.${(i % 250) + 1}` },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0LOCKS',
        locale: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      ids.push(r.request.id);
    }
    // From here the cloud answers nothing: each approved request's job is taken and held.
    await setLatency(simUrl, 120_000);
    for (const id of ids) await system.workflow.approve(id, { userId: 'U0LEAD1' });
    for (const until = Date.now() + 30_000; (await system.queues.provision.getActiveCount()) < n; ) {
      if (Date.now() > until) throw new Error('the worker did not take the approved requests');
      await sleep(100);
    }
  } finally {
    await system.close();
  }
}

/** One round at one lock duration: the worker's commands per second idle, then holding HELD jobs. */
async function measure(lock: string, o: { apiUrl: string; simUrl: string; redisUrl: string }, round: number) {
  const prefix = subPrefix(`locks${round}${lock}`);
  const redis = new Redis(o.redisUrl);
  const worker = await startBotProcess({
    ...botEnv({ ...o, prefix, role: 'worker' }),
    REDIS_URL: o.redisUrl,
    WORKER_LOCK_DURATION: lock,
    VPC_REQUEST_TIMEOUT: '300s',
  });
  try {
    await sleep(3_000);
    const idle = await perSecond(redis, WINDOW_MS);
    await approveRequests(redis, prefix, o.simUrl, HELD);
    await sleep(1_000);
    const held = await perSecond(redis, WINDOW_MS);
    return { idle, held };
  } finally {
    // The held jobs would keep a graceful stop waiting for the cloud: the worker is killed.
    process.kill(worker.pid, 'SIGKILL');
    await worker.stop();
    await setLatency(o.simUrl, 0);
    await redis.flushall();
    redis.disconnect();
  }
}

export async function benchLocks(o: { apiUrl: string; simUrl: string }) {
  const server = await startCountingRedis();
  type Rate = { commands: number; scripts: number };
  const figures = new Map<string, { idle: Rate[]; held: Rate[] }>(
    LOCKS.map((l) => [l, { idle: [], held: [] }]),
  );
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating, so that whatever else loads the machine weighs on both alike.
      for (const lock of round % 2 ? [...LOCKS].reverse() : LOCKS) {
        const m = await measure(lock, { ...o, redisUrl: server.url }, round);
        figures.get(lock)?.idle.push(m.idle);
        figures.get(lock)?.held.push(m.held);
        process.stderr.write(
          `bench: locks ${lock} round ${round + 1}: idle ${r2(m.idle.commands)} commands/s, ` +
            `held ${r2(m.held.commands)} commands/s\n`,
        );
      }
    }
  } finally {
    server.stop();
  }
  const results: Record<string, number | string> = {
    rounds: ROUNDS,
    window_s: WINDOW_MS / 1000,
    held_jobs: HELD,
  };
  for (const [lock, f] of figures) {
    for (const state of ['idle', 'held'] as const) {
      results[`lock_${lock}_${state}_commands_per_s`] = r2(median(f[state].map((x) => x.commands)));
      results[`lock_${lock}_${state}_script_calls_per_s`] = r2(median(f[state].map((x) => x.scripts)));
    }
  }
  return results;
}
