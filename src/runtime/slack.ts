/**
 * The runtime's Slack clients: the Web API client of the bot token (user groups, auth.test), the
 * notifier's client (no retries of its own: the notification queue retries, honouring
 * Retry-After) and the Slack surface of bot processes.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { VpcClient } from '../cloud/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { ReadinessCheck } from '../server/http.js';
import { createSlackSurface, type SlackSurface } from '../slack/app.js';
import { SlackNotifier } from '../slack/notifier.js';
import { createOptionsLoader } from '../slack/options/index.js';
import type { RenderContext } from '../slack/render.js';
import { renderUndeliverable } from '../slack/render.js';
import type { WorkflowSystem } from '../workflow/system.js';
import { withdrawRequest } from '../workflow/transitions.js';

export interface SlackClient {
  botToken: string;
  /** The options every Web API client of the bot is made with. */
  options: WebClientOptions;
  web: WebClient;
}

/** What a channel message is rendered with, less the time. */
export type ChannelRenderContext = () => Omit<RenderContext, 'now'>;

export function slackClient(config: Config, overrides: WebClientOptions | undefined): SlackClient {
  const options: WebClientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    ...overrides,
  };
  const botToken = config.slack.botToken;
  if (!botToken) throw new Error('The Slack surface needs SLACK_BOT_TOKEN (the playground supplies one)');
  return { botToken, options, web: new WebClient(botToken, options) };
}

/**
 * The worker's notifier. A channel the bot cannot post in withdraws the request, and the requester
 * is told directly.
 */
export function slackNotifier(
  slack: SlackClient,
  store: WorkflowSystem['store'],
  context: ChannelRenderContext,
  logger: Logger,
): SlackNotifier {
  // Slack errors are retried by the queue, which honours Retry-After: the client must not retry too.
  const client = new WebClient(slack.botToken, {
    ...slack.options,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return new SlackNotifier({
    client,
    context,
    onChannelUnusable: async (request, slackError) => {
      const withdrawn = await store.update(request.id, 'system:notifier', 'withdrawn', (current) =>
        withdrawRequest(current, slackError, Date.now()),
      );
      logger.warn(
        { requestId: request.id, channel: request.channelId, slackError },
        'request message could not be posted; request withdrawn',
      );
      if (!withdrawn.ok) return;
      const message = renderUndeliverable(request, slackError);
      await client.chat
        .postMessage({ channel: request.requester.userId, text: message.text, blocks: message.blocks })
        .catch((err: unknown) =>
          logger.warn(
            { requestId: request.id, err: { message: (err as Error).message } },
            'could not tell the requester either',
          ),
        );
    },
  });
}

export interface SurfaceDeps {
  slack: SlackClient;
  workflow: WorkflowSystem['workflow'];
  /** The pick-lists' VPC client of an account. */
  pickListIn: (account: string) => VpcClient;
  renderContext: ChannelRenderContext;
  /** Whether secret parameters (a pre-shared key) can be sealed: the modals offer them only then. */
  secretsAvailable: boolean;
  logger: Logger;
  /** Web API client options the runtime was given (tests: a short retry policy). */
  clientOptions?: WebClientOptions;
  /** Slack said a user group changed: drop its kept members in every bot process. */
  onUsergroupChanged?: (usergroup: string) => Promise<void>;
}

/** The Slack surface of a bot process, in the mode configured (HTTP behind the gate, or Socket Mode). */
export function slackSurface(config: Config, d: SurfaceDeps): SlackSurface {
  return createSlackSurface({
    botToken: d.slack.botToken,
    ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
    ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    slashCommand: config.slashCommand,
    defaultLocale: config.locale,
    workflow: d.workflow,
    options: createOptionsLoader(d.pickListIn, { resourceOptions: config.resources }),
    accounts: config.accounts,
    modal: {
      sandbox: config.cloud.mode === 'sandbox',
      resources: { ...config.resources, secretsAvailable: d.secretsAvailable },
    },
    renderContext: d.renderContext,
    logger: d.logger,
    ...(d.clientOptions ? { clientOptions: d.clientOptions } : {}),
    ...(d.onUsergroupChanged ? { onUsergroupChanged: d.onUsergroupChanged } : {}),
  });
}

/** auth.test proves the token: readiness waits for it, start-up does not. */
export function slackTokenCheck(web: WebClient, logger: Logger): ReadinessCheck & { prove(): void } {
  let authenticated = false;
  let failure: { refused: boolean; code: string } | undefined;
  return {
    name: 'slack',
    check: async () => authenticated,
    why: () => {
      if (!failure) return 'waiting for Slack to accept the bot token (auth.test)';
      return failure.refused
        ? `Slack refused the bot token (${failure.code}): check SLACK_BOT_TOKEN, then restart`
        : `Slack could not be asked about the bot token (${failure.code}): check SLACK_API_URL and the network, then restart`;
    },
    prove() {
      web.auth
        .test()
        .then(() => {
          authenticated = true;
        })
        .catch((err: unknown) => {
          // Slack's error code (`invalid_auth`), or the network's (`ECONNREFUSED`): never the token.
          const data = (err as { data?: { error?: unknown } }).data?.error;
          const code = (err as { code?: unknown }).code;
          failure =
            typeof data === 'string'
              ? { refused: true, code: data }
              : { refused: false, code: typeof code === 'string' ? code : 'no answer' };
          logger.error({ err: { message: (err as Error).message } }, 'Slack refused the bot token');
        });
    },
  };
}
