/**
 * Modals generated from the resource declarations: one input block per parameter, block id and
 * action id = the API parameter name, the element chosen by the declaration, labels, help and
 * defaults in the language of the person who opened it. Parameters that apply, or are required,
 * only with another value (Period with PREPAY, the second vSwitch in a dual-tunnel region) follow
 * that value: the controlling inputs dispatch an action and the modal is re-rendered from the same
 * declaration.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Account } from '../config/index.js';
import { isLocale, type Locale, messages } from '../i18n/index.js';
import {
  applies,
  choicesOf,
  controllingParams,
  isRequired,
  type ParamSpec,
  type ParamValue,
  type ParamValues,
  type Resource,
  type ResourceOptions,
  withDefaults,
} from '../resources/index.js';
import { fitText } from '../text/fit.js';
import { ACCOUNT_FIELD } from '../workflow/account-choice.js';
import { REJECT_REASON_BLOCK_ID, REJECT_REASON_CALLBACK_ID } from './ids.js';
import { REJECT_REASON_MAX_LENGTH, SLACK_LIMITS } from './limits.js';
import type { MetadataSigner } from './metadata.js';
import { sandboxBanner } from './render.js';

export interface ModalOptions {
  channelId: string;
  locale: Locale;
  sandbox: boolean;
  resources: ResourceOptions;
  signer: MetadataSigner;
  /** The accounts the channel may use: with several, the form starts by asking which. */
  accounts: readonly Account[];
}

interface ModalMetadata {
  channelId: string;
  locale: Locale;
  /** Values the form asked about once and the person may send again to keep (`confirmWhen`), by field. */
  confirmed?: Record<string, string>;
  /** Secret fields typed before the form was asked about once: they must be typed again. */
  retype?: string[];
}

/** A form asking about values once: the question under each field, and the values it is about. */
export interface AskedOnce {
  /** The question, in the reader's language, by field. */
  asked: Readonly<Record<string, string>>;
  /** The values asked about (and any asked about before), which a second sending keeps. */
  confirmed: Readonly<Record<string, string>>;
  /**
   * Secret fields typed in the sending asked about: the form comes back without them (a secret is
   * never sent back to Slack), so the next sending must hold them again.
   */
  retype: readonly string[];
}

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: fitText(text, max) });

function optionOf(value: ParamValue, label: string) {
  return { text: plain(label, 75), value: String(value) };
}

function element(
  param: ParamSpec,
  o: ModalOptions,
  values: ParamValues,
  current: ParamValue | undefined,
  label: string | undefined,
  suggested: string | undefined,
) {
  const t = o.locale;
  const initial = current ?? param.default;
  const shown = suggested ?? param.placeholder?.[t];
  const placeholder = shown ? { placeholder: plain(shown, 150) } : {};
  const action_id = param.name;
  switch (param.input) {
    case 'text':
    case 'multiline':
      return {
        type: 'plain_text_input' as const,
        action_id,
        ...(param.input === 'multiline' ? { multiline: true } : {}),
        max_length: Math.min(
          SLACK_LIMITS.plainTextInputMaxLength,
          param.maxLength ?? SLACK_LIMITS.plainTextInputMaxLength,
        ),
        // A secret is never sent back to Slack, not even into the modal it came from.
        ...(typeof initial === 'string' && !param.secret ? { initial_value: initial } : {}),
        ...placeholder,
      };
    case 'external_select':
      return {
        type: 'external_select' as const,
        action_id,
        min_query_length: 0,
        placeholder: plain(param.placeholder?.[t] ?? messages(t).modal.choose, 150),
        // Chosen before the form was rebuilt, or filled in by a button that knows the value (Connect
        // on a gateway's result): shown with the label its pick-list gives, or the id alone.
        ...(typeof current === 'string' && current !== ''
          ? { initial_option: optionOf(current, label ?? current) }
          : {}),
      };
    case 'static_select':
    case 'radio': {
      const choices = choicesOf(param, values, o.resources) ?? [];
      const options = choices.slice(0, 100).map((c) => optionOf(c.value, c.label[t]));
      const chosen = options.find((op) => op.value === String(initial));
      return param.input === 'radio'
        ? {
            type: 'radio_buttons' as const,
            action_id,
            options,
            ...(chosen ? { initial_option: chosen } : {}),
          }
        : {
            type: 'static_select' as const,
            action_id,
            options,
            placeholder: plain(messages(t).modal.choose, 150),
            ...(chosen ? { initial_option: chosen } : {}),
          };
    }
    case 'checkbox': {
      const choice = (choicesOf(param, values, o.resources) ?? [])[0];
      const option = optionOf(true, choice?.label[t] ?? param.label[t]);
      return {
        type: 'checkboxes' as const,
        action_id,
        options: [option],
        ...(initial === true ? { initial_options: [option] } : {}),
      };
    }
  }
}

/**
 * The account select, first in a form of a channel that may use several accounts: block id and
 * action id `account`, option values the account names. The form's shape does not depend on it,
 * so choosing one sends nothing: each pick-list below asks for its options with the form's values
 * so far, the account among them, when it opens.
 */
function accountBlock(o: ModalOptions, chosen: ParamValue | undefined): KnownBlock {
  const m = messages(o.locale).accounts;
  const options = o.accounts.map((a) => optionOf(a.name, a.label?.[o.locale] ?? a.name));
  const initial = options.find((op) => op.value === chosen);
  return {
    type: 'input',
    block_id: ACCOUNT_FIELD,
    label: plain(m.label),
    hint: plain(m.help),
    element: {
      type: 'static_select',
      action_id: ACCOUNT_FIELD,
      options,
      placeholder: plain(messages(o.locale).modal.choose, 150),
      ...(initial ? { initial_option: initial } : {}),
    },
  } as KnownBlock;
}

