/**
 * BGP in an IPsec-VPN connection's tunnels: `EnableTunnelsBgp` with each tunnel's
 * `TunnelOptionsSpecification.N.TunnelBgpConfig.{TunnelCidr, LocalBgpIp, LocalAsn}` (dual
 * tunnel), or the JSON string `BgpConfig` (`EnableBgp`, `TunnelCidr`, `LocalBgpIp`, `LocalAsn`;
 * single tunnel), checked by Alibaba's rules (alibaba.ts, `BGP_TUNNELS`) and completed with its
 * defaults, then shown by DescribeVpnConnection(s) as the SDK's models name it: per tunnel
 * `TunnelBgpConfig` with `BgpStatus` (`success` or `false`) and string ASNs; single tunnel
 * `VpnBgpConfig` with `Status` and number ASNs. The device's side: its AS number is its customer
 * gateway's, its address the other usable one of the /30; the session is established once the
 * tunnel is (the simulator runs no BGP).
 *
 * Alibaba's error table for CreateVpnConnection names no BGP code; these are chosen (all 400):
 *   InvalidParameter.TunnelCidr          missing with BGP on, not a /30 inside 169.254.0.0/16, or reserved
 *   InvalidParameter.TunnelCidrConflict  the two tunnels' /30s are the same, or another connection of
 *                                        the VPN gateway holds it
 *   InvalidParameter.LocalBgpIp          not one of the /30's two usable addresses
 *   InvalidParameter.LocalAsn            not 1–4294967295 (or high.low)
 *   InvalidParameter.CustomerGatewayAsn  BGP on, and a customer gateway used has no Asn
 */
import { BGP_TUNNELS } from '../alibaba.js';
import { SimError } from '../errors.js';
import type { SimTunnel, SimVpnConnection, SimVpnGateway } from '../state.js';
import type { ActionContext, Params } from './common.js';
import { flatParam, jsonParam } from './ipsec-options.js';
import type { Drafted } from './tunnels.js';

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

