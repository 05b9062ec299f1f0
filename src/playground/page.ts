/**
 * The playground page: a small chat client in one HTML document (no build step) that renders the
 * bot's real Block Kit messages and modals and sends what a person does to the relay.
 */
export const PLAYGROUND_PAGE = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gateway bot playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Noto Sans SC", sans-serif; color: #1d1c1d; background: #fff; }
  header { display: flex; align-items: center; gap: 12px; padding: 8px 16px; background: #3f0e40; color: #fff; }
  header h1 { font-size: 16px; margin: 0; flex: 1; }
  header select { font: inherit; padding: 2px 6px; }
  .badge { background: #e8a723; color: #1d1c1d; border-radius: 4px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
  main { display: flex; height: calc(100vh - 44px); }
  #channel { flex: 1; display: flex; flex-direction: column; min-width: 0; border-right: 1px solid #ddd; }
  .pane-title { padding: 10px 16px; border-bottom: 1px solid #ddd; font-weight: 700; }
  #messages, #thread-messages { flex: 1; overflow-y: auto; padding: 8px 16px; }
  #thread { width: 44%; display: none; flex-direction: column; }
  #thread.open { display: flex; }
  .message { padding: 8px 4px; border-radius: 6px; }
  .message:hover { background: #f8f8f8; }
  .message .who { font-weight: 700; }
  .message .who small { font-weight: 400; color: #616061; margin-left: 6px; }
  .message.ephemeral { background: #f4f9ff; border-left: 3px solid #1264a3; }
  .message.ephemeral .note { font-size: 12px; color: #616061; }
  .replies { color: #1264a3; cursor: pointer; font-size: 13px; margin-top: 4px; background: none; border: 0; padding: 0; }
  .broadcast-note { font-size: 12px; color: #616061; }
  .block-section, .block-context { margin: 4px 0; white-space: pre-wrap; word-wrap: break-word; }
  .block-context { font-size: 13px; color: #616061; }
  .block-actions { display: flex; gap: 8px; margin: 6px 0; }
  button.btn { font: inherit; border: 1px solid #ccc; background: #fff; border-radius: 4px; padding: 3px 12px; cursor: pointer; font-weight: 600; }
  button.btn.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
  button.btn.danger { color: #e01e5a; border-color: #e01e5a; }
  code { background: #f3f3f3; border: 1px solid #e5e5e5; border-radius: 3px; padding: 0 3px; font-size: 13px; }
  .mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
  #composer-row { padding: 12px 16px; border-top: 1px solid #ddd; }
  #composer { width: 100%; font: inherit; padding: 10px; border: 1px solid #aaa; border-radius: 6px; }
  #overlay { position: fixed; inset: 0; background: rgba(0,0,0,.45); display: none; align-items: flex-start; justify-content: center; padding-top: 5vh; }
  #overlay.open { display: flex; }
  .modal { background: #fff; width: 560px; max-height: 90vh; border-radius: 8px; display: flex; flex-direction: column; box-shadow: 0 10px 40px rgba(0,0,0,.3); }
  .modal h2 { margin: 0; padding: 16px 20px; font-size: 20px; border-bottom: 1px solid #ddd; }
  .modal .body { overflow-y: auto; padding: 12px 20px; }
  .modal .foot { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 20px; border-top: 1px solid #ddd; }
  .input-block { margin: 12px 0; }
  .input-block label.title { display: block; font-weight: 700; margin-bottom: 4px; }
  .input-block .optional { font-weight: 400; color: #616061; }
  .input-block input[type=text], .input-block textarea, .input-block select { width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #aaa; border-radius: 4px; }
  .input-block .hint { font-size: 12px; color: #616061; margin-top: 3px; }
  .input-block .field-error { color: #e01e5a; font-size: 13px; margin-top: 3px; }
  .input-block.has-error input, .input-block.has-error select { border-color: #e01e5a; }
  .choice { display: block; margin: 2px 0; }
  .ext { position: relative; }
  .ext ul { position: absolute; z-index: 5; left: 0; right: 0; top: 100%; margin: 0; padding: 0; list-style: none; background: #fff; border: 1px solid #aaa; max-height: 220px; overflow-y: auto; display: none; }
  .ext ul.open { display: block; }
  .ext li { padding: 5px 8px; cursor: pointer; }
  .ext li:hover { background: #1264a3; color: #fff; }
</style>
</head>
<body>
<header>
  <h1>Gateway bot playground <span id="sandbox" class="badge" hidden>SANDBOX</span></h1>
  <label>You are <select id="user-switch" data-testid="user-switch"></select></label>
</header>
<main>
  <section id="channel">
    <div class="pane-title">#<span id="channel-name"></span></div>
    <div id="messages" data-testid="messages"></div>
    <div id="composer-row"><input id="composer" data-testid="composer" placeholder="Type /gateway vpn, /gateway customer, /gateway help …" autocomplete="off"></div>
  </section>
  <section id="thread" data-testid="thread">
    <div class="pane-title">Thread <button class="btn" id="close-thread" style="float:right">×</button></div>
    <div id="thread-messages"></div>
  </section>
</main>
<div id="overlay"><div class="modal" data-testid="modal"><h2 id="modal-title"></h2><div class="body" id="modal-body"></div>
  <div class="foot"><button class="btn" id="modal-close"></button><button class="btn primary" id="modal-submit" data-testid="modal-submit"></button></div></div></div>
<script>
const state = { users: [], user: null, channel: null, messages: [], ephemerals: [], openThread: null, view: null, errors: {} };
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const EMOJI = { white_check_mark: '✅', x: '❌', grey_question: '❔', hourglass_flowing_sand: '⏳', hourglass: '⌛', gear: '⚙️', satellite_antenna: '📡',
  large_green_circle: '🟢', red_circle: '🔴', no_entry: '⛔', heavy_multiplication_x: '✖️', alarm_clock: '⏰', tada: '🎉', warning: '⚠️',
  test_tube: '🧪', ballot_box_with_check: '☑️' };
function userName(id) { const u = state.users.find((x) => x.id === id); return u ? u.real_name : id; }
function mrkdwn(text) {
  let s = esc(text);
  s = s.replace(/&lt;!date\^\d+\^[^|]*\|([^&]*)&gt;/g, (_, f) => new Date(f).toLocaleString());
  s = s.replace(/&lt;@([A-Z0-9]+)&gt;/g, (_, id) => '<span class="mention">@' + esc(userName(id)) + '</span>');
  s = s.replace(/\x60([^\x60]+)\x60/g, '<code>$1</code>');
  s = s.replace(/\*([^*\n]+)\*/g, '<b>$1</b>');
  s = s.replace(/:([a-z_]+):/g, (m, n) => EMOJI[n] ?? m);
  return s;
}
function plain(t) { return esc(t && t.text); }
function renderBlocks(blocks, ctx) {
  return (blocks || []).map((b) => {
    if (b.type === 'section') return '<div class="block-section">' + (b.text ? (b.text.type === 'mrkdwn' ? mrkdwn(b.text.text) : plain(b.text)) : '') + '</div>';
    if (b.type === 'context') return '<div class="block-context">' + b.elements.map((e) => e.type === 'mrkdwn' ? mrkdwn(e.text) : plain(e)).join(' ') + '</div>';
    if (b.type === 'header') return '<h3>' + plain(b.text) + '</h3>';
    if (b.type === 'divider') return '<hr>';
    if (b.type === 'actions') return '<div class="block-actions">' + b.elements.filter((e) => e.type === 'button').map((e) =>
      '<button class="btn ' + (e.style || '') + '" data-action-id="' + esc(e.action_id) + '" data-value="' + esc(e.value) + '" data-block-id="' + esc(b.block_id || '') + '" data-ts="' + esc(ctx.ts) + '">' + plain(e.text) + '</button>').join('') + '</div>';
    if (b.type === 'input' && ctx.modal) return renderInput(b);
    return '';
  }).join('');
}
function renderInput(b) {
  const e = b.element; const id = b.block_id; const err = state.errors[id];
  let field = '';
  if (e.type === 'plain_text_input') {
    field = e.multiline ? '<textarea rows="3" data-block-id="' + id + '" data-action-id="' + e.action_id + '" data-type="plain_text_input">' + esc(e.initial_value || '') + '</textarea>'
      : '<input type="text" data-block-id="' + id + '" data-action-id="' + e.action_id + '" data-type="plain_text_input" value="' + esc(e.initial_value || '') + '" placeholder="' + plain(e.placeholder) + '">';
  } else if (e.type === 'static_select') {
    field = '<select data-block-id="' + id + '" data-action-id="' + e.action_id + '" data-type="static_select"><option value="">' + (plain(e.placeholder) || 'Choose') + '</option>' +
      e.options.map((o) => '<option value="' + esc(o.value) + '"' + (e.initial_option && e.initial_option.value === o.value ? ' selected' : '') + '>' + plain(o.text) + '</option>').join('') + '</select>';
  } else if (e.type === 'radio_buttons' || e.type === 'checkboxes') {
    const kind = e.type === 'radio_buttons' ? 'radio' : 'checkbox';
    const chosen = e.type === 'radio_buttons' ? [e.initial_option && e.initial_option.value] : (e.initial_options || []).map((o) => o.value);
    field = '<div data-block-id="' + id + '" data-action-id="' + e.action_id + '" data-type="' + e.type + '"' + (b.dispatch_action ? ' data-dispatch="1"' : '') + '>' + e.options.map((o) =>
      '<label class="choice"><input type="' + kind + '" name="' + id + '" value="' + esc(o.value) + '"' + (chosen.includes(o.value) ? ' checked' : '') + '> ' + plain(o.text) + '</label>').join('') + '</div>';
  } else if (e.type === 'external_select') {
    field = '<div class="ext" data-block-id="' + id + '" data-action-id="' + e.action_id + '" data-type="external_select"><input type="text" class="ext-input" placeholder="' + (plain(e.placeholder) || 'Choose') + '" autocomplete="off"><ul></ul></div>';
  }
  return '<div class="input-block' + (err ? ' has-error' : '') + '" data-input-block="' + id + '"><label class="title">' + plain(b.label) + (b.optional ? ' <span class="optional">(optional)</span>' : '') + '</label>' + field +
    (b.hint ? '<div class="hint">' + plain(b.hint) + '</div>' : '') + (err ? '<div class="field-error" data-testid="field-error">' + esc(err) + '</div>' : '') + '</div>';
}
function viewState() {
  const values = {};
  for (const el of $('modal-body').querySelectorAll('[data-block-id][data-type]')) {
    const block = el.dataset.blockId, action = el.dataset.actionId, type = el.dataset.type;
    let v;
    if (type === 'plain_text_input') v = { type, value: el.value || null };
    else if (type === 'static_select') v = { type, selected_option: el.value ? { value: el.value } : null };
    else if (type === 'radio_buttons') { const c = el.querySelector('input:checked'); v = { type, selected_option: c ? { value: c.value } : null }; }
    else if (type === 'checkboxes') v = { type, selected_options: [...el.querySelectorAll('input:checked')].map((c) => ({ value: c.value })) };
    else if (type === 'external_select') v = { type, selected_option: el.dataset.value ? { value: el.dataset.value } : null };
    values[block] = { [action]: v };
  }
  return { values };
}
function viewPayload() {
  const v = state.view;
  return { id: v.id, hash: v.hash, callback_id: v.view.callback_id, private_metadata: v.view.private_metadata, type: 'modal', state: viewState(), blocks: v.view.blocks, title: v.view.title };
}
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}
function interaction(payload) { return post('/playground/interaction', { user: state.user, payload }); }
function renderMessage(m, inThread) {
  const ts = m.ts;
  const replies = !inThread && m.replies && m.replies.length ? '<button class="replies" data-open-thread="' + ts + '">' + m.replies.length + ' repl' + (m.replies.length === 1 ? 'y' : 'ies') + '</button>' : '';
  const broadcast = !inThread && m.thread_ts && m.thread_ts !== m.ts ? '<div class="broadcast-note">replied to a thread</div>' : '';
  return '<div class="message" data-testid="message" data-ts="' + ts + '"><div class="who">gateway-bot <small>' + new Date(Number(ts) * 1000).toLocaleTimeString() + '</small></div>' + broadcast +
    (m.blocks ? renderBlocks(m.blocks, { ts }) : '<div class="block-section">' + mrkdwn(m.text) + '</div>') + replies + '</div>';
}
function renderEphemeral(e) {
  return '<div class="message ephemeral" data-testid="ephemeral"><div class="note">Only visible to you</div>' + (e.blocks ? renderBlocks(e.blocks, {}) : '<div class="block-section">' + mrkdwn(e.text) + '</div>') + '</div>';
}
function render() {
  const roots = state.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast);
  const mine = state.ephemerals.filter((e) => e.user === state.user && !e.thread_ts);
  const items = [...roots.map((m) => ({ at: Number(m.ts), html: renderMessage(m, false) })), ...mine.map((e) => ({ at: Number(e.message_ts), html: renderEphemeral(e) }))].sort((a, b) => a.at - b.at);
  const box = $('messages'); const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.innerHTML = items.map((i) => i.html).join('');
  if (atBottom) box.scrollTop = box.scrollHeight;
  if (state.openThread) {
    const parent = state.messages.find((m) => m.ts === state.openThread);
    const replies = state.messages.filter((m) => m.thread_ts === state.openThread && m.ts !== state.openThread);
    $('thread-messages').innerHTML = (parent ? renderMessage(parent, true) : '') + '<hr>' + replies.map((m) => renderMessage(m, true)).join('');
    $('thread').classList.add('open');
  } else $('thread').classList.remove('open');
}
function renderModal() {
  const v = state.view;
  if (!v) { $('overlay').classList.remove('open'); return; }
  $('modal-title').textContent = v.view.title ? v.view.title.text : '';
  $('modal-submit').textContent = v.view.submit ? v.view.submit.text : 'Submit';
  $('modal-close').textContent = v.view.close ? v.view.close.text : 'Cancel';
  $('modal-body').innerHTML = renderBlocks(v.view.blocks, { modal: true });
  $('overlay').classList.add('open');
}
async function loadOptions(ext, typed) {
  const answer = await interaction({ type: 'block_suggestion', action_id: ext.dataset.actionId, block_id: ext.dataset.blockId, value: typed, container: { type: 'view', view_id: state.view.id }, view: viewPayload() });
  const options = (answer.body && answer.body.options) || [];
  const ul = ext.querySelector('ul');
  ul.innerHTML = options.map((o) => '<li data-value="' + esc(o.value) + '">' + plain(o.text) + '</li>').join('');
  ul.classList.add('open');
}
document.addEventListener('focusin', (ev) => { const ext = ev.target.closest && ev.target.closest('.ext'); if (ext && ev.target.classList.contains('ext-input')) loadOptions(ext, ev.target.value); });
document.addEventListener('input', (ev) => { const ext = ev.target.closest && ev.target.closest('.ext'); if (ext) { ext.dataset.value = ''; loadOptions(ext, ev.target.value); } });
document.addEventListener('change', async (ev) => {
  const group = ev.target.closest && ev.target.closest('[data-dispatch]');
  if (!group || !state.view) return;
  await interaction({ type: 'block_actions', container: { type: 'view', view_id: state.view.id }, view: viewPayload(),
    actions: [{ type: group.dataset.type, action_id: group.dataset.actionId, block_id: group.dataset.blockId, action_ts: String(Date.now() / 1000) }] });
});
document.addEventListener('click', async (ev) => {
  const li = ev.target.closest && ev.target.closest('.ext li');
  if (li) { const ext = li.closest('.ext'); ext.dataset.value = li.dataset.value; ext.querySelector('.ext-input').value = li.textContent; li.parentElement.classList.remove('open'); return; }
  const open = ev.target.closest && ev.target.closest('[data-open-thread]');
  if (open) { state.openThread = open.dataset.openThread; render(); return; }
  const btn = ev.target.closest && ev.target.closest('button[data-action-id]');
  if (btn) {
    await interaction({ type: 'block_actions', channel: state.channel.id, container: { type: 'message', message_ts: btn.dataset.ts, channel_id: state.channel.id },
      message: { ts: btn.dataset.ts }, actions: [{ type: 'button', action_id: btn.dataset.actionId, block_id: btn.dataset.blockId, value: btn.dataset.value, action_ts: String(Date.now() / 1000) }] });
  }
});
$('close-thread').onclick = () => { state.openThread = null; render(); };
$('modal-close').onclick = () => { state.view = null; state.errors = {}; renderModal(); };
$('modal-submit').onclick = async () => {
  const answer = await interaction({ type: 'view_submission', view: viewPayload() });
  const body = answer.body || {};
  if (body.response_action === 'errors') { state.errors = body.errors || {}; const saved = viewState(); renderModal(); restore(saved); return; }
  state.view = null; state.errors = {}; renderModal();
};
function restore(saved) {
  for (const [block, actions] of Object.entries(saved.values)) {
    const v = Object.values(actions)[0]; const el = $('modal-body').querySelector('[data-block-id="' + block + '"][data-type]');
    if (!el || !v) continue;
    if (v.type === 'plain_text_input') el.value = v.value || '';
    else if (v.type === 'static_select') el.value = v.selected_option ? v.selected_option.value : '';
    else if (v.type === 'external_select' && v.selected_option) { el.dataset.value = v.selected_option.value; el.querySelector('.ext-input').value = v.selected_option.value; }
    else if (v.type === 'radio_buttons' || v.type === 'checkboxes') {
      const chosen = v.type === 'radio_buttons' ? [v.selected_option && v.selected_option.value] : v.selected_options.map((o) => o.value);
      for (const input of el.querySelectorAll('input')) input.checked = chosen.includes(input.value);
    }
  }
}
$('composer').addEventListener('keydown', async (ev) => {
  if (ev.key !== 'Enter') return;
  const text = ev.target.value.trim(); if (!text) return;
  ev.target.value = '';
  if (!text.startsWith('/')) { state.ephemerals.push({ user: state.user, message_ts: String(Date.now() / 1000), text: 'This playground channel only takes slash commands, such as /gateway help.' }); render(); return; }
  const answer = await post('/playground/command', { user: state.user, text });
  if (answer.status !== 200) { state.ephemerals.push({ user: state.user, message_ts: String(Date.now() / 1000), text: 'The bot answered HTTP ' + answer.status }); render(); return; }
  const body = answer.body;
  if (body && typeof body === 'object' && (body.text || body.blocks)) { state.ephemerals.push({ user: state.user, message_ts: String(Date.now() / 1000), text: body.text, blocks: body.blocks }); render(); }
});
$('user-switch').onchange = (ev) => { state.user = ev.target.value; state.view = null; renderModal(); render(); };
function upsert(m) { const i = state.messages.findIndex((x) => x.ts === m.ts); if (i >= 0) state.messages[i] = m; else state.messages.push(m); }
async function boot() {
  const s = await (await fetch('/playground/state')).json();
  state.users = s.users; state.channel = s.channel; state.user = s.users[0].id;
  $('sandbox').hidden = !s.sandbox; $('channel-name').textContent = s.channel.name;
  $('user-switch').innerHTML = s.users.map((u) => '<option value="' + u.id + '">' + esc(u.real_name) + '</option>').join('');
  const channel = s.channels.find((c) => c.id === s.channel.id); state.messages = channel ? channel.messages : [];
  render();
  const events = new EventSource('/playground/events');
  events.addEventListener('message', (e) => { const m = JSON.parse(e.data); upsert(m);
    if (m.thread_ts && m.thread_ts !== m.ts) { const p = state.messages.find((x) => x.ts === m.thread_ts); if (p) { p.replies = p.replies || []; if (!p.replies.includes(m.ts)) p.replies.push(m.ts); } }
    render(); });
  events.addEventListener('update', (e) => { upsert(JSON.parse(e.data)); render(); });
  events.addEventListener('ephemeral', (e) => { state.ephemerals.push(JSON.parse(e.data)); render(); });
  events.addEventListener('view', (e) => { const v = JSON.parse(e.data); if (!v.user || v.user === state.user) { const saved = state.view && state.view.id === v.id ? viewState() : null; state.view = v; state.errors = {}; renderModal(); if (saved) restore(saved); } });
  document.body.dataset.ready = '1';
}
boot();
</script>
</body>
</html>`;