/** The modal of a resource type, showing what applies to the values chosen so far (defaults at first). */
/** What a form shows beyond its values. */
export interface FormExtras {
  /** The labels of options already chosen, by field (as their pick-lists gave them). */
  labels?: Readonly<Record<string, string>>;
  /** Values the form asks about once. */
  once?: AskedOnce;
  /** Placeholders read from the account for the form so far (`suggest`), by field. */
  placeholders?: Readonly<Record<string, string>>;
}

/** The form of a resource type, with the values given filled in. */
export function buildResourceModal(
  resource: Resource,
  o: ModalOptions,
  values: ParamValues = {},
  extras: FormExtras = {},
): ModalView {
  const { labels = {}, once, placeholders = {} } = extras;
  const t = o.locale;
  const m = messages(t).modal;
  const controlling = controllingParams(resource);
  const effective = withDefaults(resource, values);
  const blocks: KnownBlock[] = [];
  if (o.sandbox) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: sandboxBanner(t) }] });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: m.afterSubmit({ action: resource.create.action }),
      },
    ],
  });
  if (o.accounts.length > 1) blocks.push(accountBlock(o, values[ACCOUNT_FIELD]));
  let advanced = false;
  for (const param of resource.params) {
    if (!applies(param, effective, o.resources)) continue;
    if (param.advanced && !advanced) {
      advanced = true;
      blocks.push({ type: 'divider' });
      if (resource.advancedHeading)
        blocks.push({
          type: 'context',
          elements: [{ type: 'plain_text', text: fitText(resource.advancedHeading[t], 2000), emoji: false }],
        });
    }
    const required = isRequired(param, effective, o.resources);
    const warn =
      param.warning && (param.warnWhen?.test(effective[param.warnWhen.param], o.resources) ?? true);
    const question =
      once?.asked[param.name] ??
      (once?.retype.includes(param.name) ? messages(t).modal.retypeSecret : undefined);
    const hint = [
      param.help?.[t],
      warn ? `⚠️ ${param.warning?.[t]}` : undefined,
      question ? `⚠️ ${question}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    blocks.push({
      type: 'input',
      block_id: param.name,
      label: plain(param.label[t], 2000),
      // Checkboxes must be optional, or leaving a box unticked could not be submitted.
      optional: !required || param.input === 'checkbox',
      ...(controlling.has(param.name) ? { dispatch_action: true } : {}),
      ...(hint ? { hint: plain(hint) } : {}),
      element: element(param, o, effective, values[param.name], labels[param.name], placeholders[param.name]),
    } as KnownBlock);
  }
  const title = resource.title[t];
  return {
    type: 'modal',
    callback_id: resource.callbackId,
    title: plain(title, 24),
    submit: plain(m.submit, SLACK_LIMITS.modalSubmit),
    close: plain(m.close, SLACK_LIMITS.modalClose),
    private_metadata: o.signer.sign({
      channelId: o.channelId,
      locale: t,
      ...(once ? { confirmed: { ...once.confirmed }, retype: [...once.retype] } : {}),
    } satisfies ModalMetadata),
    blocks,
  };
}

/** The metadata of a modal this bot built and signed, or undefined (forged, altered, stale). */
export function parseModalMetadata(
  raw: string | undefined,
  signer: MetadataSigner,
): ModalMetadata | undefined {
  const parsed = signer.verify(raw) as Partial<ModalMetadata> | undefined;
  if (parsed && typeof parsed.channelId === 'string' && isLocale(parsed.locale)) {
    const confirmed = Object.fromEntries(
      Object.entries(parsed.confirmed ?? {}).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const retype = Array.isArray(parsed.retype) ? parsed.retype.filter((f) => typeof f === 'string') : [];
    return {
      channelId: parsed.channelId,
      locale: parsed.locale,
      ...(Object.keys(confirmed).length > 0 ? { confirmed } : {}),
      ...(retype.length > 0 ? { retype } : {}),
    };
  }
  return undefined;
}

interface RejectMetadata {
  requestId: string;
  channelId: string;
  locale: Locale;
}

export function buildRejectModal(meta: RejectMetadata, signer: MetadataSigner): ModalView {
  const m = messages(meta.locale).modal;
  return {
    type: 'modal',
    callback_id: REJECT_REASON_CALLBACK_ID,
    title: plain(m.rejectTitle, SLACK_LIMITS.modalTitle),
    submit: plain(m.rejectSubmit, SLACK_LIMITS.modalSubmit),
    close: plain(m.rejectClose, SLACK_LIMITS.modalClose),
    private_metadata: signer.sign(meta),
    blocks: [
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        label: plain(m.rejectLabel({ id: meta.requestId })),
        hint: plain(m.rejectHint),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_BLOCK_ID,
          multiline: true,
          max_length: REJECT_REASON_MAX_LENGTH,
        },
      },
    ],
  };
}

export function parseRejectMetadata(
  raw: string | undefined,
  signer: MetadataSigner,
): RejectMetadata | undefined {
  const parsed = signer.verify(raw) as Partial<RejectMetadata> | undefined;
  if (
    parsed &&
    typeof parsed.requestId === 'string' &&
    typeof parsed.channelId === 'string' &&
    isLocale(parsed.locale)
  ) {
    return { requestId: parsed.requestId, channelId: parsed.channelId, locale: parsed.locale };
  }
  return undefined;
}
