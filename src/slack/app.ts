/**
 * The Slack surface: a Bolt app that turns `/gateway`, modal submissions, option loads and button
 * clicks into calls on the workflow. Every request is acknowledged at once (Slack allows 3 s);
 * anything slow runs after the ack. Transport (HTTP receiver or Socket Mode) is chosen here and
 * kept apart from the handlers, which know nothing of how requests arrived.
 */
import { App, HTTPReceiver, LogLevel, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { controllingParams, getGatewaySpec } from '../gateways/index.js';
import type { Logger } from '../observability/logger.js';
import type { Workflow } from '../workflow/service.js';
import type { GatewayKind } from '../workflow/types.js';
import { helpAnswer, listAnswer, missingIdAnswer, parseCommand, statusAnswer } from './commands.js';
import { ACTION_IDS, CALLBACK_IDS, REJECT_REASON_BLOCK_ID, REJECT_REASON_CALLBACK_ID } from './ids.js';
import { REJECT_REASON_MAX_LENGTH } from './limits.js';
import {
  buildGatewayModal,
  buildRejectModal,
  type ModalOptions,
  parseModalMetadata,
  parseRejectMetadata,
} from './modals.js';
import type { OptionsLoader } from './options.js';
import type { RenderContext } from './render.js';
import { UserLocales } from './user-locale.js';
import { readViewValues, type ViewStateValues } from './view-state.js';

export interface SlackSurfaceOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  slashCommand: string;
  defaultLocale: 'en' | 'zh-CN';
  workflow: Workflow;
  options: OptionsLoader;
  modal: Omit<ModalOptions, 'channelId' | 'locale'>;
  renderContext: () => Omit<RenderContext, 'now'>;
  logger: Logger;
  /** Web API client options for every call the app makes (tests shorten the retry policy). */
  clientOptions?: WebClientOptions;
}

export interface SlackSurface {
  app: App;
  /** HTTP mode only: hand `/slack/events` requests to this. */
  requestListener?: HTTPReceiver['requestListener'];
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

export function createSlackSurface(o: SlackSurfaceOptions): SlackSurface {
  const logger = o.logger.child({ component: 'slack' });
  const clientOptions: WebClientOptions = {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    ...o.clientOptions,
  };
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | undefined;
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
    httpReceiver = new HTTPReceiver({
      signingSecret: o.signingSecret,
      endpoints: '/slack/events',
      logger: boltLogger(o.logger),
      // Slack needs an answer within 3 s; ack first and work after.
      processBeforeResponse: false,
    });
    receiver = httpReceiver;
  }
  const app = new App({
    token: o.botToken,
    receiver,
    clientOptions,
    logger: boltLogger(o.logger),
    // The runtime calls auth.test itself for readiness; do not block construction on it.
    tokenVerificationEnabled: false,
  });
  const locales = new UserLocales(app.client, o.defaultLocale);
  const { workflow } = o;
  const ctx = (): RenderContext => ({ ...o.renderContext(), now: Date.now() });

