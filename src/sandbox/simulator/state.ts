/**
 * What one simulated account holds: gateways, IPsec-VPN connections and which on-premises peers
 * are configured, the ClientTokens already seen and its call counts. Plain data, so
 * `/_simulator/state` can hand it to a test as JSON (pre-shared keys included: it is the account
 * itself, as DescribeVpnConnection shows them; nothing here is ever logged). The request log and
 * the nonces belong to the simulator as a whole (core.ts); each logged request names its account.
 */
import type { Clock } from './clock.js';
import { defaultSeed, type SimulatorSeed } from './seed.js';

export interface SimVpnGateway {
  VpnGatewayId: string;
  RegionId: string;
  VpcId: string;
  VSwitchId: string;
  DisasterRecoveryVSwitchId: string;
  Name: string;
  Bandwidth: number;
  InstanceChargeType: string;
  AutoPay: boolean;
  EnableIpsec: boolean;
  EnableSsl: boolean;
  SslConnections: number;
  VpnType: string;
  NetworkType: string;
  OrderId: number;
  CreateTime: number;
  /** End of a subscription (PREPAY), 0 for pay-as-you-go. */
  EndTime: number;
  /** Time from creation to `active` for this gateway, fixed when it was created. */
  provisionTimeMs: number;
  /** Allocated at creation, shown once the gateway is active. */
  InternetIp: string;
  /** The second tunnel's address, for a dual-tunnel gateway (empty otherwise). */
  DisasterRecoveryInternetIp: string;
  ResourceGroupId: string;
  ClientToken?: string;
  /** Set by DeleteVpnGateway: from then on `deleting`, and gone `timeMs` after `requestedAt`. */
  deletion?: { requestedAt: number; timeMs: number };
  /** Set by a change of one of its connections: `updating` until then, then `active` again. */
  updatingUntil?: number;
}

export interface SimCustomerGateway {
  CustomerGatewayId: string;
  RegionId: string;
  IpAddress: string;
  Name: string;
  Description: string;
  CreateTime: number;
  Asn?: number;
  /** Whether a BGP key was given; the key itself is kept by no one but the device. */
  AuthKeySet: boolean;
  ResourceGroupId: string;
  Tags: { Key: string; Value: string }[];
  ClientToken?: string;
}

/** Phase 1 (IKE) settings of a tunnel, with Alibaba's defaults filled in. */
export interface SimIkeConfig {
  IkeVersion: string;
  IkeMode: string;
  IkeEncAlg: string;
  IkeAuthAlg: string;
  IkePfs: string;
  IkeLifetime: number;
  LocalId: string;
  RemoteId: string;
  Psk: string;
}

/** Phase 2 (IPsec) settings of a tunnel, with Alibaba's defaults filled in. */
export interface SimIpsecConfig {
  IpsecEncAlg: string;
  IpsecAuthAlg: string;
  IpsecPfs: string;
  IpsecLifetime: number;
}

/**
 * One tunnel. A single-tunnel connection has exactly one (shown flat on the connection), a
 * dual-tunnel connection two, `master` and `slave`.
 */
export interface SimTunnel {
  TunnelId: string;
  TunnelIndex: number;
  CustomerGatewayId: string;
  Role: 'master' | 'slave';
  InternetIp: string;
  ZoneNo: string;
  EnableDpd: boolean;
  EnableNatTraversal: boolean;
  ike: SimIkeConfig;
  ipsec: SimIpsecConfig;
  /** The BGP settings given for the tunnel, as given (`LocalAsn`, `LocalBgpIp`, `TunnelCidr`). */
  bgp: Record<string, string>;
}

export interface SimVpnConnection {
  VpnConnectionId: string;
  RegionId: string;
  VpnGatewayId: string;
  Name: string;
  LocalSubnet: string;
  RemoteSubnet: string;
  CreateTime: number;
  EffectImmediately: boolean;
  AutoConfigRoute: boolean;
  /** Whether the gateway was dual-tunnel: decides the response shape. */
  dual: boolean;
  tunnels: SimTunnel[];
  /** Dual-tunnel only. */
  EnableTunnelsBgp: boolean;
  /** Single-tunnel only: `BgpConfig.EnableBgp` and `HealthCheckConfig.enable` as given. */
  enableBgp: boolean;
  healthCheck: boolean;
  Tags: { Key: string; Value: string }[];
  ClientToken?: string;
  /** Set by a change: the connection and its tunnels are `updating` until then (`State`). */
  updatingUntil?: number;
}

export type TunnelStatus = 'ike_sa_not_established' | 'ipsec_sa_established';

export interface TokenRecord {
  action: string;
  token: string;
  /** The business parameters of the first use, canonical JSON. */
  paramsKey: string;
  response: Record<string, unknown>;
}

/** One request that passed the gateway checks (signature, timestamp, nonce, action). */
export interface RequestRecord {
  /** The simulator clock's time when it arrived. */
  at: number;
  /** The account of the key that signed it, which answered it. */
  account: string;
  method: string;
  action: string;
  /** Every parameter received except `Signature`; a `SecurityToken` is shown as `[redacted]`. */
  params: Record<string, string>;
}

/** Before `provisioning` starts, as a fraction of the time to `active`. */
const INIT_FRACTION = 0.1;

