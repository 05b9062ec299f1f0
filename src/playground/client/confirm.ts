/**
 * Block Kit's `confirm` on a button: Slack asks "are you sure?" before it sends the click. The
 * playground asks the same, in a small dialog of its own.
 */
import { plain, textOf } from './blocks.js';
import { byId } from './dom.js';
import { userName } from './state.js';
import type { ConfirmObject } from './types.js';

export function confirmClick(confirm: ConfirmObject): Promise<boolean> {
  const dialog = byId('confirm');
  byId('confirm-title').innerHTML = plain(confirm.title) || 'Are you sure?';
  byId('confirm-text').innerHTML = textOf(confirm.text, { userName });
  const yes = byId<HTMLButtonElement>('confirm-yes');
  const no = byId<HTMLButtonElement>('confirm-no');
  yes.innerHTML = plain(confirm.confirm) || 'Yes';
  no.innerHTML = plain(confirm.deny) || 'Cancel';
  yes.className = `btn ${confirm.style === 'danger' ? 'danger' : 'primary'}`;
  dialog.classList.add('open');
  return new Promise((resolve) => {
    const answer = (ok: boolean) => {
      dialog.classList.remove('open');
      yes.onclick = null;
      no.onclick = null;
      resolve(ok);
    };
    yes.onclick = () => answer(true);
    no.onclick = () => answer(false);
  });
}
