/**
 * The playground page: boots from the relay's state, follows the fake Slack's events (messages,
 * edits, ephemeral answers, views), and turns what a person does (a slash command, a click, a
 * pick, a form) into the Slack payloads the relay signs and delivers to the bot. The page's own
 * words follow the language of the person one is playing (words.ts).
 */
import { renderChannel, reveal } from './channel.js';
import { confirmClick } from './confirm.js';
import { byId, closest, esc, localTs } from './dom.js';
import { homeArrived, homeClicked, openHome, showTab, threadOfLink } from './home.js';
import { closeModal, dispatchChoice, loadOptions, showModal, submitModal, viewArrived } from './modal.js';
import { choose, closePicker, forget, openPicker } from './pickers.js';
import { answerBody, command, interaction } from './relay.js';
import { configurePeer, type PeerTarget, refreshSite, renderSite, setTunnel } from './site.js';
import { addEphemeral, personLabel, state, upsertMessage, words } from './state.js';
import type { Block, ConfirmObject, Ephemeral, HomeView, Message, PlaygroundState, View } from './types.js';
import { langOf } from './words.js';

/** The person last chosen, so that a reload keeps them. */
const USER_KEY = 'gateway-playground.user';

/** A note from the page itself or an answer to a command, shown like an ephemeral answer by the command box. */
function note(text: string, blocks?: Block[]): void {
  state.ephemerals.push({ message_ts: localTs(), user: state.user, text, ...(blocks ? { blocks } : {}) });
  renderChannel();
}

async function typed(text: string): Promise<void> {
  // What answers a command belongs by the command box, not under a button clicked a moment ago.
  state.lastClick = undefined;
  const w = words();
  if (!text.startsWith('/')) {
    note(w.onlySlash(state.slashCommand));
    return;
  }
  // Slack itself answers a command no app registered, at once; the bot never hears of it.
  if (text.split(/\s+/)[0] !== state.slashCommand) {
    note(w.unknownCommand(state.slashCommand));
    return;
  }
  const answer = await command(text);
  if (answer.status !== 200) {
    note(w.noAnswer(answer.status));
    return;
  }
  const body = answerBody(answer);
  if (typeof body.text === 'string' || Array.isArray(body.blocks))
    note(String(body.text ?? ''), body.blocks as Block[] | undefined);
}

async function clicked(button: HTMLElement): Promise<void> {
  const { ts = '', pane, actionId, blockId, value, confirm } = button.dataset;
  if (confirm && !(await confirmClick(JSON.parse(confirm) as ConfirmObject))) return;
  state.lastClick = { ts, pane: pane === 'thread' ? 'thread' : 'channel', user: state.user, at: Date.now() };
  // As Slack sends it: a reply in a thread names its thread, and the bot answers there.
  const threadTs = state.messages.find((m) => m.ts === ts)?.thread_ts;
  const thread = threadTs ? { thread_ts: threadTs } : {};
  await interaction({
    type: 'block_actions',
    channel: state.channel.id,
    container: { type: 'message', message_ts: ts, channel_id: state.channel.id, ...thread },
    message: { ts, ...thread },
    actions: [
      { type: 'button', action_id: actionId, block_id: blockId, value, action_ts: String(Date.now() / 1000) },
    ],
  });
}

/**
 * An option chosen in a message's select, sent as Slack sends it: the option, the select's action
 * and block ids, and for an ephemeral answer a container that says so (Slack keeps no copy of it,
 * so there is no `message`). The answer it brings sits where the one it was chosen in sits.
 */
async function selected(select: HTMLSelectElement): Promise<void> {
  const { ts = '', actionId, blockId, inEphemeral } = select.dataset;
  const chosen = select.selectedOptions[0];
  if (!chosen) return;
  const ephemeral = inEphemeral ? state.ephemerals.find((e) => e.message_ts === ts) : undefined;
  const anchor = ephemeral?.anchor;
  if (anchor) state.lastClick = { ...anchor, user: state.user, at: Date.now() };
  const threadTs = ephemeral?.thread_ts ?? state.messages.find((m) => m.ts === ts)?.thread_ts;
  const thread = threadTs ? { thread_ts: threadTs } : {};
  await interaction({
    type: 'block_actions',
    channel: state.channel.id,
    container: {
      type: 'message',
      message_ts: ts,
      channel_id: state.channel.id,
      is_ephemeral: Boolean(inEphemeral),
      ...thread,
    },
    ...(inEphemeral ? {} : { message: { ts, ...thread } }),
    actions: [
      {
        type: 'static_select',
        action_id: actionId,
        block_id: blockId,
        selected_option: {
          text: { type: 'plain_text', text: chosen.textContent ?? '' },
          value: chosen.value,
        },
        action_ts: String(Date.now() / 1000),
      },
    ],
  });
}