function ipNumber(ip: string): number | undefined {
  if (!IPV4.test(ip)) return undefined;
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function ipText(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

const RANGE_BASE = ipNumber(BGP_TUNNELS.range.network) ?? 0;
const RANGE_SIZE = 2 ** (32 - BGP_TUNNELS.range.prefix);
const BLOCK = 2 ** (32 - BGP_TUNNELS.prefix);

const bad = (code: string, message: string) => new SimError(`InvalidParameter.${code}`, 400, message);

/** The /30's network address as a number, when Alibaba accepts it as a tunnel's. */
function tunnelBlock(value: string | undefined, where: string): number {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(value ?? '');
  const base = m ? ipNumber(m[1] as string) : undefined;
  if (value === undefined || value === '')
    throw bad('TunnelCidr', `${where}.TunnelCidr is mandatory when BGP is enabled.`);
  if (base === undefined || Number(m?.[2]) !== BGP_TUNNELS.prefix || base % BLOCK !== 0)
    throw bad('TunnelCidr', `${where}.TunnelCidr ${value} is not a CIDR block with a 30-bit mask.`);
  if (base < RANGE_BASE || base >= RANGE_BASE + RANGE_SIZE)
    throw bad('TunnelCidr', `${where}.TunnelCidr ${value} must fall within 169.254.0.0/16.`);
  if ((BGP_TUNNELS.reserved as readonly string[]).includes(value))
    throw bad('TunnelCidr', `${where}.TunnelCidr ${value} is reserved.`);
  return base;
}

function localAsn(value: unknown, where: string): string {
  if (value === undefined || value === '') return String(BGP_TUNNELS.defaultLocalAsn);
  const text = String(value);
  const dotted = /^(\d{1,5})\.(\d{1,5})$/.exec(text);
  const n = dotted
    ? Number(dotted[1]) <= 65_535 && Number(dotted[2]) <= 65_535
      ? Number(dotted[1]) * 65_536 + Number(dotted[2])
      : 0
    : /^\d{1,10}$/.test(text)
      ? Number(text)
      : 0;
  if (n < 1 || n > BGP_TUNNELS.maxAsn)
    throw bad('LocalAsn', `${where}.LocalAsn ${text} must be from 1 to ${BGP_TUNNELS.maxAsn}.`);
  return String(n);
}

/** One tunnel's BGP settings, checked, with Alibaba's defaults (LocalBgpIp: the /30's first address). */
function settings(raw: Readonly<Record<string, unknown>>, where: string): Record<string, string> {
  const known = ['TunnelCidr', 'LocalBgpIp', 'LocalAsn', 'EnableBgp'];
  const unknown = Object.keys(raw).find((k) => !known.includes(k));
  if (unknown)
    throw bad('TunnelCidr', `${where}.${unknown} is not a BGP setting; known: ${known.join(', ')}.`);
  const cidr = raw.TunnelCidr === undefined ? undefined : String(raw.TunnelCidr);
  const base = tunnelBlock(cidr, where);
  const given = raw.LocalBgpIp === undefined || raw.LocalBgpIp === '' ? undefined : String(raw.LocalBgpIp);
  const ip = given === undefined ? base + 1 : ipNumber(given);
  if (ip === undefined || ip <= base || ip >= base + BLOCK - 1)
    throw bad('LocalBgpIp', `${where}.LocalBgpIp ${given} must be a usable address of ${cidr}.`);
  return { TunnelCidr: cidr as string, LocalBgpIp: ipText(ip), LocalAsn: localAsn(raw.LocalAsn, where) };
}

/**
 * Fills in and checks the drafted connection's BGP settings where BGP is on: each tunnel's /30
 * valid and its own, none held by another connection of the gateway, every customer gateway with
 * an Asn. Off: a dual tunnel keeps what was given as given, as before.
 */
export function applyBgp(p: Params, drafted: Drafted, ctx: ActionContext, gw: SimVpnGateway): void {
  const on = drafted.enableTunnelsBgp || drafted.enableBgp;
  if (!on) return;
  for (const t of drafted.tunnels)
    t.bgp = drafted.enableBgp
      ? settings(jsonParam(p, 'BgpConfig') ?? {}, 'BgpConfig')
      : settings(
          flatParam(p, `TunnelOptionsSpecification.${t.TunnelIndex}.TunnelBgpConfig`),
          `TunnelOptionsSpecification.${t.TunnelIndex}.TunnelBgpConfig`,
        );
  const [one, two] = drafted.tunnels.map((t) => t.bgp.TunnelCidr);
  if (two !== undefined && one === two)
    throw bad('TunnelCidrConflict', `The two tunnels cannot use the same TunnelCidr ${one}.`);
  for (const other of ctx.state.vpnConnections.values()) {
    if (other.VpnGatewayId !== gw.VpnGatewayId || !bgpEnabled(other)) continue;
    const held = other.tunnels.find((t) =>
      drafted.tunnels.some((d) => d.bgp.TunnelCidr === t.bgp.TunnelCidr),
    );
    if (held)
      throw bad(
        'TunnelCidrConflict',
        `TunnelCidr ${held.bgp.TunnelCidr} is already used by IPsec-VPN connection ${other.VpnConnectionId} of VPN gateway ${gw.VpnGatewayId}.`,
      );
  }
  for (const t of drafted.tunnels)
    if (ctx.state.customerGateways.get(t.CustomerGatewayId)?.Asn === undefined)
      throw bad(
        'CustomerGatewayAsn',
        `Customer gateway ${t.CustomerGatewayId} has no ASN; BGP needs one on every customer gateway of the connection.`,
      );
}

export function bgpEnabled(conn: SimVpnConnection): boolean {
  return conn.dual ? conn.EnableTunnelsBgp : conn.enableBgp;
}

/** The device's end of a tunnel's session: its customer gateway's ASN, the /30's other usable address. */
function peer(conn: SimVpnConnection, t: SimTunnel, ctx: ActionContext) {
  const base = (ipNumber((t.bgp.TunnelCidr ?? '').split('/')[0] ?? '') ?? 0) + 1;
  const local = ipNumber(t.bgp.LocalBgpIp ?? '') ?? base;
  const up = ctx.state.tunnelStatus(conn, t) === 'ipsec_sa_established';
  return {
    asn: ctx.state.customerGateways.get(t.CustomerGatewayId)?.Asn,
    ip: ipText(local === base ? base + 1 : base),
    status: up ? 'success' : 'false',
  };
}

/** A dual-tunnel entry's `TunnelBgpConfig`: as given while BGP is off, the session's state when on. */
export function tunnelBgpView(conn: SimVpnConnection, t: SimTunnel, ctx: ActionContext) {
  if (!conn.EnableTunnelsBgp) return { ...t.bgp, BgpStatus: '' };
  const end = peer(conn, t, ctx);
  return {
    TunnelCidr: t.bgp.TunnelCidr,
    LocalBgpIp: t.bgp.LocalBgpIp,
    LocalAsn: t.bgp.LocalAsn,
    PeerAsn: end.asn === undefined ? '' : String(end.asn),
    PeerBgpIp: end.ip,
    BgpStatus: end.status,
  };
}

/** A single-tunnel connection's `VpnBgpConfig` (ASNs as numbers, as the SDK's model types them). */
export function vpnBgpView(conn: SimVpnConnection, ctx: ActionContext) {
  const [only] = conn.tunnels;
  if (!conn.enableBgp || !only) return { EnableBgp: String(conn.enableBgp) };
  const end = peer(conn, only, ctx);
  return {
    EnableBgp: 'true',
    TunnelCidr: only.bgp.TunnelCidr,
    LocalBgpIp: only.bgp.LocalBgpIp,
    LocalAsn: Number(only.bgp.LocalAsn),
    ...(end.asn === undefined ? {} : { PeerAsn: end.asn }),
    PeerBgpIp: end.ip,
    Status: end.status,
  };
}
