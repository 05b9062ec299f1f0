/**
 * Block Kit's `confirm` on a button: Slack asks "are you sure?" before it sends the click. The
 * playground asks the same, in a small dialog of its own.
 */
import { plain, textOf } from './blocks.js';
import { byId, esc } from './dom.js';
import { userName, words } from './state.js';
import type { ConfirmObject } from './types.js';

export function confirmClick(confirm: ConfirmObject): Promise<boolean> {
  const dialog = byId('confirm');
  const w = words();
  byId('confirm-title').innerHTML = plain(confirm.title) || esc(w.areYouSure);
  byId('confirm-text').innerHTML = textOf(confirm.text, { userName });
  const yes = byId<HTMLButtonElement>('confirm-yes');
  const no = byId<HTMLButtonElement>('confirm-no');
  yes.innerHTML = plain(confirm.confirm) || esc(w.yes);
  no.innerHTML = plain(confirm.deny) || esc(w.cancel);
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