  app.command(o.slashCommand, async ({ command, ack, client }) => {
    const parsed = parseCommand(command.text ?? '');
    if (parsed.kind === 'open') {
      // The trigger id dies 3 s after the keystroke: ack, then open the modal straight away.
      await ack();
      const locale = await locales.of(command.user_id);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildGatewayModal(parsed.gateway, { ...o.modal, channelId: command.channel_id, locale }),
      });
      return;
    }
    const locale = await locales.of(command.user_id);
    if (parsed.kind === 'help') return ack(helpAnswer(o.slashCommand, locale, ctx().sandbox, parsed.unknown));
    if (parsed.kind === 'status_missing_id') return ack(missingIdAnswer(o.slashCommand, locale));
    if (parsed.kind === 'status') {
      return ack(statusAnswer(parsed.id, await workflow.find(parsed.id), locale, ctx()));
    }
    return ack(listAnswer(await workflow.recent(command.channel_id), locale));
  });

  for (const kind of Object.keys(CALLBACK_IDS) as GatewayKind[]) {
    app.view(CALLBACK_IDS[kind], async ({ ack, body, view }) => {
      const meta = parseModalMetadata(view.private_metadata);
      const locale = meta?.locale ?? (await locales.of(body.user.id));
      if (!meta) {
        await ack({
          response_action: 'errors',
          errors: {
            RegionId:
              locale === 'zh-CN'
                ? '表单已失效，请重新输入命令。'
                : 'This form is stale; run the command again.',
          },
        });
        return;
      }
      const values = readViewValues(view.state.values as ViewStateValues);
      const result = await workflow.submit({
        kind,
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
      logger.info({ requestId: result.request.id, kind, duplicate: result.duplicate }, 'request submitted');
    });
  }

  // Inputs that decide whether another applies (billing → Period, SSL-VPN → SSL connections)
  // dispatch an action; the modal is re-rendered from the declaration with the values so far.
  for (const kind of Object.keys(CALLBACK_IDS) as GatewayKind[]) {
    for (const name of controllingParams(getGatewaySpec(kind))) {
      app.action({ action_id: name, type: 'block_actions' }, async ({ ack, body, client }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view || view.callback_id !== CALLBACK_IDS[kind]) return;
        const meta = parseModalMetadata(view.private_metadata);
        if (!meta) return;
        const values = readViewValues(view.state.values as ViewStateValues);
        await client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: buildGatewayModal(
            kind,
            { ...o.modal, channelId: meta.channelId, locale: meta.locale },
            values,
          ),
        });
      });
    }
  }

  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack, body }) => {
    const locale = await locales.of(body.user.id);
    const options = await o.options.load(
      body.action_id,
      body.value ?? '',
      body.view?.state?.values as ViewStateValues,
      locale,
    );
    await ack({ options });
  });

  async function tellOnly(
    channel: string,
    user: string,
    message: { en: string; 'zh-CN': string },
    threadTs?: string,
  ) {
    const locale = await locales.of(user);
    await app.client.chat.postEphemeral({
      channel,
      user,
      text: message[locale],
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  app.action(ACTION_IDS.approve, async ({ ack, body, action }) => {
    await ack();
    const requestId = 'value' in action ? String(action.value) : '';
    const result = await workflow.approve(requestId, { userId: body.user.id, name: body.user.name });
    if (!result.ok && body.channel?.id) await tellOnly(body.channel.id, body.user.id, result.refusal.message);
    logger.info(
      { requestId, user: body.user.id, ok: result.ok, refusal: result.ok ? undefined : result.refusal.code },
      'approve clicked',
    );
  });

  app.action(ACTION_IDS.cancel, async ({ ack, body, action }) => {
    await ack();
    const requestId = 'value' in action ? String(action.value) : '';
    const result = await workflow.cancel(requestId, { userId: body.user.id, name: body.user.name });
    if (!result.ok && body.channel?.id) await tellOnly(body.channel.id, body.user.id, result.refusal.message);
    logger.info({ requestId, user: body.user.id, ok: result.ok }, 'cancel clicked');
  });

  app.action(ACTION_IDS.reject, async ({ ack, body, action, client }) => {
    await ack();
    const requestId = 'value' in action ? String(action.value) : '';
    const channelId = body.channel?.id ?? '';
    // Refuse before asking for a reason: an outsider should not fill a form to be told no.
    const check = await workflow.checkCanReject(requestId, body.user.id);
    if (!check.ok) {
      if (channelId) await tellOnly(channelId, body.user.id, check.refusal.message);
      return;
    }
    const locale = await locales.of(body.user.id);
    await client.views.open({
      trigger_id: 'trigger_id' in body ? String(body.trigger_id) : '',
      view: buildRejectModal({ requestId, channelId, locale }),
    });
  });

  app.view(REJECT_REASON_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = parseRejectMetadata(view.private_metadata);
    const values = readViewValues(view.state.values as ViewStateValues);
    const reason = String(values[REJECT_REASON_BLOCK_ID] ?? '').trim();
    const locale = meta?.locale ?? (await locales.of(body.user.id));
    if (!meta) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK_ID]: 'This form is stale.' } });
      return;
    }
    if (reason.length < 3) {
      await ack({
        response_action: 'errors',
        errors: {
          [REJECT_REASON_BLOCK_ID]:
            locale === 'zh-CN'
              ? '请说明拒绝原因，以便申请人修改后重新提交。'
              : 'Say why, so the requester can fix the request and ask again.',
        },
      });
      return;
    }
    // The modal says max_length, but a client can send anything.
    if (reason.length > REJECT_REASON_MAX_LENGTH) {
      const max = REJECT_REASON_MAX_LENGTH;
      await ack({
        response_action: 'errors',
        errors: {
          [REJECT_REASON_BLOCK_ID]:
            locale === 'zh-CN'
              ? `原因最多 ${max} 个字符。`
              : `Keep the reason to ${max} characters or fewer.`,
        },
      });
      return;
    }
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

  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack handler');
  });

  return {
    app,
    ...(httpReceiver ? { requestListener: httpReceiver.requestListener } : {}),
    async start() {
      if (socketReceiver) await socketReceiver.start();
    },
    async stop() {
      if (socketReceiver) await socketReceiver.stop();
    },
  };
}
