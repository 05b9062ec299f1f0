/**
 * How a CreateVpnConnection request describes its tunnels. Single-tunnel mode (a VPN gateway
 * without `DisasterRecoveryVSwitchId`): one `CustomerGatewayId`, `IkeConfig`/`IpsecConfig` JSON
 * strings, DPD and NAT traversal on by default. Dual-tunnel mode: exactly
 * `TunnelOptionsSpecification.1` and `.2`, one `master` and one `slave`, each with its customer
 * gateway; pop-core does not flatten an object nested in an array element, so its fields come
 * flat (`TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion`). A parameter of the other mode
 * is refused, as Alibaba's page lists which parameters each mode takes.
 */
import { SimError } from '../errors.js';
import type { SimTunnel, SimVpnGateway } from '../state.js';
import { type ActionContext, bool, type Params } from './common.js';
import { customerGatewayIn } from './customer-gateways.js';
import { flatParam, ikeConfig, ipsecConfig, jsonParam, tunnelBgp } from './ipsec-options.js';

const TUNNELS = 'TunnelOptionsSpecification';
/** Parameters of single-tunnel mode only, refused on a dual-tunnel gateway. */
const SINGLE_ONLY = [
  'CustomerGatewayId',
  'IkeConfig',
  'IpsecConfig',
  'EnableDpd',
  'EnableNatTraversal',
  'BgpConfig',
  'HealthCheckConfig',
  'RemoteCaCertificate',
] as const;
/** The fields of one TunnelOptionsSpecification entry that are not nested objects. */
const TUNNEL_FIELDS = new Set([
  'CustomerGatewayId',
  'Role',
  'EnableDpd',
  'EnableNatTraversal',
  'RemoteCaCertificate',
]);
const TUNNEL_OBJECTS = ['TunnelIkeConfig', 'TunnelIpsecConfig', 'TunnelBgpConfig'] as const;

function zoneOf(ctx: ActionContext, vswitchId: string): string {
  return ctx.state.seed.vswitches.find((s) => s.VSwitchId === vswitchId)?.ZoneId ?? '';
}

/** A tunnel as the request describes it, before it has an id. */
export type TunnelDraft = Omit<SimTunnel, 'TunnelId'>;
export interface Drafted {
  tunnels: TunnelDraft[];
  enableBgp: boolean;
  healthCheck: boolean;
  enableTunnelsBgp: boolean;
}

/** Single-tunnel mode: one customer gateway, JSON settings, DPD and NAT traversal on by default. */
export function singleTunnel(p: Params, ctx: ActionContext, regionId: string, gw: SimVpnGateway): Drafted {
  for (const name of [TUNNELS, 'EnableTunnelsBgp'])
    if (Object.keys(p).some((k) => k === name || k.startsWith(`${name}.`)))
      throw new SimError(
        `Invalid${name}.NotSupported`,
        400,
        `${name} is for dual-tunnel VPN gateways; ${gw.VpnGatewayId} is single-tunnel: give CustomerGatewayId, IkeConfig and IpsecConfig.`,
      );
  const cgwId = p.CustomerGatewayId;
  if (cgwId === undefined || cgwId === '')
    throw new SimError(
      'MissingCustomerGatewayId',
      400,
      `CustomerGatewayId is mandatory: VPN gateway ${gw.VpnGatewayId} is single-tunnel.`,
    );
  const cgw = customerGatewayIn(ctx, regionId, cgwId);
  const ike = ikeConfig(jsonParam(p, 'IkeConfig') ?? {}, 'IkeConfig', 'InvalidIkeConfig', {
    LocalId: gw.InternetIp,
    RemoteId: cgw.IpAddress,
  });
  const ipsec = ipsecConfig(jsonParam(p, 'IpsecConfig') ?? {}, 'IpsecConfig', 'InvalidIpsecConfig');
  const bgp = jsonParam(p, 'BgpConfig');
  const health = jsonParam(p, 'HealthCheckConfig');
  return {
    tunnels: [
      {
        TunnelIndex: 1,
        CustomerGatewayId: cgw.CustomerGatewayId,
        Role: 'master',
        InternetIp: gw.InternetIp,
        ZoneNo: zoneOf(ctx, gw.VSwitchId),
        EnableDpd: bool(p, 'EnableDpd', true),
        EnableNatTraversal: bool(p, 'EnableNatTraversal', true),
        ike,
        ipsec,
        bgp: {},
      },
    ],
    enableBgp: String(bgp?.EnableBgp) === 'true',
    healthCheck: String(health?.enable) === 'true',
    enableTunnelsBgp: false,
  };
}

