/**
 * Modals generated from the gateway specifications: one input block per parameter, block id and
 * action id = the API parameter name, the element chosen by the declaration, labels, help and
 * defaults in the user's language. Parameters that apply only with another value (Period with
 * PREPAY, SslConnections with SSL-VPN) appear when that value is chosen: the controlling inputs
 * dispatch an action and the modal is re-rendered from the same declaration.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import {
  applies,
  choicesOf,
  controllingParams,
  type GatewayKind,
  type GatewayValidationOptions,
  getGatewaySpec,
  type ParamSpec,
  type ParamValue,
} from '../gateways/index.js';
import { isLocale, type Locale } from '../i18n/index.js';
import { CALLBACK_IDS, REJECT_REASON_BLOCK_ID, REJECT_REASON_CALLBACK_ID } from './ids.js';
import { REJECT_REASON_MAX_LENGTH } from './limits.js';
import { sandboxBanner } from './render.js';

export interface ModalOptions {
  channelId: string;
  locale: Locale;
  sandbox: boolean;
  gateways: GatewayValidationOptions;
}

interface ModalMetadata {
  channelId: string;
  locale: Locale;
}

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: text.slice(0, max) });

function optionOf(value: ParamValue, label: string) {
  return { text: plain(label, 75), value: String(value) };
}

function element(param: ParamSpec, o: ModalOptions, current: ParamValue | undefined) {
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
        ...(param.maxLength ? { max_length: param.maxLength } : {}),
        ...(typeof initial === 'string' ? { initial_value: initial } : {}),
        ...placeholder,
      };
    case 'external_select':
      return {
        type: 'external_select' as const,
        action_id,
        min_query_length: 0,
        placeholder: plain(param.placeholder?.[t] ?? (t === 'zh-CN' ? '请选择' : 'Choose'), 150),
      };
    case 'static_select':
    case 'radio': {
      const choices = choicesOf(param, o.gateways) ?? [];
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
      const choice = (choicesOf(param, o.gateways) ?? [])[0];
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

/** The gateway modal, showing what applies to the values chosen so far (defaults at first). */
export function buildGatewayModal(
  kind: GatewayKind,
  o: ModalOptions,
  values: Readonly<Record<string, ParamValue | undefined>> = {},
): ModalView {
  const spec = getGatewaySpec(kind);
  const t = o.locale;
  const controlling = controllingParams(spec);
  const effective: Record<string, ParamValue | undefined> = {};
  for (const p of spec.params) effective[p.name] = values[p.name] ?? p.default;
  const blocks: KnownBlock[] = [];
  if (o.sandbox) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: sandboxBanner(t) }] });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          t === 'zh-CN'
            ? `提交后请求会发布到频道，由审批人在讨论串中批准后才会调用 \`${spec.action}\`。`
            : `After you submit, the request is posted in the channel; \`${spec.action}\` is called only after an approver approves it in the thread.`,
      },
    ],
  });
  for (const param of spec.params) {
    if (!applies(param, effective)) continue;
    const dispatch = controlling.has(param.name);
    const hint = [param.help?.[t], param.warning ? `⚠️ ${param.warning[t]}` : undefined]
      .filter(Boolean)
      .join(' ');
    blocks.push({
      type: 'input',
      block_id: param.name,
      label: plain(param.label[t]),
      // Checkboxes must be optional, or leaving a box unticked could not be submitted.
      optional: !param.required || param.input === 'checkbox',
      ...(dispatch ? { dispatch_action: true } : {}),
      ...(hint ? { hint: plain(hint) } : {}),
      element: element(param, o, values[param.name]),
    } as KnownBlock);
  }
  const title = spec.title[t];
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS[kind],
    title: plain(title.length > 24 ? title.slice(0, 24) : title, 24),
    submit: plain(t === 'zh-CN' ? '提交审批' : 'Ask for approval', 24),
    close: plain(t === 'zh-CN' ? '取消' : 'Cancel', 24),
    private_metadata: JSON.stringify({ channelId: o.channelId, locale: t } satisfies ModalMetadata),
    blocks,
  };
}

export function parseModalMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<ModalMetadata>;
    if (typeof parsed.channelId === 'string' && isLocale(parsed.locale)) {
      return { channelId: parsed.channelId, locale: parsed.locale };
    }
  } catch {
    // A view we did not build, or an old format: treated as stale.
  }
  return undefined;
}

interface RejectMetadata {
  requestId: string;
  channelId: string;
  locale: Locale;
}

export function buildRejectModal(meta: RejectMetadata): ModalView {
  const zh = meta.locale === 'zh-CN';
  return {
    type: 'modal',
    callback_id: REJECT_REASON_CALLBACK_ID,
    title: plain(zh ? '拒绝请求' : 'Reject request', 24),
    submit: plain(zh ? '拒绝' : 'Reject', 24),
    close: plain(zh ? '返回' : 'Back', 24),
    private_metadata: JSON.stringify(meta),
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

export function parseRejectMetadata(raw: string | undefined): RejectMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<RejectMetadata>;
    if (
      typeof parsed.requestId === 'string' &&
      typeof parsed.channelId === 'string' &&
      isLocale(parsed.locale)
    ) {
      return { requestId: parsed.requestId, channelId: parsed.channelId, locale: parsed.locale };
    }
  } catch {
    // Stale or foreign view.
  }
  return undefined;
}
