/**
 * The bot on a primary managed by Redis Sentinel: three Sentinels, a primary and a replica, all
 * with passwords, started here from Debian's redis-server. The whole bot runs over signed HTTP
 * (fake Slack, simulator) with REDIS_SENTINELS; the operator tools read the same Redis; and a
 * Sentinel that cannot be used stops the bot before it connects anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { connectRedis, type RedisClient, RedisUnreachableError } from '../../src/redis/index.js';
import { startRuntime } from '../../src/runtime/index.js';
import { type FakeMessage, startFakeSlack } from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import { CHANNEL, PEOPLE, useE2E } from '../support/e2e.js';
import { freePort } from '../support/private-redis.js';
import { runNode } from '../support/processes.js';
import { type SentinelGroup, startSentinelGroup } from '../support/redis-servers.js';

const PREFIX = '{gw-sentinel}';
const PASSWORD = 'sentinel-test-data-password';
const SENTINEL_PASSWORD = 'sentinel-test-own-password';
let group: SentinelGroup;
let env: Record<string, string>;

// The Sentinel group is up before the bot starts, and stopped after the bot is closed.
beforeAll(async () => {
  group = await startSentinelGroup({ replicas: 1, password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
  env = {
    REDIS_SENTINELS: group.sentinelList,
    REDIS_SENTINEL_MASTER: group.master,
    REDIS_PASSWORD: PASSWORD,
    REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
    REDIS_PREFIX: PREFIX,
  };
}, 60_000);
afterAll(async () => {
  await group?.close();
});
const e = useE2E({ prefix: PREFIX }, () => ({ env }));

function threadOf(request: ResourceRequest): FakeMessage[] {
  return e.slack.thread(CHANNEL, request.messageTs ?? '');
}

describe('Redis Sentinel', () => {
  it('carries a customer gateway from /gateway customer through approval to an announced result', async () => {
    const modal = await e.openModal(PEOPLE.requester, 'customer');
    const answer = await e.submit(PEOPLE.requester, modal, {
      RegionId: { option: 'cn-shanghai' },
      IpAddress: '47.61.0.1',
      Name: 'sentinel-office',
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const [latest] = await e.bot.store.recentInChannel(CHANNEL, 1);
    const request = await e.requestMessage(latest?.id as string);
    expect((await e.click(PEOPLE.lead1, ACTION_IDS.approve, request)).status).toBe(200);
    const done = await e.waitForState(request.id, ['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    const result = await e.slack.waitFor(() => threadOf(request).find((m) => m.reply_broadcast));
    expect(result.text).toContain(done.cloud.resourceId as string);
    expect(threadOf(request).filter((m) => m.reply_broadcast)).toHaveLength(1);
    expect(e.sim.state().customerGateways.filter((g) => g.ClientToken === request.id)).toHaveLength(1);

    // The record lives on the primary Sentinel names, and its replica has it too.
    const primary = await group.primary();
    const replica = group.nodes.find((n) => n !== primary);
    for (const node of [primary, replica]) {
      const data = await node?.command((c) => c.hget(`${PREFIX}:req:${request.id}`, 'data'));
      expect(JSON.parse(data ?? '{}').state, node?.address).toBe('succeeded');
    }

    // The operator tools read the same Redis through the Sentinels.
    const audit = runNode('src/tools/audit.ts', env, [request.id]);
    const { code } = await audit.exited;
    expect(audit.output()).toContain('pending_approval → approved');
    expect(audit.output()).toContain('→ succeeded');
    expect(code).toBe(0);
  });

  it('connects through any Sentinel, and only to the primary, with the passwords', async () => {
    const client: RedisClient = connectRedis(loadConfig(env).redis, { maxRetriesPerRequest: 1 });
    try {
      const role = (await client.call('ROLE')) as unknown[];
      expect(role[0]).toBe('master');
      const info = await client.info('server');
      expect(info).toContain(`tcp_port:${(await group.primary()).port}`);
    } finally {
      client.disconnect();
    }
  });

  it('refuses to start when a Sentinel does not answer, does not know the primary or wants a password, listing each, before connecting anywhere', async () => {
    const [deadA, deadB] = [await freePort(), await freePort()];
    const slack = await startFakeSlack({ tokens: ['xoxb-sentinel-refused'] });
    try {
      const config = loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-sentinel-refused',
        SLACK_SIGNING_SECRET: 'refused-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        APPROVERS: PEOPLE.lead1,
        VPC_SANDBOX: 'true',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ...env,
        REDIS_SENTINELS: `${group.sentinelList},127.0.0.1:${deadA},127.0.0.1:${deadB}`,
      });
      const refused = await startRuntime(config).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(RedisUnreachableError);
      const problems = (refused as RedisUnreachableError).problems;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toContain(`127.0.0.1:${deadA} is unreachable`);
      expect(problems[1]).toContain(`127.0.0.1:${deadB} is unreachable`);
      expect(slack.callsTo('auth.test')).toHaveLength(0);

      const wrongName = await startRuntime({
        ...config,
        redis: loadConfig({ ...env, REDIS_SENTINEL_MASTER: 'no-such-primary' }).redis,
      }).then(
        () => undefined,
        (err: unknown) => err as RedisUnreachableError,
      );
      expect(wrongName?.problems).toHaveLength(3);
      for (const p of wrongName?.problems ?? [])
        expect(p).toContain('monitors no primary named "no-such-primary"');

      const { REDIS_SENTINEL_PASSWORD: _, ...withoutPassword } = env;
      const noPassword = await startRuntime({ ...config, redis: loadConfig(withoutPassword).redis }).then(
        () => undefined,
        (err: unknown) => err as RedisUnreachableError,
      );
      expect(noPassword?.problems).toHaveLength(3);
      for (const p of noPassword?.problems ?? [])
        expect(p).toMatch(/wrong or missing password \(REDIS_SENTINEL_PASSWORD\): NOAUTH/);
      expect(slack.callsTo('auth.test')).toHaveLength(0);
    } finally {
      await slack.close();
    }
  });
});
