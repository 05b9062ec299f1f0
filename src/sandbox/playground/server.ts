/**
 * The local playground: with no Slack token, the bot runs against the fake Slack Web API and a web
 * page stands in for the Slack client. The page's actions reach this relay, which does what Slack
 * does — issues trigger ids, signs each command, option load, submission and click, and posts it to
 * the bot's `/slack/events` — and the bot's Web API calls land in the fake Slack, whose events are
 * pushed to the page. The bot cannot tell the difference.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type Account, type Config, DEFAULT_ACCOUNT } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import type { RouteHandler } from '../../server/http.js';
import {
  type FakeSlack,
  interactionBody,
  postToApp,
  slashCommandBody,
  startFakeSlack,
} from '../fake-slack/index.js';
import type { RunningSimulator } from '../simulator/index.js';
import { createClientAssets } from './assets.js';
import { readJson, send } from './http.js';
import { PLAYGROUND_PAGE } from './page.js';
import { createSandboxRoutes } from './sandbox.js';

export const PLAYGROUND_CHANNEL = { id: 'C0NETOPS01', name: 'net-ops' };
/** The two team leads, who approve unless APPROVERS or APPROVER_USERGROUP names others. */
export const PLAYGROUND_APPROVERS = ['U0LEAD0001', 'U0LEAD0002'] as const;
export const PLAYGROUND_TOKEN = 'xoxb-playground-local';
export const PLAYGROUND_USERS = [
  { id: 'U0ASKER001', name: 'ana', real_name: 'Ana Chen', locale: 'en-US' },
  { id: PLAYGROUND_APPROVERS[0], name: 'lee', real_name: 'Lee Wong', locale: 'en-US' },
  { id: PLAYGROUND_APPROVERS[1], name: 'lin', real_name: '林伟', locale: 'zh-CN' },
  { id: 'U0GUEST001', name: 'sam', real_name: 'Sam Park', locale: 'en-US' },
];
/** What each person is in the story, named by the page in its own language (client/words.ts). */
export const PLAYGROUND_ROLES: Record<string, 'engineer' | 'lead' | 'guest'> = {
  U0ASKER001: 'engineer',
  [PLAYGROUND_APPROVERS[0]]: 'lead',
  [PLAYGROUND_APPROVERS[1]]: 'lead',
  U0GUEST001: 'guest',
};

/**
 * The accounts of the sandbox, unless an accounts file names others: production and staging, both
 * for the playground's channel, so that a newcomer sees the form ask which (each is an account of
 * its own in the simulator).
 */
export const PLAYGROUND_ACCOUNTS: readonly Account[] = [
  {
    name: 'production',
    label: { en: 'Production', 'zh-CN': '生产' },
    channels: [PLAYGROUND_CHANNEL.id],
    credentials: { kind: 'environment' },
  },
  {
    name: 'staging',
    label: { en: 'Staging', 'zh-CN': '预发' },
    channels: [PLAYGROUND_CHANNEL.id],
    credentials: { kind: 'environment' },
  },
];

function playgroundAccounts(base: Config): readonly Account[] {
  const fileless = base.accounts.length === 1 && base.accounts[0]?.name === DEFAULT_ACCOUNT.name;
  return base.cloud.mode === 'sandbox' && fileless ? PLAYGROUND_ACCOUNTS : base.accounts;
}

export interface Playground {
  slack: FakeSlack;
  /** The configuration the bot runs with: the fake Slack's URL and token, a local signing secret. */
  config: Config;
  routes: RouteHandler;
  /** Set once the bot's HTTP server is listening, with its VPC simulator in sandbox mode. */
  attach(botUrl: string, simulator?: RunningSimulator): void;
  close(): Promise<void>;
}

