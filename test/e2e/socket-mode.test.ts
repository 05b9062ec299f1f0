import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { type Runtime, startRuntime } from '../../src/runtime/index.js';
import {
  blockActionPayload,
  eventCallbackBody,
  type FakeSlack,
  startFakeSlack,
  viewSubmissionPayload,
} from '../../src/sandbox/fake-slack/index.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { REDIS_URL, testRedis } from '../support/redis.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { startSocketModeServer } from '../support/socket-mode.js';

const t = testRedis('socket');
const APP_TOKEN = 'xapp-placeholder-socket-mode';
let slack: FakeSlack;
let sim: TestSimulator;
let bot: Runtime;
let socket: Awaited<ReturnType<typeof startSocketModeServer>>;

beforeAll(async () => {
  socket = await startSocketModeServer();
  slack = await startFakeSlack({
    tokens: ['xoxb-fake-bot-token'],
    appToken: APP_TOKEN,
    socketUrl: () => socket.url,
    workspace: { usergroups: { S0LEADS: ['U0LEAD2'] } },
  });
  sim = await startTestSimulator({
    accessKeyId: 'k',
    accessKeySecret: 'socket-secret',
    provisionTimeMs: 200,
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-fake-bot-token',
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: t.prefix,
    APPROVERS: 'U0LEAD1',
    APPROVER_USERGROUP: 'S0LEADS',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'k',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'socket-secret',
    ALIBABA_CLOUD_VPC_ENDPOINT: sim.url,
    POLL_INTERVAL: '50ms',
    POLL_MAX_INTERVAL: '100ms',
  });
  bot = await startRuntime(config, {
    host: '127.0.0.1',
    logger: createLogger({ level: 'silent' }),
    slackClientOptions: { retryConfig: { retries: 0 } },
  });
  await socket.ready;
});
afterAll(async () => {
  await bot.close();
  await socket.close();
  await slack.close();
  await sim.close();
  await t.cleanup();
});

describe('Socket Mode', () => {
  it('carries one full request over the WebSocket, with health routes on PORT', async () => {
    expect(slack.calls.some((c) => c.method === 'apps.connections.open')).toBe(true);
    const command = await socket.send('slash_commands', {
      command: '/gateway',
      text: 'customer',
      user_id: 'U0ASKER',
      user_name: 'asker',
      channel_id: 'C0NETOPS',
      team_id: 'T0GATEWAY',
      trigger_id: slack.issueTriggerId('U0ASKER'),
      response_url: 'https://hooks.slack.com/commands/x',
      api_app_id: 'A0GATEWAY',
    });
    expect(command.envelope_id).toBeTruthy();
    const opened = await slack.waitFor(() => slack.callsTo('views.open')[0]);
    const view = opened.params.view as Record<string, unknown>;
    const viewId = String((opened.response.view as { id: string }).id);

    const submitted = await socket.send(
      'interactive',
      viewSubmissionPayload({
        user: 'U0ASKER',
        view,
        viewId,
        values: { RegionId: { option: 'cn-beijing' }, IpAddress: '47.60.0.1' },
      }),
    );
    expect(submitted.payload ?? {}).not.toHaveProperty('response_action');
    const [request] = await bot.store.recentInChannel('C0NETOPS', 1);
    if (!request) throw new Error('no request stored');
    const withTs = await waitForTs(request.id);

    await socket.send(
      'interactive',
      blockActionPayload({
        user: 'U0LEAD1',
        channel: 'C0NETOPS',
        messageTs: withTs.messageTs as string,
        actionId: ACTION_IDS.approve,
        value: request.id,
        triggerId: slack.issueTriggerId('U0LEAD1'),
      }),
    );
    const result = await slack.waitFor(
      () => slack.thread('C0NETOPS', withTs.messageTs as string).find((m) => m.reply_broadcast),
      20_000,
    );
    const done = await bot.store.mustGet(request.id);
    expect(done.state).toBe('succeeded');
    expect(result.text).toContain(done.cloud.resourceId as string);
    expect((await fetch(`${bot.http.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.http.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});

describe('Socket Mode user group events', () => {
  it('drops the kept members of a group Slack says changed: someone removed is refused at the next click', async () => {
    const submit = async (ip: string) => {
      const opens = slack.callsTo('views.open').length;
      const command = await socket.send('slash_commands', {
        command: '/gateway',
        text: 'customer',
        user_id: 'U0ASKER',
        user_name: 'asker',
        channel_id: 'C0NETOPS',
        team_id: 'T0GATEWAY',
        trigger_id: slack.issueTriggerId('U0ASKER'),
        response_url: 'https://hooks.slack.com/commands/x',
        api_app_id: 'A0GATEWAY',
      });
      expect(command.envelope_id).toBeTruthy();
      const opened = await slack.waitFor(() => slack.callsTo('views.open')[opens]);
      await socket.send(
        'interactive',
        viewSubmissionPayload({
          user: 'U0ASKER',
          view: opened.params.view as Record<string, unknown>,
          viewId: String((opened.response.view as { id: string }).id),
          values: { RegionId: { option: 'cn-beijing' }, IpAddress: ip },
        }),
      );
      const made = (await bot.store.recentInChannel('C0NETOPS', 10)).find((r) => r.params.IpAddress === ip);
      return waitForTs(made?.id ?? '');
    };
    const approve = async (request: Awaited<ReturnType<typeof submit>>) => {
      const byLead = async () =>
        (await bot.store.auditTrail(request.id)).filter((x) => x.actor === 'U0LEAD2');
      const before = (await byLead()).length;
      await socket.send(
        'interactive',
        blockActionPayload({
          user: 'U0LEAD2',
          channel: 'C0NETOPS',
          messageTs: request.messageTs as string,
          actionId: ACTION_IDS.approve,
          value: request.id,
          triggerId: slack.issueTriggerId('U0LEAD2'),
        }),
      );
      // An approval is written before the ack; a refusal may be recorded just after it.
      await expect.poll(async () => (await byLead()).length).toBeGreaterThan(before);
      return (await byLead()).at(-1);
    };
    const first = await submit('47.60.1.1');
    const second = await submit('47.60.1.2');
    expect(await approve(first)).toMatchObject({ to: 'approved' });
    // Removed in Slack; the event comes over the socket, as Slack sends it there.
    slack.workspace.usergroups.set('S0LEADS', []);
    const event = JSON.parse(
      eventCallbackBody({
        type: 'subteam_members_changed',
        subteam_id: 'S0LEADS',
        team_id: 'T0GATEWAY',
        date_previous_update: Math.floor(Date.now() / 1000) - 60,
        date_update: Math.floor(Date.now() / 1000),
        added_users: [],
        added_users_count: '0',
        removed_users: ['U0LEAD2'],
        removed_users_count: '1',
        event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
      }),
    ) as Record<string, unknown>;
    expect((await socket.send('events_api', event)).envelope_id).toBeTruthy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await approve(second)).toMatchObject({ refused: 'not_approver' });
  });
});

async function waitForTs(id: string) {
  for (let i = 0; i < 400; i++) {
    const r = await bot.store.get(id);
    if (r?.messageTs) return r;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('request message never posted');
}
