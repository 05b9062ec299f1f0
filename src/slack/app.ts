/**
 * The Slack surface: a Bolt app that turns `/gateway`, modal submissions, option loads and button
 * clicks into calls on the workflow. Every request is acknowledged at once (Slack allows 3 s);
 * anything slow runs after the ack. Transport (HTTP receiver or Socket Mode) is chosen here and
 * kept apart from the handlers, which know nothing of how requests arrived. What only one person
 * sees (modals, field errors, ephemeral answers, refusals) speaks that person's Slack language.
 */
import { App, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { WebClient } from '@slack/web-api';
import { type Account, accountsOf, DEFAULT_ACCOUNT } from '../config/index.js';
import type { Locale } from '../i18n/index.js';
import type { Logger } from '../observability/logger.js';
import type { Workflow } from '../workflow/service.js';
import { singleTokenAuthorize } from './authorize.js';
import { boltLogger, quietBoltLogger } from './bolt-logger.js';
import { dispatchTo } from './dispatch.js';
import type { GatedListener } from './gate.js';
import { GatedReceiver } from './gated-receiver.js';
import { HomePublisher } from './home-publisher.js';
import { listenForCommand } from './listeners/command.js';
import type { ListenerContext } from './listeners/context.js';
import { listenForDecisions } from './listeners/decisions.js';
import { listenForFollowUps } from './listeners/follow-ups.js';
import { listenForHomeOpened } from './listeners/home.js';
import {
  listenForModalChanges,
  listenForOptionLoads,
  listenForSubmissions,
} from './listeners/resource-modals.js';
import { listenForUsergroupChanges } from './listeners/usergroups.js';
import { memberChannels } from './member-channels.js';
import { metadataSigner } from './metadata.js';
import type { ModalOptions } from './modals.js';
import type { OptionsLoader } from './options/index.js';
import { type PrivateAnswerPoster, privateAnswerPoster } from './private-answer.js';
import type { RenderContext } from './render.js';
import { UserLocales } from './user-locale.js';

export interface SlackSurfaceOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  slashCommand: string;
  /** LOCALE: the channel's language, and anyone's whose Slack language the bot does not speak. */
  defaultLocale: Locale;
  workflow: Workflow;
  options: OptionsLoader;
  /**
   * The accounts, each with the channels that may use it (ACCOUNTS_FILE).
   * @defaultValue one account, `default`, for every channel
   */
  accounts?: readonly Account[];
  modal: Omit<ModalOptions, 'channelId' | 'locale' | 'signer' | 'accounts'>;
  renderContext: () => Omit<RenderContext, 'now'>;
  logger: Logger;
  /** Web API client options for every call the app makes (tests shorten the retry policy). */
  clientOptions?: WebClientOptions;
  /**
   * Slack said a user group changed (its user group events): drop its kept members everywhere.
   * @defaultValue nothing to drop
   */
  onUsergroupChanged?: (usergroup: string) => Promise<void>;
}