async function peerClicked(button: HTMLButtonElement): Promise<void> {
  const { peerConnection, peerGateway } = button.dataset;
  const target: PeerTarget | undefined = peerConnection
    ? { vpnConnectionId: peerConnection }
    : peerGateway
      ? { customerGatewayId: peerGateway }
      : undefined;
  if (!target) return;
  button.disabled = true;
  try {
    const refused = await configurePeer(target);
    if (refused) note(words().peerRefused(refused));
    await refreshSite();
    renderSite();
    renderChannel();
  } finally {
    button.disabled = false;
  }
}

async function tunnelClicked(button: HTMLButtonElement): Promise<void> {
  const { tunnelConnection, tunnelIndex, tunnelUp } = button.dataset;
  if (!tunnelConnection || !tunnelIndex) return;
  button.disabled = true;
  try {
    const refused = await setTunnel(tunnelConnection, Number(tunnelIndex), tunnelUp === 'true');
    if (refused) note(words().tunnelRefused(refused));
    await refreshSite();
    renderSite();
  } finally {
    button.disabled = false;
  }
}

/**
 * Reads the simulated account again after the bot said something (a resource may be new or
 * gone): one read at a time, and one more when something was said during it.
 */
let siteReading = false;
let siteStale = false;
function refreshSiteSoon(): void {
  if (!state.site.sandbox) return;
  if (siteReading) {
    siteStale = true;
    return;
  }
  siteReading = true;
  void refreshSite()
    .then((changed) => {
      if (!changed) return;
      renderSite();
      renderChannel();
    })
    .finally(() => {
      siteReading = false;
      if (siteStale) {
        siteStale = false;
        refreshSiteSoon();
      }
    });
}

/** The page's own words, in the language of the person one is playing. */
function speak(): void {
  const w = words();
  document.documentElement.lang = langOf(state.users.find((u) => u.id === state.user)?.locale);
  document.title = w.title;
  for (const element of document.querySelectorAll<HTMLElement>('[data-word]')) {
    const text = w[element.dataset.word as keyof typeof w];
    if (typeof text === 'string') element.textContent = text;
  }
  byId('close-thread').title = w.closeThread;
  byId<HTMLInputElement>('composer').placeholder = w.composer(state.slashCommand);
  const switcher = byId<HTMLSelectElement>('user-switch');
  for (const option of switcher.options) {
    const user = state.users.find((u) => u.id === option.value);
    if (user) option.textContent = personLabel(user);
  }
}

function pickerOf(target: EventTarget | null): HTMLElement | null {
  return closest<HTMLInputElement>(target, '.ext-input') ? closest(target, '.ext') : null;
}

