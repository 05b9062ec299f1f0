/**
 * The playground page's HTML and styles: the "your site" panel (sandbox mode), a channel, a thread
 * pane, a command box, a modal and a confirmation dialog. What it does, and every word it shows in
 * the reader's language (elements marked `data-word`), is in the TypeScript modules of `client/`,
 * loaded as ES modules from `/playground/client/` (see assets.ts). Only the title is written here
 * too, so that the page has a name before its script runs.
 */

/** A gateway-ish badge drawn inline, so that the page needs no icon file. */
const FAVICON =
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" +
  "<rect width='32' height='32' rx='7' fill='%233f0e40'/>" +
  "<path d='M8 22V13l8-5 8 5v9h-5v-6h-6v6z' fill='%23e8a723'/></svg>";

const STYLES = `
  * { box-sizing: border-box; }
  body {
    margin: 0; color: #1d1c1d; background: #fff;
    font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Noto Sans SC", sans-serif;
  }
  header {
    display: flex; align-items: center; gap: 12px; padding: 8px 16px; background: #3f0e40; color: #fff;
  }
  header h1 { font-size: 16px; margin: 0; flex: 1; }
  header select { font: inherit; padding: 2px 6px; }
  .badge {
    background: #e8a723; color: #1d1c1d; border-radius: 4px; padding: 1px 8px;
    font-size: 12px; font-weight: 600;
  }
  main { display: flex; height: calc(100vh - 44px); }
  #site { width: 250px; flex: none; overflow-y: auto; background: #f8f5f8; border-right: 1px solid #ddd; }
  #site-body { padding: 0 12px 12px; font-size: 13px; }
  #site .site-intro { color: #616061; }
  #site h4 { margin: 12px 0 4px; }
  #site ul { list-style: none; margin: 0; padding: 0; }
  #site li { padding: 6px 0; border-bottom: 1px solid #e8e3e8; overflow-wrap: anywhere; }
  #site li.none { color: #616061; }
  #site .tunnels { color: #616061; margin: 2px 0 4px; }
  .up { color: #007a5a; }
  .down { color: #a0522d; }
  .peer-done { color: #007a5a; font-weight: 600; }
  button.btn.peer { border-style: dashed; border-color: #a0522d; color: #a0522d; font-size: 13px; }
  .peer-control {
    margin: 6px 0; padding: 6px 10px; border: 1px dashed #a0522d; border-radius: 6px;
    background: #fdf7f0; font-size: 13px; white-space: normal;
  }
  .peer-control .btn { margin: 4px 0; }
  .peer-control .peer-note { color: #616061; }
  .peer-control.done { color: #007a5a; border-color: #007a5a; background: #f2faf6; }
  #channel { flex: 1; display: flex; flex-direction: column; min-width: 0; border-right: 1px solid #ddd; }
  .pane-title { padding: 10px 16px; border-bottom: 1px solid #ddd; font-weight: 700; }
  #messages, #thread-messages, #home { flex: 1; overflow-y: auto; padding: 8px 16px; }
  #home[hidden], #messages[hidden], #composer-row[hidden] { display: none; }
  button.btn.new-below { align-self: center; margin: 4px auto; background: #1264a3; color: #fff; border-color: #1264a3; }
  #messages[hidden] + .new-below { display: none; }
  .pane-title.tabs { display: flex; gap: 4px; padding: 6px 12px; }
  button.tab {
    font: inherit; font-weight: 700; background: none; border: 0; border-bottom: 2px solid transparent;
    padding: 4px 8px; cursor: pointer; color: #616061;
  }
  button.tab.active { color: #1d1c1d; border-bottom-color: #1264a3; }
  #home .block-section .btn { margin-left: 8px; }
  #thread { width: 44%; display: none; flex-direction: column; }
  #thread.open { display: flex; }
  .message { padding: 8px 4px; border-radius: 6px; }
  .message:hover { background: #f8f8f8; }
  .message .who { font-weight: 700; }
  .message .who small { font-weight: 400; color: #616061; margin-left: 6px; }
  .message.ephemeral { background: #f4f9ff; border-left: 3px solid #1264a3; margin: 2px 0 6px 12px; }
  .message.ephemeral .note { font-size: 12px; color: #616061; }
  .replies {
    color: #1264a3; cursor: pointer; font-size: 13px; margin-top: 4px;
    background: none; border: 0; padding: 0;
  }
  .broadcast-note { font-size: 12px; color: #616061; }
  .block-section, .block-context { margin: 4px 0; white-space: pre-wrap; overflow-wrap: break-word; }
  .block-section .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; }
  .block-context { font-size: 13px; color: #616061; }
  .block-actions { display: flex; gap: 8px; margin: 6px 0; }
  button.btn {
    font: inherit; font-weight: 600; border: 1px solid #ccc; background: #fff;
    border-radius: 4px; padding: 3px 12px; cursor: pointer;
  }
  button.btn.primary { background: #007a5a; color: #fff; border-color: #007a5a; }
  button.btn.danger { color: #e01e5a; border-color: #e01e5a; }
  button.btn:disabled { opacity: .6; cursor: progress; }
  code {
    background: #f3f3f3; border: 1px solid #e5e5e5; border-radius: 3px; padding: 0 3px; font-size: 13px;
  }
  .block-section pre {
    background: #f8f8f8; border: 1px solid #e5e5e5; border-radius: 4px; padding: 6px 8px; margin: 4px 0;
    font-size: 12px; white-space: pre; overflow-x: auto;
  }
  select.msg-select { font: inherit; border: 1px solid #ccc; border-radius: 4px; padding: 3px 8px; }
  .mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
  #composer-row { padding: 12px 16px; border-top: 1px solid #ddd; }
  #composer { width: 100%; font: inherit; padding: 10px; border: 1px solid #aaa; border-radius: 6px; }
  .overlay {
    position: fixed; inset: 0; background: rgba(0, 0, 0, .45); display: none;
    align-items: flex-start; justify-content: center; padding-top: 5vh;
  }
  .overlay.open { display: flex; }
  .modal {
    background: #fff; width: 560px; max-height: 90vh; border-radius: 8px;
    display: flex; flex-direction: column; box-shadow: 0 10px 40px rgba(0, 0, 0, .3);
  }
  .modal h2 { margin: 0; padding: 16px 20px; font-size: 20px; border-bottom: 1px solid #ddd; }
  .modal .body { overflow-y: auto; padding: 12px 20px; }
  .modal .foot {
    display: flex; justify-content: flex-end; gap: 8px; padding: 12px 20px; border-top: 1px solid #ddd;
  }
  .modal-error { color: #e01e5a; padding: 0 20px; }
  .input-block { margin: 12px 0; }
  .input-block label.title { display: block; font-weight: 700; margin-bottom: 4px; }
  .input-block .optional { font-weight: 400; color: #616061; }
  .input-block input[type=text], .input-block textarea, .input-block select {
    width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #aaa; border-radius: 4px;
  }
  .input-block .hint { font-size: 12px; color: #616061; margin-top: 3px; }
  .input-block .field-error { color: #e01e5a; font-size: 13px; margin-top: 3px; }
  .input-block.has-error input, .input-block.has-error select { border-color: #e01e5a; }
  .choice { display: block; margin: 2px 0; }
  /* The list takes room in the form, so an open list never covers the field below it. */
  .ext-list {
    margin: 2px 0 0; padding: 0; list-style: none; background: #fff;
    border: 1px solid #aaa; border-radius: 4px; max-height: 220px; overflow-y: auto;
  }
  .ext-list li { padding: 5px 8px; cursor: pointer; }
  .ext-list li:hover { background: #1264a3; color: #fff; }
  .ext-list li.empty { color: #616061; cursor: default; }
  .ext-list li.empty:hover { background: #fff; color: #616061; }
  .confirm { width: 420px; }
  .confirm button.btn.danger { background: #e01e5a; color: #fff; }
  .confirm p { padding: 12px 20px; margin: 0; }
`;

