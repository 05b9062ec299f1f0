/**
 * The modal: a view the bot opened, drawn from its blocks. Its state is read back as Slack's
 * `view.state.values`, option labels included as Slack sends them, and restored whenever the bot
 * redraws the view (a field error, a choice that changes the form), so nothing typed or chosen is
 * lost and pickers keep showing names, never raw ids.
 */
import { plain, renderBlocks } from './blocks.js';
import { byId, esc } from './dom.js';
import type { LoadOptions } from './pickers.js';
import { choose, chosen } from './pickers.js';
import { answerBody, interaction } from './relay.js';
import { state, userName, words } from './state.js';
import type { ElementState, ModalView, OptionObject, View, ViewState } from './types.js';

function labelled(value: string, label: string | undefined): OptionObject {
  return { text: { type: 'plain_text', text: label ?? value }, value };
}

function checked(element: HTMLElement): OptionObject[] {
  return [...element.querySelectorAll<HTMLInputElement>('input:checked')].map((i) =>
    labelled(i.value, i.dataset.label),
  );
}

function elementState(element: HTMLElement): ElementState | undefined {
  const type = element.dataset.type;
  switch (type) {
    case 'plain_text_input':
      return { type, value: (element as HTMLInputElement | HTMLTextAreaElement).value || null };
    case 'static_select': {
      const select = element as HTMLSelectElement;
      const option = select.selectedOptions[0];
      return { type, selected_option: select.value && option ? labelled(select.value, option.text) : null };
    }
    case 'radio_buttons':
      return { type, selected_option: checked(element)[0] ?? null };
    case 'checkboxes':
      return { type, selected_options: checked(element) };
    case 'external_select':
      return { type, selected_option: chosen(element) };
    default:
      return undefined;
  }
}

function fields(): HTMLElement[] {
  return [...byId('modal-body').querySelectorAll<HTMLElement>('[data-block-id][data-type]')];
}

export function viewState(): ViewState {
  const values: ViewState['values'] = {};
  for (const element of fields()) {
    const { blockId, actionId } = element.dataset;
    const value = elementState(element);
    if (blockId && actionId && value) values[blockId] = { [actionId]: value };
  }
  return { values };
}

function tick(element: HTMLElement, values: readonly (string | undefined)[]): void {
  for (const input of element.querySelectorAll<HTMLInputElement>('input'))
    input.checked = values.includes(input.value);
}

function restore(saved: ViewState): void {
  for (const element of fields()) {
    const value = Object.values(saved.values[element.dataset.blockId ?? ''] ?? {})[0];
    if (!value || value.type !== element.dataset.type) continue;
    switch (value.type) {
      case 'plain_text_input':
        (element as HTMLInputElement | HTMLTextAreaElement).value = value.value ?? '';
        break;
      case 'static_select':
        (element as HTMLSelectElement).value = value.selected_option?.value ?? '';
        break;
      case 'external_select':
        if (value.selected_option)
          choose(element, { value: value.selected_option.value, label: value.selected_option.text.text });
        break;
      case 'radio_buttons':
        tick(element, [value.selected_option?.value]);
        break;
      case 'checkboxes':
        tick(
          element,
          value.selected_options.map((o) => o.value),
        );
    }
  }
}

/** The open view as Slack sends it back with an interaction: its identity, blocks and state. */
export function viewPayload(view: View): Record<string, unknown> {
  return {
    id: view.id,
    hash: view.hash,
    type: 'modal',
    callback_id: view.view.callback_id,
    private_metadata: view.view.private_metadata,
    external_id: view.view.external_id,
    title: view.view.title,
    blocks: view.view.blocks,
    state: viewState(),
  };
}

/** Draws the open view (or hides the overlay), keeping what was typed when `keep` is set. */
export function showModal(keep = false): void {
  const saved = keep ? viewState() : undefined;
  const view = state.view;
  const overlay = byId('overlay');
  byId('modal-error').hidden = true;
  if (!view) {
    overlay.classList.remove('open');
    return;
  }
  byId('modal-title').textContent = view.view.title?.text ?? '';
  const submit = byId<HTMLButtonElement>('modal-submit');
  submit.innerHTML = plain(view.view.submit);
  submit.hidden = !view.view.submit;
  byId('modal-close').innerHTML = view.view.close ? plain(view.view.close) : esc(words().cancel);
  byId('modal-body').innerHTML = renderBlocks(view.view.blocks, {
    userName,
    modal: { errors: state.errors },
  });
  if (saved) restore(saved);
  overlay.classList.add('open');
}

export function closeModal(): void {
  state.view = undefined;
  state.errors = {};
  showModal();
}

/** A view the bot opened or updated; an update of the open view keeps what was typed. */
export function viewArrived(view: View): void {
  if (view.user && view.user !== state.user) return;
  const same = state.view?.id === view.id;
  state.view = view;
  state.errors = {};
  showModal(same);
}

export async function submitModal(): Promise<void> {
  const view = state.view;
  const submit = byId<HTMLButtonElement>('modal-submit');
  if (!view || submit.disabled) return;
  submit.disabled = true;
  try {
    const answer = await interaction({ type: 'view_submission', view: viewPayload(view) });
    const body = answerBody(answer);
    if (answer.status !== 200) {
      const problem = byId('modal-error');
      problem.textContent = words().formRefused(answer.status);
      problem.hidden = false;
      return;
    }
    if (body.response_action === 'errors') {
      state.errors = (body.errors ?? {}) as Record<string, string>;
      showModal(true);
    } else if (body.response_action === 'update' && body.view) {
      state.view = { ...view, view: body.view as ModalView };
      state.errors = {};
      showModal();
    } else {
      closeModal();
    }
  } finally {
    submit.disabled = false;
  }
}

/** `block_suggestion` for an external select: the options the bot offers for what was typed. */
export const loadOptions: LoadOptions = async (picker, typed) => {
  const view = state.view;
  if (!view) return [];
  const answer = await interaction({
    type: 'block_suggestion',
    action_id: picker.dataset.actionId,
    block_id: picker.dataset.blockId,
    value: typed,
    container: { type: 'view', view_id: view.id },
    view: viewPayload(view),
  });
  const options = answerBody(answer).options;
  return Array.isArray(options) ? (options as OptionObject[]) : [];
};

/** A choice in an input block with `dispatch_action`: the bot hears it at once, as in Slack. */
export async function dispatchChoice(element: HTMLElement): Promise<void> {
  const view = state.view;
  const block = element.closest<HTMLElement>('[data-input-block]');
  if (!view || !block?.dataset.dispatch) return;
  await interaction({
    type: 'block_actions',
    container: { type: 'view', view_id: view.id },
    view: viewPayload(view),
    actions: [
      {
        ...elementState(element),
        action_id: element.dataset.actionId,
        block_id: element.dataset.blockId,
        action_ts: String(Date.now() / 1000),
      },
    ],
  });
}
