import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

function composeClient(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasCompose = composeClient();
if (!hasCompose)
  console.warn('docker compose is not installed here: docker-compose.yml is checked by parsing only');

describe('Dockerfile, on paper', () => {
  it('copies only files that exist', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(source), source).toBe(true);
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
    expect(simulator?.command).toEqual(['node', 'dist/simulator/main.js']);
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

  it.skipIf(!hasCompose)('is accepted by docker compose config', () => {
    execFileSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--quiet'], {
      env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-placeholder' },
    });
  });
});