export interface SlackSurface {
  app: App;
  /**
   * HTTP mode only: what `gateSlackRequests` hands `/slack/events` requests to. It checks nothing
   * itself: the gate has checked the signature, the timestamp and the body's shape.
   */
  requestListener?: GatedListener;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Bolt's receiver: Socket Mode with an app token, else the gated HTTP receiver (the runtime serves it). */
function receiverFor(
  o: SlackSurfaceOptions,
  clientOptions: WebClientOptions,
): { receiver: Receiver; gated?: GatedReceiver; socket?: SocketModeReceiver } {
  if (o.appToken) {
    const socket = new SocketModeReceiver({
      appToken: o.appToken,
      // Quiet: the socket client logs every payload it receives at debug, and a click's payload
      // may hold the message it was in (a device configuration sent as a direct message).
      logger: quietBoltLogger(o.logger),
      installerOptions: { clientOptions },
    });
    return { receiver: socket, socket };
  }
  if (!o.signingSecret) throw new Error('HTTP mode needs a signing secret');
  // Slack needs an answer within 3 s: the receiver acks first and the handlers work after.
  const gated = new GatedReceiver(boltLogger(o.logger));
  return { receiver: gated, gated };
}

/** The Bolt app, authorised by the one bot token without asking Slack on every request. */
function boltApp(
  o: SlackSurfaceOptions,
  receiver: Receiver,
  clientOptions: WebClientOptions,
  web: WebClient,
  logger: Logger,
) {
  return new App({
    receiver,
    clientOptions,
    logger: boltLogger(o.logger),
    // Not `token`: with it, Bolt would call auth.test before every request (see authorize.ts).
    authorize: singleTokenAuthorize(web, o.botToken, (err) =>
      logger.warn(
        { err: { message: (err as Error).message } },
        'auth.test failed; asking again at the next request',
      ),
    ),
    // No listener keeps conversation state; Bolt's store would otherwise be read on every request.
    convoStore: false,
  });
}

/** What every listener shares, around the app's own client (which holds the token). */
function listenerContext(
  o: SlackSurfaceOptions,
  clientOptions: WebClientOptions,
  web: WebClient,
  privateAnswers: PrivateAnswerPoster,
): ListenerContext {
  const locales = new UserLocales(web, o.defaultLocale);
  // Modal metadata is signed with a key derived from the bot token: configuration every mode has.
  const signer = metadataSigner(o.botToken);
  const logger = o.logger.child({ component: 'slack' });
  const render = (): RenderContext => ({ ...o.renderContext(), now: Date.now() });
  const channels = memberChannels(web);
  const home = new HomePublisher({
    client: web,
    workflow: o.workflow,
    locales,
    render,
    slashCommand: o.slashCommand,
    logger,
    channels,
  });
  return {
    workflow: o.workflow,
    logger,
    slashCommand: o.slashCommand,
    locales,
    signer,
    modal: (channelId: string, locale: Locale): ModalOptions => ({
      ...o.modal,
      channelId,
      locale,
      signer,
      accounts: accountsOf(o.accounts ?? [DEFAULT_ACCOUNT], channelId),
    }),
    render,
    options: o.options,
    async tellOnly(channel, user, message) {
      const locale = await locales.of(user);
      await privateAnswers.post({
        channel,
        user,
        text: typeof message === 'function' ? message(locale) : message[locale],
      });
    },
    // Calls that carry a secret go through a client that logs nothing below warnings, at any log
    // level: the Web API client logs request bodies at debug level.
    quietClient: new WebClient(o.botToken, { ...clientOptions, logger: quietBoltLogger(o.logger) }),
    usergroupChanged: o.onUsergroupChanged ?? (async () => {}),
    publishHome: (userId, notice) => home.publish(userId, notice),
    channels,
  };
}

export function createSlackSurface(o: SlackSurfaceOptions): SlackSurface {
  const clientOptions: WebClientOptions = {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    ...o.clientOptions,
  };
  const { receiver, gated, socket } = receiverFor(o, clientOptions);
  // The app's own calls (not a listener's `client`) go through this client, which holds the token.
  const web = new WebClient(o.botToken, { ...clientOptions, logger: boltLogger(o.logger) });
  // The short path goes where `web` goes, with its options (private-answer.ts).
  const privateAnswers = privateAnswerPoster({ token: o.botToken, client: web, clientOptions });
  const context = listenerContext(o, clientOptions, web, privateAnswers);
  if (privateAnswers.steppedAsideFor)
    context.logger.info(
      { reason: privateAnswers.steppedAsideFor },
      'private answers go through the Web API client, not the short path',
    );
  const app = boltApp(o, receiver, clientOptions, web, context.logger);
  // One listener per kind of request, each dispatching on the action or callback id.
  const on = dispatchTo(app);
  listenForCommand(app, context);
  listenForSubmissions(on, context);
  listenForModalChanges(on, context);
  listenForOptionLoads(app, context);
  listenForDecisions(on, context);
  listenForFollowUps(on, context);
  listenForUsergroupChanges(app, context);
  listenForHomeOpened(app, context);
  app.error(async (error) => {
    context.logger.error({ err: error }, 'unhandled error in a Slack handler');
  });

  return {
    app,
    ...(gated ? { requestListener: gated.handle.bind(gated) } : {}),
    async start() {
      if (socket) await socket.start();
    },
    async stop() {
      if (socket) await socket.stop();
      await privateAnswers.close();
    },
  };
}
