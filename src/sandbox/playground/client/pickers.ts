/**
 * External selects (the VPC, vSwitch and region pick-lists): options are loaded from the bot as
 * one types, like Slack's `block_suggestion`. Focusing a picker shows the whole list again, even
 * when something is chosen; the list takes room in the form instead of covering the next field;
 * leaving a picker without choosing clears what was typed, so a half-typed name never looks
 * chosen.
 */
import { esc } from './dom.js';
import { words } from './state.js';
import type { OptionObject } from './types.js';

export type LoadOptions = (picker: HTMLElement, typed: string) => Promise<OptionObject[]>;

/** A newer load for the same picker wins over an older one that answers late. */
const loads = new WeakMap<HTMLElement, number>();

function listOf(picker: HTMLElement): HTMLUListElement | null {
  return picker.querySelector<HTMLUListElement>('.ext-list');
}

function inputOf(picker: HTMLElement): HTMLInputElement | null {
  return picker.querySelector<HTMLInputElement>('.ext-input');
}

export async function openPicker(picker: HTMLElement, typed: string, load: LoadOptions): Promise<void> {
  const seq = (loads.get(picker) ?? 0) + 1;
  loads.set(picker, seq);
  const options = await load(picker, typed);
  const list = listOf(picker);
  if (loads.get(picker) !== seq || !list || document.activeElement !== inputOf(picker)) return;
  list.innerHTML = options.length
    ? options.map((o) => `<li data-value="${esc(o.value)}">${esc(o.text.text)}</li>`).join('')
    : `<li class="empty">${esc(words().noMatches)}</li>`;
  list.hidden = false;
}

export function closePicker(picker: HTMLElement): void {
  loads.set(picker, (loads.get(picker) ?? 0) + 1);
  const list = listOf(picker);
  if (list) list.hidden = true;
  const input = inputOf(picker);
  if (input && !picker.dataset.value) input.value = '';
}

export function choose(picker: HTMLElement, option: { value: string; label: string }): void {
  picker.dataset.value = option.value;
  picker.dataset.label = option.label;
  const input = inputOf(picker);
  if (input) input.value = option.label;
  closePicker(picker);
}

/** What typing does: whatever was chosen is chosen no more. */
export function forget(picker: HTMLElement): void {
  delete picker.dataset.value;
  delete picker.dataset.label;
}

export function chosen(picker: HTMLElement): OptionObject | null {
  const { value, label } = picker.dataset;
  return value ? { text: { type: 'plain_text', text: label ?? value }, value } : null;
}
