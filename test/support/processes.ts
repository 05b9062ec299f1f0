/**
 * The bot as operators run it: `src/main.ts` in a process of its own, configured by environment
 * variables, its output captured for the tests to read. A source file runs from the copy
 * `global-setup.ts` transpiled for this run (plain JavaScript, source-mapped to the `.ts` files),
 * or through tsx where there is none.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

/**
 * Node's arguments that run `script` (a source file, from the repository's root) after
 * `nodeArgs`, in which a `.ts` file is taken from the same place as the script.
 */
export function nodeArgsFor(script: string, nodeArgs: string[] = []): string[] {
  const sources = inject('processSources');
  if (!sources) return ['--import', 'tsx', ...nodeArgs, script];
  const built = (file: string) =>
    file.endsWith('.ts') ? path.join(sources, path.normalize(file)).replace(/\.ts$/, '.js') : file;
  return ['--enable-source-maps', ...nodeArgs.map(built), built(script)];
}

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first JSON log line whose `msg` matches. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What a bot process needs to serve against a fake Slack and, given `cloud`, a simulator. */
export interface BotSetting {
  token: string;
  signingSecret: string;
  slackApiUrl: string;
  redisUrl: string;
  /** The unique prefix of the test file; none: the bot's default. */
  prefix?: string;
  cloud?: { id: string; secret: string; endpoint: string };
}

/**
 * A bot process's environment: the setting, one approver (`U0LEAD1`), a port of its own, and
 * `extra` on top (a test's own variables, or one of these changed).
 */
export function botEnv(s: BotSetting, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: s.token,
    SLACK_SIGNING_SECRET: s.signingSecret,
    SLACK_API_URL: s.slackApiUrl,
    PORT: '0',
    REDIS_URL: s.redisUrl,
    ...(s.prefix ? { REDIS_PREFIX: s.prefix } : {}),
    APPROVERS: 'U0LEAD1',
    ...(s.cloud
      ? {
          ALIBABA_CLOUD_ACCESS_KEY_ID: s.cloud.id,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: s.cloud.secret,
          ALIBABA_CLOUD_VPC_ENDPOINT: s.cloud.endpoint,
        }
      : {}),
    ...extra,
  };
}

/**
 * A provisioning worker in a child process (`test/fixtures/worker-process.ts`) on the test's Redis
 * prefix and simulator; `extra` sets its behaviour (CRASH_AFTER, LOCK_MS, BUSY_CREATE_MS …).
 */
export function spawnWorkerFixture(
  o: {
    redisUrl: string;
    prefix: string;
    simUrl: string;
    simKey: { accessKeyId: string; accessKeySecret: string };
  },
  extra: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, nodeArgsFor('test/fixtures/worker-process.ts'), {
    env: {
      ...process.env,
      REDIS_URL: o.redisUrl,
      PREFIX: o.prefix,
      SIM_URL: o.simUrl,
      SIM_KEY_ID: o.simKey.accessKeyId,
      SIM_KEY_SECRET: o.simKey.accessKeySecret,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `nodeArgs` go before the script: e.g. `['--import', 'test/fixtures/x.ts']` to preload a fixture. */
export function runNode(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  nodeArgs: string[] = [],
): BotProcess {
  const child = spawn(process.execPath, [...nodeArgsFor(script, nodeArgs), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  function findLog(msg: RegExp) {
    for (const line of output.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (typeof parsed.msg === 'string' && msg.test(parsed.msg)) return parsed;
      } catch {
        // A partial line; it completes with the next chunk.
      }
    }
    return undefined;
  }
  return {
    child,
    output: () => output,
    exited,
    waitForLog(msg, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = findLog(msg);
          if (found) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve(found);
          }
        };
        const timer = setTimeout(
          () => reject(new Error(`no log line ${msg} in:\n${output.slice(-3000)}`)),
          timeoutMs,
        );
        waiters.push(check);
        void exited.then(() => {
          if (!findLog(msg)) {
            clearTimeout(timer);
            reject(new Error(`process exited before ${msg}:\n${output.slice(-3000)}`));
          }
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