/**
 * Numbers for new resource ids and addresses, shared by every account of a simulator (Alibaba's
 * ids and public addresses are unique across accounts) and never reset, so ids stay unique across
 * resets too.
 */
export class IdNumbers {
  private last = 0;
  next(): number {
    this.last += 1;
    return this.last;
  }
}

export class SimulatorState {
  /** The account's name, as keys and the inspection API name it. */
  readonly account: string;
  readonly seed: SimulatorSeed;
  vpnGateways = new Map<string, SimVpnGateway>();
  customerGateways = new Map<string, SimCustomerGateway>();
  vpnConnections = new Map<string, SimVpnConnection>();
  /** Customer gateways whose on-premises device is configured: all their tunnels come up. */
  configuredPeers = new Set<string>();
  /** Connections whose every tunnel's peer is configured, whatever the customer gateway. */
  configuredConnections = new Set<string>();
  /** Tunnels given a new key since their peer was last configured: down until it is configured again. */
  newKeyTunnels = new Set<string>();
  /** Tunnels taken down on the on-premises side (a device restarted, a link cut), by tunnel id. */
  downTunnels = new Set<string>();
  tokens = new Map<string, TokenRecord>();
  calls: Record<string, number> = {};
  private readonly ids: IdNumbers;

  constructor(account = 'default', seed: SimulatorSeed = defaultSeed(), ids: IdNumbers = new IdNumbers()) {
    this.account = account;
    this.seed = seed;
    this.ids = ids;
  }

  /** The number for a new resource's id and addresses, unique in the whole simulator. */
  nextNumber(): number {
    return this.ids.next();
  }

  /** Back to the seed: no gateways, connections, peers, tokens or counts. */
  reset(): void {
    this.vpnGateways.clear();
    this.customerGateways.clear();
    this.vpnConnections.clear();
    this.configuredPeers.clear();
    this.configuredConnections.clear();
    this.newKeyTunnels.clear();
    this.downTunnels.clear();
    this.tokens.clear();
    this.calls = {};
  }

  /**
   * Status computed from the clock: `init`, then `provisioning` after a tenth of the provisioning
   * time, then `active`. An unpaid subscription (PREPAY without AutoPay) waits for a payment that
   * never comes: `init` and `FinancialLocked` forever, as Alibaba leaves an unpaid order. Once
   * DeleteVpnGateway has accepted it, `deleting` until `sweep` forgets it.
   */
  vpnStatus(gw: SimVpnGateway, clock: Clock): { Status: string; BusinessStatus: string } {
    const unpaid = gw.InstanceChargeType === 'PREPAY' && !gw.AutoPay;
    if (gw.deletion) return { Status: 'deleting', BusinessStatus: unpaid ? 'FinancialLocked' : 'Normal' };
    if (unpaid) return { Status: 'init', BusinessStatus: 'FinancialLocked' };
    const elapsed = clock.now() - gw.CreateTime;
    const status =
      elapsed >= gw.provisionTimeMs
        ? gw.updatingUntil !== undefined && clock.now() < gw.updatingUntil
          ? 'updating'
          : 'active'
        : elapsed >= gw.provisionTimeMs * INIT_FRACTION
          ? 'provisioning'
          : 'init';
    return { Status: status, BusinessStatus: 'Normal' };
  }

  /** Forgets the gateways whose deletion has finished on the clock (they are no longer found). */
  sweep(clock: Clock): void {
    for (const [id, gw] of this.vpnGateways) {
      if (gw.deletion && clock.now() >= gw.deletion.requestedAt + gw.deletion.timeMs)
        this.vpnGateways.delete(id);
    }
  }

  /**
   * Up once the peer behind its customer gateway, or the whole connection, is configured, and
   * configured again since the tunnel's key last changed.
   */
  tunnelStatus(conn: SimVpnConnection, tunnel: SimTunnel): TunnelStatus {
    if (this.downTunnels.has(tunnel.TunnelId)) return 'ike_sa_not_established';
    return !this.newKeyTunnels.has(tunnel.TunnelId) &&
      (this.configuredPeers.has(tunnel.CustomerGatewayId) ||
        this.configuredConnections.has(conn.VpnConnectionId))
      ? 'ipsec_sa_established'
      : 'ike_sa_not_established';
  }

  /** The account as JSON, with its part of the request log (`requests`, oldest first). */
  snapshot(clock: Clock, requests: readonly RequestRecord[]) {
    this.sweep(clock);
    return {
      account: this.account,
      now: clock.now(),
      vpnGateways: [...this.vpnGateways.values()].map((gw) => ({ ...gw, ...this.vpnStatus(gw, clock) })),
      customerGateways: [...this.customerGateways.values()],
      vpnConnections: [...this.vpnConnections.values()].map((c) => ({
        ...c,
        tunnels: c.tunnels.map((t) => ({ ...t, Status: this.tunnelStatus(c, t) })),
      })),
      configuredPeers: [...this.configuredPeers],
      configuredConnections: [...this.configuredConnections],
      newKeyTunnels: [...this.newKeyTunnels],
      downTunnels: [...this.downTunnels],
      clientTokens: [...this.tokens.values()].map(({ action, token, response }) => ({
        action,
        token,
        response,
      })),
      calls: { ...this.calls },
      requests: requests.map((r) => ({ ...r, params: { ...r.params } })),
    };
  }
}

export type SimulatorSnapshot = ReturnType<SimulatorState['snapshot']>;