function wire(): void {
  document.addEventListener('focusin', (ev) => {
    const picker = pickerOf(ev.target);
    if (!picker) return;
    (ev.target as HTMLInputElement).select();
    void openPicker(picker, '', loadOptions);
  });
  document.addEventListener('focusout', (ev) => {
    const picker = pickerOf(ev.target);
    if (picker && !picker.contains(ev.relatedTarget as Node | null)) closePicker(picker);
  });
  document.addEventListener('input', (ev) => {
    const picker = pickerOf(ev.target);
    if (!picker) return;
    forget(picker);
    void openPicker(picker, (ev.target as HTMLInputElement).value, loadOptions);
  });
  document.addEventListener('keydown', (ev) => {
    const picker = pickerOf(ev.target);
    if (!picker) return;
    if (ev.key === 'Escape') {
      ev.preventDefault();
      (ev.target as HTMLInputElement).blur();
    }
    const first = picker.querySelector<HTMLElement>('.ext-list:not([hidden]) li[data-value]');
    if (ev.key === 'Enter' && first) {
      ev.preventDefault();
      first.click();
    }
  });
  // Keeps the focus in the picker's input while an option is clicked.
  document.addEventListener('mousedown', (ev) => {
    if (closest(ev.target, '.ext-list')) ev.preventDefault();
  });
  document.addEventListener('change', (ev) => {
    const element = closest(ev.target, '#modal-body [data-type]');
    if (element) void dispatchChoice(element);
    const select = closest<HTMLSelectElement>(ev.target, 'select.msg-select');
    if (select) void selected(select);
  });
  document.addEventListener('click', (ev) => {
    const option = closest(ev.target, '.ext-list li[data-value]');
    if (option) {
      const picker = closest(option, '.ext');
      if (!picker) return;
      choose(picker, { value: option.dataset.value ?? '', label: option.textContent ?? '' });
      picker.querySelector<HTMLInputElement>('.ext-input')?.blur();
      void dispatchChoice(picker);
      return;
    }
    const thread = closest(ev.target, '[data-open-thread]');
    if (thread) {
      state.openThread = thread.dataset.openThread;
      renderChannel();
      return;
    }
    const peer = closest<HTMLButtonElement>(
      ev.target,
      'button[data-peer-connection], button[data-peer-gateway]',
    );
    if (peer) {
      void peerClicked(peer);
      return;
    }
    const tunnel = closest<HTMLButtonElement>(ev.target, 'button[data-tunnel-connection]');
    if (tunnel) {
      void tunnelClicked(tunnel);
      return;
    }
    const link = closest<HTMLAnchorElement>(ev.target, '#home a[href]');
    const linked = link ? threadOfLink(link.href) : undefined;
    if (linked) {
      ev.preventDefault();
      state.atHome = false;
      state.openThread = linked;
      showTab();
      renderChannel();
      return;
    }
    const inHome = closest(ev.target, '#home button[data-action-id]');
    if (inHome) {
      void homeClicked(inHome);
      return;
    }
    const button = closest(ev.target, '#messages button[data-action-id], #thread button[data-action-id]');
    if (button) void clicked(button);
  });

  byId('close-thread').onclick = () => {
    state.openThread = undefined;
    renderChannel();
  };
  byId('tab-home').onclick = () => void openHome();
  byId('tab-channel').onclick = () => {
    state.atHome = false;
    showTab();
  };
  byId('modal-close').onclick = closeModal;
  byId('modal-submit').onclick = () => void submitModal();
  const composer = byId<HTMLInputElement>('composer');
  composer.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    const text = composer.value.trim();
    if (!text) return;
    composer.value = '';
    void typed(text);
  });
  const switcher = byId<HTMLSelectElement>('user-switch');
  switcher.onchange = () => {
    state.user = switcher.value;
    localStorage.setItem(USER_KEY, state.user);
    state.view = undefined;
    speak();
    showModal();
    renderSite();
    renderChannel();
    // The Home tab is each person's own: the one now chosen opens theirs.
    if (state.atHome) void openHome();
  };
}

function follow(): void {
  const events = new EventSource('/playground/events');
  events.addEventListener('message', (e: MessageEvent<string>) => {
    upsertMessage(JSON.parse(e.data) as Message);
    renderChannel();
    refreshSiteSoon();
  });
  events.addEventListener('update', (e: MessageEvent<string>) => {
    upsertMessage(JSON.parse(e.data) as Message);
    renderChannel();
    refreshSiteSoon();
  });
  events.addEventListener('ephemeral', (e: MessageEvent<string>) => {
    const answer = addEphemeral(JSON.parse(e.data) as Ephemeral);
    renderChannel();
    if (answer.user === state.user) reveal(answer);
  });
  events.addEventListener('view', (e: MessageEvent<string>) => viewArrived(JSON.parse(e.data) as View));
  events.addEventListener('home', (e: MessageEvent<string>) => homeArrived(JSON.parse(e.data) as HomeView));
}

async function boot(): Promise<void> {
  const s = (await (await fetch('/playground/state')).json()) as PlaygroundState;
  state.users = s.users;
  state.roles = s.roles;
  state.channel = s.channel;
  state.slashCommand = s.slashCommand;
  const remembered = localStorage.getItem(USER_KEY);
  state.user = s.users.find((u) => u.id === remembered)?.id ?? s.users[0]?.id ?? '';
  state.messages = s.channels.find((c) => c.id === s.channel.id)?.messages ?? [];
  for (const home of s.homes) state.homes.set(home.user, home);
  byId('sandbox').hidden = !s.sandbox;
  byId('channel-name').textContent = s.channel.name;
  const switcher = byId<HTMLSelectElement>('user-switch');
  switcher.innerHTML = s.users.map((u) => `<option value="${esc(u.id)}"></option>`).join('');
  switcher.value = state.user;
  speak();
  if (s.sandbox) await refreshSite();
  wire();
  renderSite();
  renderChannel();
  follow();
  document.body.dataset.ready = '1';
}
void boot();
