import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config/index.js';
import { freePort } from '../support/private-redis.js';
import { RedisServer } from '../support/redis-servers.js';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

/** The primary's min-replicas-to-write in docker-compose.yml: compose fills it from the environment. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's interpolation, not a JavaScript template.
const MIN_REPLICAS_SETTING = '${REDIS_MIN_REPLICAS_TO_WRITE:-0}';

/** `docker compose` (the plugin) or Debian's `docker-compose`, whichever is installed. */
function composeClient(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    try {
      execFileSync(command[0] as string, [...command.slice(1), 'version'], { stdio: 'ignore' });
      return command;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}
const composeCommand = composeClient();
if (!composeCommand)
  console.warn('docker compose is not installed here: docker-compose.yml is checked by parsing only');

describe('Dockerfile, on paper', () => {
  it('copies only files that exist', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(source), source).toBe(true);
  });

  it("builds into dist/ every file the bot reads beside its modules (Lua scripts, the playground's policy)", () => {
    const copies = [...(pkg.scripts.build ?? '').matchAll(/\bcp (?:-r )?(src\/\S+) (dist\/\S+)/g)].map(
      (m) => ({
        from: m[1] as string,
        to: m[2] as string,
      }),
    );
    const read = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(lua|yml)$/.test(file))
      .map((file) => `src/${file}`);
    expect(read.filter((file) => file.endsWith('.lua')).length).toBeGreaterThan(3);
    for (const file of read) {
      const copy = copies.find((c) => file === c.from || file.startsWith(`${c.from}/`));
      expect(copy, `${file} is not copied by npm run build`).toBeDefined();
      // Where the compiled module looks for it: the same place under dist/ as under src/.
      const parent = path.dirname(copy?.from ?? '').replace(/^src/, 'dist');
      expect(copy?.to.replace(/\/$/, ''), file).toBe(parent);
    }
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  });

  it('holds every file the npm scripts run, so the operator tools work inside the image', () => {
    const copied = [
      ...dockerfile
        .split(/^FROM /m)
        .at(-1)!
        .matchAll(/^COPY (?:--from=\S+ )?(.+) \S+$/gm),
    ]
      .flatMap((m) => (m[1] as string).split(/\s+/))
      .map((source) => source.replace(/^\/app\//, ''));
    const run = Object.values(pkg.scripts).flatMap((script) =>
      [...script.matchAll(/\bnode (?:--\S+ )*([\w./-]+\.m?js)\b/g)].map((m) => m[1] as string),
    );
    expect(run).toContain('scripts/build-if-stale.mjs');
    for (const file of run.filter((f) => !f.startsWith('dist/') && !f.startsWith('bench/')))
      expect(
        copied.some((c) => file === c || file.startsWith(`${c.replace(/\/$/, '')}/`)),
        file,
      ).toBe(true);
  });

  it('runs what npm start runs, as a non-root user, with a health check, from production dependencies', () => {
    const cmd = JSON.parse(/^CMD (\[.+\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(pkg.scripts.start).toBe(cmd.join(' '));
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: Record<
      string,
      {
        command?: string[];
        environment?: Record<string, string>;
        profiles?: string[];
        image?: string;
        build?: string;
      }
    >;
  };

  it('runs Redis as BullMQ needs it, the bot and the workers from one image, the simulator on demand', () => {
    const { redis, bot, worker, simulator } = compose.services;
    expect(redis?.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(bot?.environment?.ROLE).toBe('bot');
    expect(worker?.environment?.ROLE).toBe('worker');
    expect(worker?.image).toBe(bot?.image);
    expect(bot?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(simulator?.profiles).toEqual(['sandbox']);
    expect(simulator?.command).toEqual(['node', 'dist/sandbox/simulator/main.js']);
    for (const name of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'APPROVERS',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    ]) {
      expect(Object.keys(worker?.environment ?? {}), name).toContain(name);
    }
  });

  it('sets only variables the configuration reads', () => {
    for (const name of ['bot', 'worker']) {
      for (const key of Object.keys(compose.services[name]?.environment ?? {})) {
        expect(CONFIG_VARIABLES, `${name}: ${key}`).toContain(key);
      }
    }
  });

  it('runs replicas and Sentinels in profile ha, with what an acknowledged write needs to survive a failover', () => {
    const { redis, bot, 'redis-replica': replica, sentinel } = compose.services;
    expect(replica?.profiles).toEqual(['ha']);
    expect(sentinel?.profiles).toEqual(['ha']);
    for (const node of [redis, replica]) {
      expect(flag(node?.command, '--appendonly')).toBe('yes');
      expect(flag(node?.command, '--maxmemory-policy')).toBe('noeviction');
      expect(flag(node?.command, '--min-replicas-max-lag')).toBe('10');
    }
    expect(flag(redis?.command, '--min-replicas-to-write')).toBe(MIN_REPLICAS_SETTING);
    expect(flag(replica?.command, '--min-replicas-to-write')).toBe('1');
    expect(flag(replica?.command, '--replicaof')).toBe('redis');
    expect(sentinelConf(sentinel?.command)).toContain('sentinel monitor gw redis 6379 2');
    for (const name of [
      'REDIS_SENTINELS',
      'REDIS_SENTINEL_MASTER',
      'REDIS_CLUSTER_NODES',
      'REDIS_PASSWORD',
    ]) {
      expect(Object.keys(bot?.environment ?? {}), name).toContain(name);
    }
  });

  it('gives commands that real redis-servers and Sentinels start with', async () => {
    const { redis, 'redis-replica': replica, sentinel } = compose.services;
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-compose-'));
    const servers: RedisServer[] = [];
    const start = async (name: string, lines: string[], asSentinel = false) => {
      const port = await freePort();
      const file = path.join(dir, `${name}.conf`);
      writeFileSync(
        file,
        [...lines, `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `logfile ${dir}/${name}.log`, ''].join(
          '\n',
        ),
      );
      const server = new RedisServer(port, file, { sentinel: asSentinel });
      servers.push(server);
      await server.start();
      return server;
    };
    try {
      const primary = await start('primary', confLines(redis?.command, { [MIN_REPLICAS_SETTING]: '1' }));
      const copy = await start(
        'replica',
        confLines(replica?.command, { redis: '127.0.0.1', '6379': String(primary.port) }),
      );
      await expect
        .poll(() => copy.command((c) => c.info('replication')), { timeout: 20_000 })
        .toContain('master_link_status:up');
      // The primary takes writes only while its replica is there (min-replicas-to-write 1); it
      // counts the replica once a second.
      await expect
        .poll(() => primary.command((c) => c.set('compose-check', '1')).catch((err: Error) => err.message), {
          timeout: 20_000,
        })
        .toBe('OK');
      const watcher = await start(
        'sentinel',
        sentinelConf(sentinel?.command)
          .replace('gw redis 6379', `gw 127.0.0.1 ${primary.port}`)
          .split('\n')
          .filter((line) => !line.startsWith('port ')),
        true,
      );
      await expect
        .poll(
          async () =>
            pairs(await watcher.command((c) => c.call('SENTINEL', 'MASTER', 'gw') as Promise<string[]>))[
              'num-slaves'
            ],
          {
            timeout: 20_000,
          },
        )
        .toBe('1');
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!composeCommand)('is accepted by docker compose config, with and without profile ha', () => {
    const [command, ...args] = composeCommand as [string, ...string[]];
    for (const profile of [[], ['--profile', 'ha']]) {
      execFileSync(command, [...args, '-f', 'docker-compose.yml', ...profile, 'config', '--quiet'], {
        env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-placeholder' },
      });
    }
  });
});

/** The value after a flag in a command list. */
function flag(command: string[] | undefined, name: string): string | undefined {
  const at = command?.indexOf(name) ?? -1;
  return at >= 0 ? command?.[at + 1] : undefined;
}

/** A redis-server command line as configuration-file lines, with some words replaced. */
function confLines(command: string[] | undefined, replace: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const word of (command ?? []).slice(1)) {
    if (word.startsWith('--')) lines.push(word.slice(2));
    else lines[lines.length - 1] += ` ${JSON.stringify(replace[word] ?? word)}`;
  }
  return lines;
}

/** The configuration the Sentinel service writes with printf before it starts. */
function sentinelConf(command: string[] | undefined): string {
  const script = command?.[2] ?? '';
  return (/printf '([^']*)'/.exec(script)?.[1] ?? '').replaceAll('\\n', '\n');
}

function pairs(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i] as string] = list[i + 1] as string;
  return out;
}
