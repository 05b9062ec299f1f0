/**
 * Modals generated from the resource declarations: one input block per parameter, block id and
 * action id = the API parameter name, the element chosen by the declaration, labels, help and
 * defaults in the user's language. Parameters that apply, or are required, only with another
 * value (Period with PREPAY, the second vSwitch in a dual-tunnel region) follow that value: the
 * controlling inputs dispatch an action and the modal is re-rendered from the same declaration.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { isLocale, type Locale } from '../i18n/index.js';
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
import { REJECT_REASON_BLOCK_ID, REJECT_REASON_CALLBACK_ID } from './ids.js';
import { fitText, REJECT_REASON_MAX_LENGTH, SLACK_LIMITS } from './limits.js';
import type { MetadataSigner } from './metadata.js';
import { sandboxBanner } from './render.js';

export interface ModalOptions {
  channelId: string;
  locale: Locale;
  sandbox: boolean;
  resources: ResourceOptions;
  signer: MetadataSigner;
}

interface ModalMetadata {
  channelId: string;
  locale: Locale;
}

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: fitText(text, max) });

function optionOf(value: ParamValue, label: string) {
  return { text: plain(label, 75), value: String(value) };
}

function element(param: ParamSpec, o: ModalOptions, values: ParamValues, current: ParamValue | undefined) {
  const t = o.locale;
  const initial = current ?? param.default;
  const placeholder = param.placeholder ? { placeholder: plain(param.placeholder[t], 150) } : {};
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
        placeholder: plain(param.placeholder?.[t] ?? (t === 'zh-CN' ? '请选择' : 'Choose'), 150),
        // Filled in by a button that knows the value (Connect on a gateway's result): the id is its own label.
        ...(typeof current === 'string' && current !== ''
          ? { initial_option: optionOf(current, current) }
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
            placeholder: plain(t === 'zh-CN' ? '请选择' : 'Choose', 150),
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

/** The modal of a resource type, showing what applies to the values chosen so far (defaults at first). */
export function buildResourceModal(resource: Resource, o: ModalOptions, values: ParamValues = {}): ModalView {
  const t = o.locale;
  const controlling = controllingParams(resource);
  const effective = withDefaults(resource, values);
  const blocks: KnownBlock[] = [];
  if (o.sandbox) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: sandboxBanner(t) }] });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          t === 'zh-CN'
            ? `提交后请求会发布到频道，由审批人在讨论串中批准后才会调用 \`${resource.create.action}\`。`
            : `After you submit, the request is posted in the channel; \`${resource.create.action}\` is called only after an approver approves it in the thread.`,
      },
    ],
  });
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
    const hint = [param.help?.[t], warn ? `⚠️ ${param.warning?.[t]}` : undefined].filter(Boolean).join(' ');
    blocks.push({
      type: 'input',
      block_id: param.name,
      label: plain(param.label[t], 2000),
      // Checkboxes must be optional, or leaving a box unticked could not be submitted.
      optional: !required || param.input === 'checkbox',
      ...(controlling.has(param.name) ? { dispatch_action: true } : {}),
      ...(hint ? { hint: plain(hint) } : {}),
      element: element(param, o, effective, values[param.name]),
    } as KnownBlock);
  }
  const title = resource.title[t];
  return {
    type: 'modal',
    callback_id: resource.callbackId,
    title: plain(title, 24),
    submit: plain(t === 'zh-CN' ? '提交审批' : 'Ask for approval', 24),
    close: plain(t === 'zh-CN' ? '取消' : 'Cancel', 24),
    private_metadata: o.signer.sign({ channelId: o.channelId, locale: t } satisfies ModalMetadata),
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
    return { channelId: parsed.channelId, locale: parsed.locale };
  }
  return undefined;
}

interface RejectMetadata {
  requestId: string;
  channelId: string;
  locale: Locale;
}

export function buildRejectModal(meta: RejectMetadata, signer: MetadataSigner): ModalView {
  const zh = meta.locale === 'zh-CN';
  return {
    type: 'modal',
    callback_id: REJECT_REASON_CALLBACK_ID,
    title: plain(zh ? '拒绝请求' : 'Reject request', 24),
    submit: plain(zh ? '拒绝' : 'Reject', 24),
    close: plain(zh ? '返回' : 'Back', 24),
    private_metadata: signer.sign(meta),
    blocks: [
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        label: plain(zh ? `拒绝 ${meta.requestId} 的原因` : `Why reject ${meta.requestId}?`),
        hint: plain(zh ? '原因会发布在请求的讨论串中。' : 'The reason is posted in the request’s thread.'),
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