export const PLAYGROUND_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gateway bot playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="${FAVICON}">
<style>${STYLES}</style>
</head>
<body>
<header>
  <h1><span data-word="title"></span> <span id="sandbox" class="badge" data-word="sandbox" hidden></span></h1>
  <label><span data-word="youAre"></span> <select id="user-switch" data-testid="user-switch"></select></label>
</header>
<main>
  <aside id="site" data-testid="site" hidden>
    <div class="pane-title" id="site-title"></div>
    <div id="site-body"></div>
  </aside>
  <section id="channel">
    <div class="pane-title tabs">
      <button class="tab active" id="tab-channel" data-testid="channel-tab">#<span id="channel-name"></span></button>
      <button class="tab" id="tab-home" data-testid="home-tab" data-word="home"></button>
    </div>
    <div id="home" data-testid="home" hidden></div>
    <div id="messages" data-testid="messages"></div>
    <div id="composer-row">
      <input id="composer" data-testid="composer" autocomplete="off">
    </div>
  </section>
  <section id="thread" data-testid="thread">
    <div class="pane-title"><span data-word="thread"></span>
      <button class="btn" id="close-thread" style="float:right">×</button></div>
    <div id="thread-messages"></div>
  </section>
</main>
<div id="overlay" class="overlay">
  <div class="modal" data-testid="modal">
    <h2 id="modal-title"></h2>
    <div class="body" id="modal-body"></div>
    <p class="modal-error" id="modal-error" hidden></p>
    <div class="foot">
      <button class="btn" id="modal-close"></button>
      <button class="btn primary" id="modal-submit" data-testid="modal-submit"></button>
    </div>
  </div>
</div>
<div id="confirm" class="overlay">
  <div class="modal confirm" data-testid="confirm">
    <h2 id="confirm-title"></h2>
    <p id="confirm-text"></p>
    <div class="foot">
      <button class="btn" id="confirm-no"></button><button class="btn" id="confirm-yes"></button>
    </div>
  </div>
</div>
<script type="module" src="/playground/client/main.js"></script>
</body>
</html>`;