export async function startPlayground(base: Config, logger: Logger): Promise<Playground> {
  const slack = await startFakeSlack({
    tokens: [PLAYGROUND_TOKEN],
    workspace: { users: PLAYGROUND_USERS, channels: [PLAYGROUND_CHANNEL] },
  });
  const signingSecret = randomBytes(16).toString('hex');
  const config: Config = {
    ...base,
    slack: { mode: 'http', botToken: PLAYGROUND_TOKEN, signingSecret, apiUrl: slack.apiUrl },
    approval:
      base.approval.approvers.length === 0 && base.approval.usergroup === undefined
        ? { ...base.approval, approvers: [...PLAYGROUND_APPROVERS] }
        : base.approval,
    accounts: playgroundAccounts(base),
    // The bot runs as an HTTP app behind the playground: it gets the key of this start to seal
    // secret parameters and derive a key rotation's keys, unless one is configured.
    secretsKey: base.secretsKey ?? randomBytes(32).toString('base64'),
  };
  let eventsUrl = '';
  let simulator: RunningSimulator | undefined;
  const clients = new Set<ServerResponse>();
  const push = (type: string, data: unknown) => {
    const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(frame);
  };
  // The playground has one channel: a direct message from the bot is shown there to its person alone.
  slack.on('message', (m) => {
    const user = slack.workspace.directMessageUser(m.channel);
    if (!user) return push('message', m);
    push('ephemeral', {
      message_ts: m.ts,
      channel: PLAYGROUND_CHANNEL.id,
      user,
      text: m.text,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      direct: true,
    });
  });
  slack.on('update', (m) => push('update', m));
  slack.on('ephemeral', (m) => push('ephemeral', m));
  slack.on('view', (v) => push('view', v));
  slack.on('home', (v) => push('home', v));

  const team = { id: slack.workspace.team.id, domain: slack.workspace.team.domain };
  const userOf = (id: string) => ({
    id,
    username: id.toLowerCase(),
    name: id.toLowerCase(),
    team_id: team.id,
  });

  /** Completes what the page sends into a payload as Slack would build it. */
  function complete(payload: Record<string, unknown>, user: string): Record<string, unknown> {
    const full: Record<string, unknown> = {
      ...payload,
      team,
      user: userOf(user),
      api_app_id: 'A0PLAYGRND',
      token: 'playground',
    };
    if (payload.type === 'block_actions' || payload.type === 'view_submission')
      full.trigger_id = slack.issueTriggerId(user);
    if (payload.type === 'block_actions' && payload.channel)
      full.channel = { id: payload.channel, name: PLAYGROUND_CHANNEL.name };
    return full;
  }

  const serveClientModule = createClientAssets();
  const sandboxRoute = createSandboxRoutes(() => simulator);
  const slash = base.slashCommand;
  const routes: RouteHandler = async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/' || path === '/playground')) {
      send(res, 200, PLAYGROUND_PAGE, 'text/html; charset=utf-8');
      return true;
    }
    if (req.method === 'GET' && (await serveClientModule(path, res))) return true;
    if (req.method === 'GET' && path === '/playground/state') {
      // Not the ephemeral answers nor the direct messages: the page shows those as they arrive, as
      // Slack does, and no earlier one (a pre-shared key, a device configuration) needs to travel again.
      const { ephemerals: _, channels, ...workspace } = slack.workspace.toJSON();
      send(res, 200, {
        ...workspace,
        channels: channels.filter((c) => !slack.workspace.directMessageUser(c.id)),
        roles: PLAYGROUND_ROLES,
        channel: PLAYGROUND_CHANNEL,
        sandbox: config.cloud.mode === 'sandbox',
        slashCommand: slash,
      });
      return true;
    }
    if (req.method === 'GET' && path === '/playground/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return true;
    }
    if (req.method === 'POST' && path === '/playground/command') {
      const { user, text } = (await readJson(req, res)) as { user: string; text: string };
      const [command = '', ...rest] = String(text).trim().split(/\s+/);
      // Slack answers a command no app registered without asking the app; so does the page.
      if (command !== slash) {
        send(res, 400, { error: 'unknown_command', known: slash });
        return true;
      }
      const body = slashCommandBody({
        command,
        text: rest.join(' '),
        user_id: user,
        channel_id: PLAYGROUND_CHANNEL.id,
        channel_name: PLAYGROUND_CHANNEL.name,
        team_id: team.id,
        trigger_id: slack.issueTriggerId(user),
      });
      const answer = await postToApp(eventsUrl, signingSecret, body);
      send(res, 200, answer);
      return true;
    }
    if (req.method === 'POST' && path === '/playground/home') {
      // The person opened the bot's Home tab: Slack tells the bot, which publishes it.
      const { user } = (await readJson(req, res)) as { user: string };
      const delivered = await slack.openHome(String(user));
      send(res, 200, { status: delivered.status });
      return true;
    }
    if (await sandboxRoute(req, res, path)) return true;
    if (req.method === 'POST' && path === '/playground/interaction') {
      const { user, payload } = (await readJson(req, res)) as {
        user: string;
        payload: Record<string, unknown>;
      };
      const answer = await postToApp(eventsUrl, signingSecret, interactionBody(complete(payload, user)));
      send(res, 200, answer);
      return true;
    }
    return false;
  };

  logger.info(
    { users: PLAYGROUND_USERS.map((u) => u.real_name) },
    'playground: no SLACK_BOT_TOKEN, so a local Slack stands in',
  );
  return {
    slack,
    config,
    routes,
    attach(botUrl: string, sim?: RunningSimulator) {
      eventsUrl = `${botUrl}/slack/events`;
      // The events the bot subscribes to (a Home tab opened) go where Slack would send them.
      slack.deliverEventsTo(eventsUrl, signingSecret);
      simulator = sim;
    },
    async close() {
      for (const client of clients) client.end();
      await slack.close();
    },
  };
}
