/**
 * The local playground: with no Slack token, the bot runs against the fake Slack Web API and a web
 * page stands in for the Slack client. The page's actions reach this relay, which does what Slack
 * does — issues trigger ids, signs each command, option load, submission and click, and posts it to
 * the bot's `/slack/events` — and the bot's Web API calls land in the fake Slack, whose events are
 * pushed to the page. The bot cannot tell the difference.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Config, PLAYGROUND_APPROVERS } from '../config/index.js';
import {
  type FakeSlack,
  interactionBody,
  postToApp,
  slashCommandBody,
  startFakeSlack,
} from '../fake-slack/index.js';
import type { Logger } from '../observability/logger.js';
import type { RouteHandler } from '../server/http.js';
import { createClientAssets } from './assets.js';
import { PLAYGROUND_PAGE } from './page.js';

export const PLAYGROUND_CHANNEL = { id: 'C0NETOPS01', name: 'net-ops' };
export const PLAYGROUND_TOKEN = 'xoxb-playground-local';
export const PLAYGROUND_USERS = [
  { id: 'U0ASKER001', name: 'ana', real_name: 'Ana Chen (network engineer)', locale: 'en-US' },
  { id: PLAYGROUND_APPROVERS[0], name: 'lee', real_name: 'Lee Wong (team lead)', locale: 'en-US' },
  { id: PLAYGROUND_APPROVERS[1], name: 'lin', real_name: '林伟 (team lead)', locale: 'zh-CN' },
  { id: 'U0GUEST001', name: 'sam', real_name: 'Sam Park (not an approver)', locale: 'en-US' },
];

export interface Playground {
  slack: FakeSlack;
  /** The configuration the bot runs with: the fake Slack's URL and token, a local signing secret. */
  config: Config;
  routes: RouteHandler;
  /** Set once the bot's HTTP server is listening. */
  attach(botUrl: string): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
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
  };
  let eventsUrl = '';
  const clients = new Set<ServerResponse>();
  const push = (type: string, data: unknown) => {
    const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(frame);
  };
  slack.on('message', (m) => push('message', m));
  slack.on('update', (m) => push('update', m));
  slack.on('ephemeral', (m) => push('ephemeral', m));
  slack.on('view', (v) => push('view', v));

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
  const slash = base.slashCommand;
  const routes: RouteHandler = async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/' || path === '/playground')) {
      send(res, 200, PLAYGROUND_PAGE, 'text/html; charset=utf-8');
      return true;
    }
    if (req.method === 'GET' && (await serveClientModule(path, res))) return true;
    if (req.method === 'GET' && path === '/playground/state') {
      send(res, 200, {
        ...slack.workspace.toJSON(),
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
      const { user, text } = (await readJson(req)) as { user: string; text: string };
      const [command = '', ...rest] = String(text).trim().split(/\s+/);
      // Slack itself answers a command no app registered; the bot would never see it.
      if (command !== slash) {
        send(res, 200, {
          status: 200,
          body: {
            text:
              `This playground only knows ${slash}: ` +
              `try ${slash} help, ${slash} vpn or ${slash} customer.`,
          },
        });
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
    if (req.method === 'POST' && path === '/playground/interaction') {
      const { user, payload } = (await readJson(req)) as { user: string; payload: Record<string, unknown> };
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
    attach(botUrl: string) {
      eventsUrl = `${botUrl}/slack/events`;
    },
    async close() {
      for (const client of clients) client.end();
      await slack.close();
    },
  };
}