const TUNNEL_ERROR = 'InvalidTunnelOptionsSpecification';
const badTunnels = (why: string) => new SimError(TUNNEL_ERROR, 400, why);

/**
 * Dual-tunnel mode: exactly `TunnelOptionsSpecification.1` and `.2`, one `master` and one `slave`.
 * Tunnel 1 uses the gateway's first address and vSwitch zone, tunnel 2 the disaster-recovery ones.
 */
export function dualTunnels(p: Params, ctx: ActionContext, regionId: string, gw: SimVpnGateway): Drafted {
  for (const name of SINGLE_ONLY)
    if (p[name] !== undefined)
      throw new SimError(
        `Invalid${name}.NotSupported`,
        400,
        `${name} is for single-tunnel VPN gateways; ${gw.VpnGatewayId} is dual-tunnel: give each tunnel's settings in ${TUNNELS}.N.`,
      );
  const keys = Object.keys(p).filter((k) => k === TUNNELS || k.startsWith(`${TUNNELS}.`));
  if (keys.length === 0)
    throw new SimError(
      `Missing${TUNNELS}`,
      400,
      `${TUNNELS} is mandatory: VPN gateway ${gw.VpnGatewayId} is dual-tunnel; give two tunnels, one master and one slave.`,
    );
  const indices = new Set<string>();
  for (const key of keys) {
    const m = /^TunnelOptionsSpecification\.(\d+)\.(.+)$/.exec(key);
    if (!m) throw badTunnels(`${key} is not a tunnel field: send ${TUNNELS}.N.<Field>.`);
    const [, index, field] = m as unknown as [string, string, string];
    indices.add(index);
    const object = field.split('.')[0] as string;
    if (!TUNNEL_FIELDS.has(field) && !(TUNNEL_OBJECTS as readonly string[]).includes(object))
      throw badTunnels(`${key} is not a tunnel field.`);
    if ((TUNNEL_OBJECTS as readonly string[]).includes(field))
      throw badTunnels(
        `${key} must be sent field by field, e.g. ${TUNNELS}.${index}.TunnelIkeConfig.IkeVersion.`,
      );
  }
  if ([...indices].sort().join() !== '1,2')
    throw badTunnels(`A dual-tunnel connection has exactly two tunnels, ${TUNNELS}.1 and ${TUNNELS}.2.`);
  const ips = [gw.InternetIp, gw.DisasterRecoveryInternetIp];
  const zones = [zoneOf(ctx, gw.VSwitchId), zoneOf(ctx, gw.DisasterRecoveryVSwitchId)];
  const tunnels = [1, 2].map((index): TunnelDraft => {
    const at = `${TUNNELS}.${index}`;
    const cgwId = p[`${at}.CustomerGatewayId`];
    if (!cgwId) throw badTunnels(`${at}.CustomerGatewayId is mandatory.`);
    const role = p[`${at}.Role`];
    if (role !== 'master' && role !== 'slave') throw badTunnels(`${at}.Role must be master or slave.`);
    const cgw = customerGatewayIn(ctx, regionId, cgwId);
    const ip = ips[index - 1] as string;
    return {
      TunnelIndex: index,
      CustomerGatewayId: cgw.CustomerGatewayId,
      Role: role,
      InternetIp: ip,
      ZoneNo: zones[index - 1] as string,
      EnableDpd: bool(p, `${at}.EnableDpd`, true),
      EnableNatTraversal: bool(p, `${at}.EnableNatTraversal`, true),
      ike: ikeConfig(flatParam(p, `${at}.TunnelIkeConfig`), `${at}.TunnelIkeConfig`, TUNNEL_ERROR, {
        LocalId: ip,
        RemoteId: cgw.IpAddress,
      }),
      ipsec: ipsecConfig(flatParam(p, `${at}.TunnelIpsecConfig`), `${at}.TunnelIpsecConfig`, TUNNEL_ERROR),
      bgp: tunnelBgp(flatParam(p, `${at}.TunnelBgpConfig`), `${at}.TunnelBgpConfig`, TUNNEL_ERROR),
    };
  });
  if (new Set(tunnels.map((t) => t.Role)).size !== 2)
    throw badTunnels('One tunnel must be master and the other slave.');
  return {
    tunnels,
    enableBgp: false,
    healthCheck: false,
    enableTunnelsBgp: bool(p, 'EnableTunnelsBgp', false),
  };
}
