/**
 * `/readyz` says what is not ready and why: each failing check's own words, "no answer within …"
 * for one that hangs, and only an error's code (a message may carry an address with its password).
 * The Slack check says whether Slack refused the token or could not be asked. A port already taken
 * stops the start naming PORT.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { serveRuntimeHttp } from '../../src/runtime/http.js';
import { slackTokenCheck } from '../../src/runtime/slack.js';
import { startFakeSlack } from '../../src/sandbox/fake-slack/server.js';
import { type ReadinessCheck, type RunningHttpServer, startHttpServer } from '../../src/server/http.js';

const servers: RunningHttpServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function readyz(readiness: ReadinessCheck[]) {
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    readiness,
    readinessTimeoutMs: 200,
    registry: new Registry(),
  });
  servers.push(server);
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/readyz', () => {
  it('names every check that is not ready, with why', async () => {
    const failing = Object.assign(new Error('connect ECONNREFUSED redis://:hunter2@10.0.0.9:6379'), {
      code: 'ECONNREFUSED',
    });
    const answer = await readyz([
      { name: 'fine', check: async () => true, why: () => 'never said' },
      { name: 'no', check: async () => false, why: () => 'the thing is off' },
      { name: 'hangs', check: () => new Promise<boolean>(() => {}), why: () => 'the store is slow' },
      { name: 'throws', check: () => Promise.reject(failing), why: () => 'the store is unreachable' },
    ]);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      ready: false,
      checks: { fine: true, no: false, hangs: false, throws: false },
      notReady: {
        no: 'the thing is off',
        hangs: 'the store is slow (no answer within 200 ms)',
        throws: 'the store is unreachable (ECONNREFUSED)',
      },
    });
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
  });

  it('says nothing of reasons when everything is ready', async () => {
    const answer = await readyz([{ name: 'fine', check: async () => true, why: () => 'never said' }]);
    expect(answer).toEqual({ status: 200, body: { ready: true, checks: { fine: true } } });
  });
});

describe('the Slack token check', () => {
  it('tells a refused token from one not yet checked, and from a Slack it could not reach', async () => {
    const slack = await startFakeSlack({ tokens: ['xoxb-accepted'] });
    try {
      const quiet = createLogger({ level: 'silent' });
      const refused = slackTokenCheck(
        new WebClient('xoxb-refused', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
        quiet,
      );
      expect(refused.why()).toBe('waiting for Slack to accept the bot token (auth.test)');
      refused.prove();
      await expect.poll(() => refused.why()).toContain('Slack refused the bot token (invalid_auth)');
      expect(await refused.check()).toBe(false);
      expect(refused.why()).not.toContain('xoxb');

      const unreachable = slackTokenCheck(
        new WebClient('xoxb-accepted', {
          slackApiUrl: 'http://127.0.0.1:9/api/',
          retryConfig: { retries: 0 },
          logLevel: LogLevel.ERROR,
        }),
        quiet,
      );
      unreachable.prove();
      await expect.poll(() => unreachable.why()).toMatch(/^Slack could not be asked about the bot token \(/);

      const accepted = slackTokenCheck(
        new WebClient('xoxb-accepted', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
        quiet,
      );
      accepted.prove();
      await expect.poll(() => accepted.check()).toBe(true);
    } finally {
      await slack.close();
    }
  });
});

describe('a port already taken', () => {
  it('stops the start with a message naming PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const config = loadConfig({ PORT: String(port), APPROVERS: 'U0LEAD1', LOG_LEVEL: 'silent' });
      const started = serveRuntimeHttp(config, {
        metrics: createMetrics(),
        logger: createLogger({ level: 'silent' }),
        readiness: [],
        host: '127.0.0.1',
      });
      await expect(started).rejects.toThrow(
        `PORT ${port} is already in use by another process: stop it, or set PORT to a free port (PORT=0 takes any free one)`,
      );
    } finally {
      taken.close();
    }
  });
});
