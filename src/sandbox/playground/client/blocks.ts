/**
 * Block Kit drawn as HTML: the blocks of messages (sections, context, buttons) and of modals
 * (inputs of every kind the bot's forms use). Buttons and inputs carry their Slack ids in data
 * attributes, which is how the page turns a click or a form back into Slack payloads.
 */
import { esc } from './dom.js';
import { mrkdwn } from './mrkdwn.js';
import { words } from './state.js';
import type {
  Block,
  ButtonElement,
  InputElement,
  MessageSelect,
  OptionObject,
  Pane,
  TextObject,
} from './types.js';

export interface BlockContext {
  userName: (id: string) => string;
  /** The message the blocks belong to, and where it is shown (for its buttons). */
  message?: { ts: string; pane: Pane };
  /** The ephemeral answer the blocks belong to (a select in it says where it was chosen). */
  ephemeral?: { ts: string };
  /** Inputs are drawn in a modal only, with their field errors by block id. */
  modal?: { errors: Readonly<Record<string, string>> };
}

export function plain(text: TextObject | undefined): string {
  return esc(text?.text);
}

/** A text object as HTML: mrkdwn formatted, plain text escaped. */
export function textOf(text: TextObject | undefined, ctx: Pick<BlockContext, 'userName'>): string {
  if (!text) return '';
  return text.type === 'mrkdwn'
    ? mrkdwn(text.text, ctx.userName, document.documentElement.lang)
    : plain(text);
}

function button(e: ButtonElement, blockId: string, ctx: BlockContext): string {
  const attrs = [
    `class="btn ${esc(e.style ?? '')}"`,
    `data-action-id="${esc(e.action_id)}"`,
    `data-value="${esc(e.value)}"`,
    `data-block-id="${esc(blockId)}"`,
    `data-ts="${esc(ctx.message?.ts)}"`,
    `data-pane="${esc(ctx.message?.pane)}"`,
    // The confirmation, if any, travels with the button until it is clicked.
    e.confirm ? `data-confirm="${esc(JSON.stringify(e.confirm))}"` : '',
  ];
  return `<button ${attrs.filter(Boolean).join(' ')}>${plain(e.text)}</button>`;
}

/** A select in a message: choosing an option sends it at once, as Slack does. */
function messageSelect(e: MessageSelect, blockId: string, ctx: BlockContext): string {
  const attrs = [
    'class="msg-select"',
    `data-action-id="${esc(e.action_id)}"`,
    `data-block-id="${esc(blockId)}"`,
    `data-ts="${esc(ctx.ephemeral?.ts ?? ctx.message?.ts)}"`,
    ctx.ephemeral ? 'data-in-ephemeral="1"' : '',
    `aria-label="${plain(e.placeholder)}"`,
  ];
  const options = e.options.map((o) => option(o, e.initial_option?.value === o.value)).join('');
  return `<select ${attrs.filter(Boolean).join(' ')}>${options}</select>`;
}

function block(b: Block, ctx: BlockContext): string {
  switch (b.type) {
    case 'section': {
      const fields = (b.fields ?? []).map((f) => `<div>${textOf(f, ctx)}</div>`).join('');
      const grid = fields ? `<div class="fields">${fields}</div>` : '';
      const accessory =
        b.accessory?.type === 'button' ? button(b.accessory as ButtonElement, b.block_id ?? '', ctx) : '';
      return `<div class="block-section">${textOf(b.text, ctx)}${grid}${accessory}</div>`;
    }
    case 'context':
      return `<div class="block-context">${b.elements.map((e) => textOf(e, ctx)).join(' ')}</div>`;
    case 'header':
      return `<h3>${plain(b.text)}</h3>`;
    case 'divider':
      return '<hr>';
    case 'actions': {
      const html = b.elements
        .map((e) =>
          e.type === 'button' ? button(e, b.block_id ?? '', ctx) : messageSelect(e, b.block_id ?? '', ctx),
        )
        .join('');
      return `<div class="block-actions">${html}</div>`;
    }
    case 'input':
      return ctx.modal ? input(b, ctx.modal.errors[b.block_id]) : '';
    default:
      return '';
  }
}

export function renderBlocks(blocks: readonly Block[] | undefined, ctx: BlockContext): string {
  return (blocks ?? []).map((b) => block(b, ctx)).join('');
}

function option(o: OptionObject, selected: boolean): string {
  return `<option value="${esc(o.value)}"${selected ? ' selected' : ''}>${plain(o.text)}</option>`;
}

function choices(e: InputElement & { type: 'radio_buttons' | 'checkboxes' }, blockId: string): string {
  const kind = e.type === 'radio_buttons' ? 'radio' : 'checkbox';
  const chosen =
    e.type === 'radio_buttons' ? [e.initial_option?.value] : (e.initial_options ?? []).map((o) => o.value);
  return e.options
    .map(
      (o) =>
        `<label class="choice"><input type="${kind}" name="${esc(blockId)}" value="${esc(o.value)}"` +
        ` data-label="${esc(o.text.text)}"${chosen.includes(o.value) ? ' checked' : ''}>` +
        ` ${plain(o.text)}</label>`,
    )
    .join('');
}

function field(e: InputElement, blockId: string): string {
  const ids = `data-block-id="${esc(blockId)}" data-action-id="${esc(e.action_id)}" data-type="${e.type}"`;
  switch (e.type) {
    case 'plain_text_input': {
      const limit = e.max_length ? ` maxlength="${e.max_length}"` : '';
      return e.multiline
        ? `<textarea rows="3" ${ids}${limit}>${esc(e.initial_value)}</textarea>`
        : `<input type="text" ${ids}${limit} value="${esc(e.initial_value)}"` +
            ` placeholder="${plain(e.placeholder)}">`;
    }
    case 'static_select':
      return (
        `<select ${ids}><option value="">${plain(e.placeholder) || esc(words().choose)}</option>` +
        `${e.options.map((o) => option(o, e.initial_option?.value === o.value)).join('')}</select>`
      );
    case 'radio_buttons':
    case 'checkboxes':
      return `<div ${ids}>${choices(e, blockId)}</div>`;
    case 'external_select': {
      const chosen = e.initial_option;
      const value = chosen ? ` data-value="${esc(chosen.value)}" data-label="${esc(chosen.text.text)}"` : '';
      return (
        `<div class="ext" ${ids}${value}>` +
        `<input type="text" class="ext-input" value="${esc(chosen?.text.text)}"` +
        ` placeholder="${plain(e.placeholder) || esc(words().choose)}" autocomplete="off">` +
        '<ul class="ext-list" hidden></ul></div>'
      );
    }
  }
}

function input(b: Block & { type: 'input' }, error: string | undefined): string {
  // The space is the language's own: none before Chinese full-width brackets.
  const optional = b.optional ? `<span class="optional">${esc(words().optional)}</span>` : '';
  return [
    `<div class="input-block${error ? ' has-error' : ''}" data-input-block="${esc(b.block_id)}"`,
    `${b.dispatch_action ? ' data-dispatch="1"' : ''}>`,
    `<label class="title">${plain(b.label)}${optional}</label>`,
    field(b.element, b.block_id),
    b.hint ? `<div class="hint">${plain(b.hint)}</div>` : '',
    error ? `<div class="field-error" data-testid="field-error">${esc(error)}</div>` : '',
    '</div>',
  ].join('');
}
