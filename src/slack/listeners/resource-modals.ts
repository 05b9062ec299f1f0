/**
 * What a resource's modal sends: its submission (a request, recorded before Slack closes the
 * modal), a change of an input that decides what another shows (the modal is rendered again), and
 * the option loads of its pick-lists.
 */
import type { App } from '@slack/bolt';
import type { Account } from '../../config/index.js';
import { messages } from '../../i18n/index.js';
import { controllingParams, type Resource, resourceByCallbackId, resources } from '../../resources/index.js';
import { ACCOUNT_FIELD } from '../../workflow/account-choice.js';
import type { Dispatch, ViewArgs } from '../dispatch.js';
import { SLACK_ANSWER_DEADLINE_MS } from '../limits.js';
import { buildResourceModal, parseModalMetadata } from '../modals.js';
import { readViewLabels, readViewValues, selectedValue, type ViewStateValues } from '../view-state.js';
import type { ListenerContext } from './context.js';

/** One submission handler per resource type, by its modal's callback id. */
export function listenForSubmissions(on: Dispatch, c: ListenerContext): void {
  for (const resource of resources()) on.view(resource.callbackId, (args) => submit(resource, args, c));
}

async function submit(
  resource: Resource,
  { ack, body, view, context }: ViewArgs,
  c: ListenerContext,
): Promise<void> {
  // Slack's 3 s run from the request's arrival (HTTP mode: the gate's time), not from now.
  const receivedAt = typeof context.receivedAt === 'number' ? context.receivedAt : performance.now();
  const meta = parseModalMetadata(view.private_metadata, c.signer);
  const locale = meta?.locale ?? (await c.locales.of(body.user.id));
  if (!meta) {
    await ack({ response_action: 'errors', errors: { RegionId: messages(locale).modal.stale } });
    return;
  }
  const values = readViewValues(view.state.values as ViewStateValues);
  // A secret typed before the form asked about a value once comes back empty: it must be typed again.
  const missing = (meta.retype ?? []).filter((field) => values[field] === undefined || values[field] === '');
  if (missing.length > 0) {
    const again = messages(locale).modal.retypeSecret;
    await ack({ response_action: 'errors', errors: Object.fromEntries(missing.map((f) => [f, again])) });
    return;
  }
  // Recorded before the answer: once Slack closes the modal, the request exists.
  const chosen = values[ACCOUNT_FIELD];
  const result = await c.workflow.submit({
    resource: resource.type,
    ...(typeof chosen === 'string' ? { account: chosen } : {}),
    values,
    requester: { userId: body.user.id, name: body.user.name },
    channelId: meta.channelId,
    locale,
    // A retried delivery of the same submission lands on the same request.
    requestIdSeed: view.id,
    answerBy: receivedAt + SLACK_ANSWER_DEADLINE_MS,
    ...(meta.confirmed ? { confirmed: meta.confirmed } : {}),
  });
  if (!result.ok && result.confirm) {
    // Asked once: the same form, the question under the field; sent again unchanged, it is kept.
    const confirm = Object.entries(result.confirm);
    const once = {
      asked: Object.fromEntries(confirm.map(([field, q]) => [field, q.message[locale]])),
      confirmed: { ...meta.confirmed, ...Object.fromEntries(confirm.map(([field, q]) => [field, q.value])) },
      retype: resource.params
        .filter((p) => p.secret && values[p.name] !== undefined && values[p.name] !== '')
        .map((p) => p.name),
    };
    const state = view.state.values as ViewStateValues;
    await ack({
      response_action: 'update',
      view: buildResourceModal(resource, c.modal(meta.channelId, locale), values, {
        labels: readViewLabels(state),
        once,
      }),
    });
    return;
  }
  if (!result.ok) {
    const errors = Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, v[locale]]));
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  c.logger.info(
    { requestId: result.request.id, resource: resource.type, duplicate: result.duplicate },
    'request submitted',
  );
}

/**
 * Inputs that decide what another shows (billing → Period, region → second vSwitch, network type
 * → bandwidths) dispatch an action; the modal is re-rendered from its declaration. One handler
 * per input name, whichever modals have it: Slack's answer can be acknowledged only once.
 */
export function listenForModalChanges(on: Dispatch, c: ListenerContext): void {
  const controlling = new Set(resources().flatMap((r) => [...controllingParams(r)]));
  for (const name of controlling) {
    on.action(name, async ({ ack, body, client }) => {
      await ack();
      const view = 'view' in body ? body.view : undefined;
      const resource = view ? resourceByCallbackId(view.callback_id) : undefined;
      if (!view || !resource || !controllingParams(resource).has(name)) return;
      const meta = parseModalMetadata(view.private_metadata, c.signer);
      if (!meta) return;
      const state = view.state.values as ViewStateValues;
      const values = readViewValues(state);
      const modal = c.modal(meta.channelId, meta.locale);
      const chosen = values[ACCOUNT_FIELD];
      const placeholders = await c.options.suggest(
        {
          resource,
          chosen: values,
          locale: meta.locale,
          account: accountOfForm(modal.accounts, typeof chosen === 'string' ? chosen : undefined),
        },
        SUGGEST_WITHIN_MS,
      );
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: buildResourceModal(resource, modal, values, { labels: readViewLabels(state), placeholders }),
      });
    });
  }
}

/**
 * How long a form's rebuild waits for the placeholders read from the account (the VPC's range):
 * views.update has no deadline, but a person is looking at the form.
 */
export const SUGGEST_WITHIN_MS = 1_500;

/** The account a form is for: the channel's only one, or the one chosen in it (none yet: undefined). */
export function accountOfForm(usable: readonly Account[], chosen: string | undefined): Account | undefined {
  return usable.length === 1 ? usable[0] : usable.find((a) => a.name === chosen);
}

/** A pick-list's options, as the person types; none for an input without a source. */
export function listenForOptionLoads(app: App, c: ListenerContext): void {
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ ack, body }) => {
    const locale = await c.locales.of(body.user.id);
    const resource = resourceByCallbackId(body.view?.callback_id ?? '');
    const param = resource?.params.find((p) => p.name === body.action_id);
    const meta = parseModalMetadata(body.view?.private_metadata, c.signer);
    if (!param?.source || !meta) {
      await ack({ options: [] });
      return;
    }
    const state = body.view?.state?.values as ViewStateValues;
    const options = await c.options.load({
      param: param.name,
      source: param.source,
      typed: body.value ?? '',
      state,
      locale,
      account: accountOfForm(c.modal(meta.channelId, locale).accounts, selectedValue(state, ACCOUNT_FIELD)),
    });
    await ack({ options });
  });
}
