/**
 * What every bench section shares: the fixed credentials, percentiles, a burst of signed Slack
 * requests, and the built bot started as a process of its own (as `npm start` starts it), with the
 * kernel's account of its CPU time and memory.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postToApp } from '../src/sandbox/fake-slack/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SECRET = 'bench-signing-secret';
export const TOKEN = 'xoxb-bench';
export const KEY = { accessKeyId: 'bench', accessKeySecret: 'bench-cloud-secret' };
/** One hash tag for the whole run; each section adds its own suffix inside the braces. */
export const prefix = `{bench-${randomBytes(3).toString('hex')}}`;
export const subPrefix = (name: string) => `${prefix.slice(0, -1)}-${name}}`;
/**
 * People who may not approve, each clicking Approve: a refusal is answered and recorded once per
 * 30 s for the same person, request and button, so the ack section's clicks come from many people.
 */
export const CLICKERS = Array.from({ length: 1000 }, (_, i) => ({
  id: `U0CLICK${String(i).padStart(4, '0')}`,
  name: `clicker${i}`,
  real_name: `Clicker ${i}`,
  locale: 'en-US',
}));
/** The people of the bench's fake Slack: one who asks, the approver, one who may not approve, and the clickers. */
export const BENCH_USERS = [
  { id: 'U0ASKER', name: 'asker', real_name: 'Ann Asker', locale: 'en-US' },
  { id: 'U0LEAD1', name: 'lead', real_name: 'Lee Lead', locale: 'en-US' },
  { id: 'U0INTERN', name: 'intern', real_name: 'Ian Intern', locale: 'en-US' },
  ...CLICKERS,
];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
/** The middle value, or the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
export const r1 = (n: number) => Math.round(n * 10) / 10;
export const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Sends every body to `url`, `concurrency` at a time; the latency of each, in milliseconds, at the
 * body's own index.
 */
export async function burst(url: string, bodies: (() => string)[], concurrency: number): Promise<number[]> {
  const latencies: number[] = new Array(bodies.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const body = (bodies[i] as () => string)();
        const started = process.hrtime.bigint();
        const answer = await postToApp(url, SECRET, body);
        latencies[i] = Number(process.hrtime.bigint() - started) / 1e6;
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.text}`);
      }
    }),
  );
  return latencies;
}

/** Resident set size of a process now and at its peak so far (VmRSS, VmHWM: Linux), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux almost everywhere). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far (user + system, from /proc/<pid>/stat), in milliseconds. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLK_TCK;
}

/** The node arguments `npm start` runs the bot with (`node --max-old-space-size=512 … dist/main.js`). */
export function startArguments(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node' || args.at(-1) !== 'dist/main.js')
    throw new Error(`npm start is not "node … dist/main.js": ${pkg.scripts.start}`);
  return args;
}

let built = false;
/** Builds `dist/` once per run (what `npm start` runs). */
export function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' });
  built = true;
}

export interface ServerProcess {
  pid: number;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits for the log line that names its port. `started` finds the
 * port in what the process has printed so far.
 *
 * Its output goes to a file, as a container runtime or a service manager keeps a server's log, and
 * not through a pipe this process would have to drain: while this process is busy sending load, a
 * full pipe would block every synchronous log write of the server (stdout is synchronous for pipes
 * and files on Linux), and its latency would be the load generator's doing.
 */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  started: RegExp,
): Promise<ServerProcess> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'gw-bench-'));
  const logFile = path.join(logDir, 'out.log');
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', fd, 'inherit'],
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise((r) => child.once('exit', r));
  void exited.then(() => running.delete(child));
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  const output = () => readFileSync(logFile, 'utf8');
  let port: number | undefined;
  for (const until = Date.now() + 60_000; port === undefined; ) {
    const m = started.exec(output());
    if (m) port = Number(m[1]);
    else if (exitedEarly) {
      const last = output().slice(-500);
      rmSync(logDir, { recursive: true, force: true });
      throw new Error(`process exited: ${last}`);
    } else if (Date.now() > until) {
      const last = output().slice(-500);
      child.kill('SIGKILL');
      await exited;
      rmSync(logDir, { recursive: true, force: true });
      throw new Error(`no start line after 60 s: ${last}`);
    } else await sleep(50);
  }
  return {
    pid: child.pid as number,
    port,
    url: `http://127.0.0.1:${port}/slack/events`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** Every server process started and not yet exited. */
const running = new Set<ChildProcess>();
// Whatever way the bench ends (an error, a failed start, Ctrl-C, a SIGTERM), no server it started
// outlives it. A signal would end the process without its exit handlers: it exits instead.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
// The shell's code for a process ended by a signal: 128 + its number.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.once(signal, () => process.exit(code));

/**
 * The processes of one section: each started through `start` is stopped by `stopAll`, whichever
 * start failed, so `try { … } finally { await group.stopAll() }` leaves nothing behind.
 */
export function processGroup() {
  const started: ServerProcess[] = [];
  return {
    async start(...args: Parameters<typeof startProcess>): Promise<ServerProcess> {
      const p = await startProcess(...args);
      started.push(p);
      return p;
    },
    async bot(env: Record<string, string>): Promise<ServerProcess> {
      const p = await startBotProcess(env);
      started.push(p);
      return p;
    },
    async stopAll(): Promise<void> {
      await Promise.all(started.splice(0).map((p) => p.stop()));
    },
  };
}

/** The environment of the built bot against the fake Slack and a simulator. */
export function botEnv(o: {
  apiUrl: string;
  simUrl: string;
  prefix: string;
  role?: string;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: o.apiUrl,
    PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: o.prefix,
    ROLE: o.role ?? 'all',
    APPROVERS: 'U0LEAD1',
    ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
    ALIBABA_CLOUD_VPC_ENDPOINT: o.simUrl,
    // The bot's own throughput, not Alibaba's rate limits (test:ratelimit covers those).
    VPC_RATE_LIMITS: 'off',
    // The simulated account's quota, so that every request passes its checks.
    CUSTOMER_GATEWAY_QUOTA: '100000',
    LOG_LEVEL: 'info',
  };
}

/** The built bot (`npm start`'s command line) in a process of its own. */
export function startBotProcess(env: Record<string, string>): Promise<ServerProcess> {
  buildOnce();
  // For a profile of the bot under the bench's load: BENCH_BOT_NODE_ARGS='--cpu-prof --cpu-prof-dir=…'.
  const extra = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return startProcess([...extra, ...startArguments()], env, /"port":(\d+).*gateway bot started/);
}
