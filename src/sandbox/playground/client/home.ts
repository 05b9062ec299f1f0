/**
 * The bot's Home tab, beside the channel: opening it asks the relay to tell the bot the current
 * person opened it (`app_home_opened`), and what the bot publishes for them (views.publish) is
 * drawn here as it arrives. Its buttons are sent as Slack sends a click on a Home tab: from a view
 * of type `home`, with no channel or message; the bot answers by publishing the tab again.
 */
import { renderBlocks } from './blocks.js';
import { confirmClick } from './confirm.js';
import { byId, esc } from './dom.js';
import { interaction } from './relay.js';
import { state, userName, words } from './state.js';
import type { ConfirmObject, HomeView } from './types.js';

/** Shows the Home tab or the channel, as chosen. */
export function showTab(): void {
  byId('home').hidden = !state.atHome;
  byId('messages').hidden = state.atHome;
  byId('composer-row').hidden = state.atHome;
  byId('tab-home').classList.toggle('active', state.atHome);
  byId('tab-channel').classList.toggle('active', !state.atHome);
  renderHome();
}

export function renderHome(): void {
  if (!state.atHome) return;
  const home = state.homes.get(state.user);
  byId('home').innerHTML = home
    ? renderBlocks(home.view.blocks, { userName })
    : `<p class="block-context">${esc(words().homeOpening)}</p>`;
}

/** Opens the Home tab for the current person: the bot is told, and publishes it. */
export async function openHome(): Promise<void> {
  state.atHome = true;
  showTab();
  await fetch('/playground/home', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: state.user }),
  });
}

/** The bot published someone's Home tab. */
export function homeArrived(home: HomeView): void {
  state.homes.set(home.user, home);
  if (home.user === state.user) renderHome();
}

/**
 * The thread a permalink on the Home tab points to (`…/archives/C…/p1700000000123456`), by its
 * message's ts, when it is in the playground's channel: the page opens it there, as Slack would.
 */
export function threadOfLink(href: string): string | undefined {
  const found = /\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})$/.exec(href);
  if (!found || found[1] !== state.channel.id) return undefined;
  return `${found[2]}.${found[3]}`;
}

/** A click on a Home tab button, as Slack sends it. */
export async function homeClicked(button: HTMLElement): Promise<void> {
  const home = state.homes.get(state.user);
  if (!home) return;
  const { actionId, blockId, value, confirm } = button.dataset;
  if (confirm && !(await confirmClick(JSON.parse(confirm) as ConfirmObject))) return;
  await interaction({
    type: 'block_actions',
    container: { type: 'view', view_id: home.id },
    view: { id: home.id, hash: home.hash, type: 'home', blocks: home.view.blocks, state: { values: {} } },
    actions: [
      { type: 'button', action_id: actionId, block_id: blockId, value, action_ts: String(Date.now() / 1000) },
    ],
  });
}
