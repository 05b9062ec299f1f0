/**
 * The on-premises side, which Slack has no part in: in sandbox mode a panel lists the simulated
 * account's customer gateways and IPsec connections with their tunnels, and a "Configure the
 * peer" button — on each of them, and under an IPsec connection's result in the channel and the
 * thread — stands for configuring the office's VPN device. The relay passes it to the simulator
 * (sandbox.ts on the server); the bot is told nothing and finds the tunnels up on its own.
 */
import { byId, esc } from './dom.js';
import { state, words } from './state.js';
import type { Block, Message, SandboxListing } from './types.js';

export type PeerTarget = { customerGatewayId: string } | { vpnConnectionId: string };

/** Reads the simulated account again; true when something the page shows changed. */
export async function refreshSite(): Promise<boolean> {
  // A read that fails leaves the panel as it was; the next message reads again.
  const res = await fetch('/playground/sandbox').catch(() => undefined);
  if (!res?.ok) return false;
  const next = (await res.json()) as SandboxListing;
  const changed = JSON.stringify(next) !== JSON.stringify(state.site);
  state.site = next;
  for (const c of next.connections) if (c.configured) state.peersConfigured.add(c.id);
  return changed;
}

/** Tells the simulator the peer is configured; the refusal's words when it would not. */
export async function configurePeer(target: PeerTarget): Promise<string | undefined> {
  const res = await fetch('/playground/peer', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(target),
  });
  if (res.ok) return undefined;
  const body = (await res.json().catch(() => ({}))) as { message?: unknown; error?: unknown };
  return String(body.message ?? body.error ?? `HTTP ${res.status}`);
}

/** Takes a tunnel down on the on-premises side, or lets it back; the refusal's words when it would not. */
export async function setTunnel(
  vpnConnectionId: string,
  tunnel: number,
  up: boolean,
): Promise<string | undefined> {
  const res = await fetch('/playground/tunnel', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ vpnConnectionId, tunnel, up }),
  });
  if (res.ok) return undefined;
  const body = (await res.json().catch(() => ({}))) as { message?: unknown; error?: unknown };
  return String(body.message ?? body.error ?? `HTTP ${res.status}`);
}

/** "Take tunnel N down" beside a tunnel that is up, "Bring tunnel N back" beside one taken down. */
function tunnelButton(connection: string, t: { index: number; up: boolean; takenDown: boolean }): string {
  if (!t.up && !t.takenDown) return '';
  const label = t.takenDown ? words().bringTunnelBack(t.index) : words().takeTunnelDown(t.index);
  return (
    ` <button class="btn peer" data-tunnel-connection="${esc(connection)}" data-tunnel-index="${t.index}"` +
    ` data-tunnel-up="${t.takenDown}">${esc(label)}</button>`
  );
}

function peerButton(attribute: 'data-peer-connection' | 'data-peer-gateway', id: string): string {
  return `<button class="btn peer" ${attribute}="${esc(id)}">${esc(words().configurePeer)}</button>`;
}

const configuredMark = () => `<span class="peer-done">✔ ${esc(words().peerConfigured)}</span>`;

export function renderSite(): void {
  const panel = byId('site');
  panel.hidden = !state.site.sandbox;
  if (!state.site.sandbox) return;
  const w = words();
  const none = `<li class="none">${esc(w.noneYet)}</li>`;
  const connections = state.site.connections.map(
    (c) =>
      `<li data-testid="site-connection" data-id="${esc(c.id)}"><b>${esc(c.name || c.id)}</b> <code>${esc(c.id)}</code>` +
      `<div class="tunnels">${c.tunnels
        .map(
          (t) =>
            `<span class="${t.up ? 'up' : 'down'}">${esc(w.tunnel(t.index, t.up))}` +
            `${t.bgp ? esc(w.bgp(t.bgp.tunnelCidr, t.bgp.established)) : ''}</span>${tunnelButton(c.id, t)}`,
        )
        .join(' · ')}</div>` +
      `${c.configured ? configuredMark() : peerButton('data-peer-connection', c.id)}</li>`,
  );
  const gateways = state.site.customerGateways.map(
    (g) =>
      `<li data-testid="site-gateway" data-id="${esc(g.id)}">${g.name ? `<b>${esc(g.name)}</b> ` : ''}` +
      `<code>${esc(g.id)}</code><div class="tunnels">${esc(g.ipAddress)} · ${esc(g.regionId)}${g.asn ? ` · ${esc(w.asn(g.asn))}` : ''}</div>` +
      `${g.configured ? configuredMark() : peerButton('data-peer-gateway', g.id)}</li>`,
  );
  byId('site-title').textContent = w.site;
  byId('site-body').innerHTML =
    `<p class="site-intro">${esc(w.siteIntro)}</p>` +
    `<h4>${esc(w.connections)}</h4><ul>${connections.join('') || none}</ul>` +
    `<h4>${esc(w.customerGateways)}</h4><ul>${gateways.join('') || none}</ul>`;
}

function hasButton(blocks: readonly Block[] | undefined, actionId: string): boolean {
  return (blocks ?? []).some((b) => b.type === 'actions' && b.elements.some((e) => e.action_id === actionId));
}

/**
 * The control under an IPsec connection's result: the message that offers its pre-shared key and
 * names a connection the simulated account has (its creation's, or its key rotation's). Once its
 * peer is configured it says so, also after the connection is deleted; empty for every other
 * message.
 */
export function peerControl(m: Message): string {
  // `reveal_psk`: the action id fixed in docs/architecture.md, "Names Slack sees" (src/slack/ids.ts,
  // which the page cannot import).
  if (!state.site.sandbox || !hasButton(m.blocks, 'reveal_psk')) return '';
  const w = words();
  const connection = state.site.connections.find((c) => m.text.includes(c.id));
  // A connection still listed says how it stands now: new keys take its tunnels down until the
  // peer is configured again. A deleted one keeps what the page last saw.
  const configured = connection
    ? connection.configured
    : [...state.peersConfigured].some((id) => m.text.includes(id));
  if (configured)
    return `<div class="peer-control done" data-testid="peer-control">✔ ${esc(w.inlineDone)}</div>`;
  if (!connection) return '';
  return (
    `<div class="peer-control" data-testid="peer-control"><div>🛠️ ${esc(w.inlineHint)}</div>` +
    `${peerButton('data-peer-connection', connection.id)}<div class="peer-note">${esc(w.inlineStandsFor)}</div></div>`
  );
}
