/**
 * The Slack surface: a Bolt app that turns `/gateway`, modal submissions, option loads and button
 * clicks into calls on the workflow. Every request is acknowledged at once (Slack allows 3 s);
 * anything slow runs after the ack. Transport (HTTP receiver or Socket Mode) is chosen here and
 * kept apart from the handlers, which know nothing of how requests arrived. What only one person
 * sees (modals, field errors, ephemeral answers, refusals) speaks that person's Slack language.
 */
import { App, LogLevel, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { WebClient } from '@slack/web-api';
import { type Locale, messages, type Text } from '../i18n/index.js';
import type { Logger } from '../observability/logger.js';
import { controllingParams, findResource, resourceByCallbackId, resources } from '../resources/index.js';
import { hiddenCharacter } from '../text/hidden-characters.js';
import { inertInline } from '../text/mrkdwn.js';
import type { ActionResult, ClickOrigin, Workflow } from '../workflow/service.js';
import { singleTokenAuthorize } from './authorize.js';
import {
  deleteAnswer,
  helpAnswer,
  listAnswer,
  missingDeleteIdAnswer,
  missingIdAnswer,
  parseCommand,
  statusAnswer,
} from './commands.js';
import { dispatchTo } from './dispatch.js';
import type { GatedListener } from './gate.js';
import { GatedReceiver } from './gated-receiver.js';
import { ACTION_IDS, REJECT_REASON_BLOCK_ID, REJECT_REASON_CALLBACK_ID } from './ids.js';
import { REJECT_REASON_MAX_LENGTH } from './limits.js';
import { metadataSigner } from './metadata.js';
import {
  buildRejectModal,
  buildResourceModal,
  type ModalOptions,
  parseModalMetadata,
  parseRejectMetadata,
} from './modals.js';
import type { OptionsLoader } from './options.js';
import { privateAnswerPoster } from './private-answer.js';
import type { RenderContext } from './render.js';
import { UserLocales } from './user-locale.js';
import { readViewValues, type ViewStateValues } from './view-state.js';

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
  modal: Omit<ModalOptions, 'channelId' | 'locale' | 'signer'>;
  renderContext: () => Omit<RenderContext, 'now'>;
  logger: Logger;
  /** Web API client options for every call the app makes (tests shorten the retry policy). */
  clientOptions?: WebClientOptions;
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

function boltLogger(logger: Logger) {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** How long a click may take to be written before Slack is answered (Slack allows 3 s in all). */
const ACK_BUDGET_MS = 2_500;

export function createSlackSurface(o: SlackSurfaceOptions): SlackSurface {
  const logger = o.logger.child({ component: 'slack' });
  const clientOptions: WebClientOptions = {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    ...o.clientOptions,
  };
  let receiver: Receiver;
  let gatedReceiver: GatedReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  if (o.appToken) {
    socketReceiver = new SocketModeReceiver({
      appToken: o.appToken,
      logger: boltLogger(o.logger),
      installerOptions: { clientOptions },
    });
    receiver = socketReceiver;
  } else {
    if (!o.signingSecret) throw new Error('HTTP mode needs a signing secret');
    // Slack needs an answer within 3 s: the receiver acks first and the handlers work after.
    gatedReceiver = new GatedReceiver(boltLogger(o.logger));
    receiver = gatedReceiver;
  }
  // The app's own calls (not a listener's `client`) go through this client, which holds the token.
  const web = new WebClient(o.botToken, { ...clientOptions, logger: boltLogger(o.logger) });
  const app = new App({
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
  const locales = new UserLocales(web, o.defaultLocale);
  const privateAnswers = privateAnswerPoster({
    token: o.botToken,
    ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}),
    client: web,
  });
  const { workflow } = o;
  const ctx = (): RenderContext => ({ ...o.renderContext(), now: Date.now() });
  // Modal metadata is signed with a key derived from the bot token: configuration every mode has.
  const signer = metadataSigner(o.botToken);
  const modal = (channelId: string, locale: Locale): ModalOptions => ({
    ...o.modal,
    channelId,
    locale,
    signer,
  });

  const on = dispatchTo(app);

  app.command(o.slashCommand, async ({ command, ack, client }) => {
    const parsed = parseCommand(command.text ?? '');
    if (parsed.kind === 'open') {
      // The trigger id dies 3 s after the keystroke: ack, then open the modal straight away.
      await ack();
      const locale = await locales.of(command.user_id);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildResourceModal(parsed.resource, modal(command.channel_id, locale)),
      });
      return;
    }
    const locale = await locales.of(command.user_id);
    if (parsed.kind === 'help') return ack(helpAnswer(o.slashCommand, locale, ctx().sandbox, parsed.unknown));
    if (parsed.kind === 'status_missing_id') return ack(missingIdAnswer(o.slashCommand, locale));
    if (parsed.kind === 'delete_missing_id') return ack(missingDeleteIdAnswer(o.slashCommand, locale));
    if (parsed.kind === 'delete') {
      // Finding the resource may ask every region: answer Slack now, and the outcome privately after.
      await ack(deleteAnswer(messages(locale).command.lookingFor({ typed: inertInline(parsed.id, 80) })));
      const result = await workflow.submitDelete({
        resourceId: parsed.id,
        requester: { userId: command.user_id, name: command.user_name },
        channelId: command.channel_id,
        locale,
        requestIdSeed: command.trigger_id,
      });
      logger.info(
        { requestId: result.ok ? result.request.id : undefined, user: command.user_id, ok: result.ok },
        'deletion asked for',
      );
      await tellOnly(
        command.channel_id,
        command.user_id,
        result.ok ? (l) => messages(l).command.deletionPosted({ id: result.request.id }) : result.message,
      );
      return;
    }
    if (parsed.kind === 'status') {
      const found = await workflow.find(parsed.id);
      const visible = found && (await workflow.visibleTo(found, command.user_id, command.channel_id));
      return ack(statusAnswer(parsed.id, visible ? found : undefined, o.slashCommand, locale, ctx()));
    }
    const { requests, total } = await workflow.recent(command.channel_id);
    return ack(listAnswer(requests, total, o.slashCommand, locale));
  });

  for (const resource of resources()) {
    on.view(resource.callbackId, async ({ ack, body, view }) => {
      const meta = parseModalMetadata(view.private_metadata, signer);
      const locale = meta?.locale ?? (await locales.of(body.user.id));
      if (!meta) {
        await ack({
          response_action: 'errors',
          errors: {
            RegionId: messages(locale).modal.stale,
          },
        });
        return;
      }
      const values = readViewValues(view.state.values as ViewStateValues);
      // Recorded before the answer: once Slack closes the modal, the request exists.
      const result = await workflow.submit({
        resource: resource.type,
        values,
        requester: { userId: body.user.id, name: body.user.name },
        channelId: meta.channelId,
        locale,
        // A retried delivery of the same submission lands on the same request.
        requestIdSeed: view.id,
      });
      if (!result.ok) {
        const errors = Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, v[locale]]));
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack();
      logger.info(
        { requestId: result.request.id, resource: resource.type, duplicate: result.duplicate },
        'request submitted',
      );
    });
  }

  // Inputs that decide what another shows (billing → Period, region → second vSwitch, network type
  // → bandwidths) dispatch an action; the modal is re-rendered from its declaration. One handler
  // per input name, whichever modals have it: Slack's answer can be acknowledged only once.
  const controlling = new Set(resources().flatMap((r) => [...controllingParams(r)]));
  for (const name of controlling) {
    on.action(name, async ({ ack, body, client }) => {
      await ack();
      const view = 'view' in body ? body.view : undefined;
      const resource = view ? resourceByCallbackId(view.callback_id) : undefined;
      if (!view || !resource || !controllingParams(resource).has(name)) return;
      const meta = parseModalMetadata(view.private_metadata, signer);
      if (!meta) return;
      const values = readViewValues(view.state.values as ViewStateValues);
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: buildResourceModal(resource, modal(meta.channelId, meta.locale), values),
      });
    });
  }

  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack, body }) => {
    const locale = await locales.of(body.user.id);
    const resource = resourceByCallbackId(body.view?.callback_id ?? '');
    const param = resource?.params.find((p) => p.name === body.action_id);
    if (!param?.source) {
      await ack({ options: [] });
      return;
    }
    const options = await o.options.load({
      param: param.name,
      source: param.source,
      typed: body.value ?? '',
      state: body.view?.state?.values as ViewStateValues,
      locale,
    });
    await ack({ options });
  });

  /** An ephemeral answer in the language of the one person who sees it. */
  async function tellOnly(channel: string, user: string, message: Text | ((locale: Locale) => string)) {
    const locale = await locales.of(user);
    await privateAnswers.post({
      channel,
      user,
      text: typeof message === 'function' ? message(locale) : message[locale],
    });
  }

  function originOf(body: { channel?: { id?: string }; message?: { ts?: string } }): ClickOrigin {
    return {
      ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
    };
  }

  /**
   * Approve and Cancel change the request before Slack is answered, so an acknowledged click is
   * never lost to a crash right after the answer. The write is one Redis round trip (and, for an
   * approver found only in a user group, one cached Slack lookup), far inside Slack's 3 s; should
   * it take longer than ACK_BUDGET_MS, Slack is not answered and shows the person an error, so
   * they know to look (the click may still take effect, and a second one is harmless).
   */
  async function decideThenAck(
    what: string,
    ack: () => Promise<void>,
    body: { user: { id: string }; channel?: { id?: string }; message?: { ts?: string } },
    requestId: string,
    decide: () => Promise<ActionResult>,
  ): Promise<void> {
    const work = decide();
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ACK_BUDGET_MS);
    });
    const first = await Promise.race([work, budget]);
    clearTimeout(timer);
    if (first !== 'late') await ack();
    else logger.warn({ requestId, user: body.user.id }, `${what}: not answered within the budget`);
    const result = await work;
    if (!result.ok && body.channel?.id) {
      // Requests already waiting are answered first: a private answer has no 3 s deadline.
      await new Promise((resolve) => setImmediate(resolve));
      await tellOnly(body.channel.id, body.user.id, result.refusal.message);
    }
    logger.info(
      { requestId, user: body.user.id, ok: result.ok, refusal: result.ok ? undefined : result.refusal.code },
      `${what} clicked`,
    );
  }

  on.action(ACTION_IDS.approve, async ({ ack, body, action }) => {
    const requestId = 'value' in action ? String(action.value) : '';
    const who = { userId: body.user.id, name: body.user.name };
    await decideThenAck('approve', ack, body, requestId, () =>
      workflow.approve(requestId, who, originOf(body)),
    );
  });

  on.action(ACTION_IDS.cancel, async ({ ack, body, action }) => {
    const requestId = 'value' in action ? String(action.value) : '';
    const who = { userId: body.user.id, name: body.user.name };
    await decideThenAck('cancel', ack, body, requestId, () =>
      workflow.cancel(requestId, who, originOf(body)),
    );
  });

  on.action(ACTION_IDS.reject, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = 'value' in action ? String(action.value) : '';
    const channelId = body.channel?.id ?? '';
    // Refuse before asking for a reason: an outsider should not fill a form to be told no.
    const check = await workflow.checkCanReject(requestId, body.user.id, originOf(body));
    if (!check.ok || !check.request) {
      if (channelId && !check.ok) await tellOnly(channelId, body.user.id, check.refusal.message);
      return;
    }
    const locale = await locales.of(body.user.id);
    await client.views.open({
      trigger_id: 'trigger_id' in body ? String(body.trigger_id) : '',
      // The channel is the request's own, whatever the click claimed.
      view: buildRejectModal({ requestId, channelId: check.request.channelId, locale }, signer),
    });
  });

  on.view(REJECT_REASON_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = parseRejectMetadata(view.private_metadata, signer);
    const values = readViewValues(view.state.values as ViewStateValues);
    const reason = String(values[REJECT_REASON_BLOCK_ID] ?? '').trim();
    const locale = meta?.locale ?? (await locales.of(body.user.id));
    const m = messages(locale);
    const refuse = (error: string) =>
      ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK_ID]: error } });
    const problem = (what: string) => refuse(m.field.problem({ label: m.modal.reason, problem: what }));
    if (!meta) return refuse(m.modal.rejectStale);
    const length = [...reason].length;
    if (length < 3) return problem(m.modal.reasonTooShort);
    const hidden = hiddenCharacter(reason, true);
    if (hidden) return problem(m.field.hidden({ character: hidden }));
    if (length > REJECT_REASON_MAX_LENGTH)
      return problem(m.field.length({ length, range: `3–${REJECT_REASON_MAX_LENGTH}` }));
    const result = await workflow.reject(
      meta.requestId,
      { userId: body.user.id, name: body.user.name },
      reason,
    );
    if (!result.ok) {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_REASON_BLOCK_ID]: result.refusal.message[locale] },
      });
      return;
    }
    await ack();
  });

  // Calls that carry a secret go through a client that logs nothing, at any log level: the Web API
  // client logs request bodies at debug level, and a key must never reach a log line.
  const quietClient = new WebClient(o.botToken, {
    ...clientOptions,
    logger: { ...boltLogger(o.logger), debug: () => {}, info: () => {} },
  });

  on.action(ACTION_IDS.revealPsk, async ({ ack, body, action }) => {
    await ack();
    const requestId = 'value' in action ? String(action.value) : '';
    const channel = body.channel?.id ?? '';
    const who = { userId: body.user.id, name: body.user.name };
    const locale = await locales.of(body.user.id);
    const result = await workflow.reveal(requestId, who, locale, originOf(body));
    logger.info(
      { requestId, user: body.user.id, ok: result.ok, refusal: result.ok ? undefined : result.refusal.code },
      'pre-shared key asked for',
    );
    if (!channel) return;
    if (!result.ok) {
      await tellOnly(channel, body.user.id, result.refusal.message);
      return;
    }
    const m = messages(locale);
    const head = m.command.presharedKey({ target: result.request.cloud.resourceId ?? '' });
    const lines = result.secrets.map((s) => m.pair({ label: s.label, value: s.value }));
    await quietClient.chat.postEphemeral({
      channel,
      user: body.user.id,
      ...(body.message?.thread_ts ? { thread_ts: body.message.thread_ts } : {}),
      text: head,
      // Plain text: a key may hold any punctuation, and is shown exactly as the device needs it.
      blocks: [head, ...lines].map((line) => ({
        type: 'section' as const,
        text: { type: 'plain_text' as const, text: line, emoji: false },
      })),
    });
  });

  on.action(ACTION_IDS.connect, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = 'value' in action ? String(action.value) : '';
    const channel = body.channel?.id ?? '';
    const request = await workflow.store.get(requestId);
    const follow = request ? findResource(request.resource)?.followUp : undefined;
    const target = follow ? findResource(follow.resource) : undefined;
    const visible = request && (await workflow.visibleTo(request, body.user.id, channel));
    if (
      !request ||
      !visible ||
      request.state !== 'succeeded' ||
      !follow ||
      !target ||
      !request.cloud.resourceId
    ) {
      if (channel)
        await tellOnly(channel, body.user.id, (locale) => messages(locale).command.nothingToConnect);
      return;
    }
    const locale = await locales.of(body.user.id);
    const values = follow.values(request.cloud.resourceId, request.params, o.modal.resources);
    await client.views.open({
      trigger_id: 'trigger_id' in body ? String(body.trigger_id) : '',
      view: buildResourceModal(target, modal(request.channelId, locale), values),
    });
  });

  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack handler');
  });

  return {
    app,
    ...(gatedReceiver ? { requestListener: gatedReceiver.handle.bind(gatedReceiver) } : {}),
    async start() {
      if (socketReceiver) await socketReceiver.start();
    },
    async stop() {
      if (socketReceiver) await socketReceiver.stop();
      await privateAnswers.close();
    },
  };
}
