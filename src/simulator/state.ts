/**
 * What the simulated account holds: gateways, the ClientTokens already seen, nonces, call counts
 * and a log of requests. Plain data, so `/_simulator/state` can hand it to a test as JSON.
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
  method: string;
  action: string;
  /** Every parameter received except `Signature`; a `SecurityToken` is shown as `[redacted]`. */
  params: Record<string, string>;
}

/** Before `provisioning` starts, as a fraction of the time to `active`. */
const INIT_FRACTION = 0.1;

export class SimulatorState {
  readonly seed: SimulatorSeed;
  vpnGateways = new Map<string, SimVpnGateway>();
  customerGateways = new Map<string, SimCustomerGateway>();
  tokens = new Map<string, TokenRecord>();
  /** Nonce → when it may be forgotten (real time, like the timestamp check). */
  nonces = new Map<string, number>();
  calls: Record<string, number> = {};
  requests: RequestRecord[] = [];
  /** Never reset, so ids stay unique across resets. */
  counter = 0;

  constructor(seed: SimulatorSeed = defaultSeed()) {
    this.seed = seed;
  }

  /** Back to the seed: no gateways, tokens, nonces, counts or log. */
  reset(): void {
    this.vpnGateways.clear();
    this.customerGateways.clear();
    this.tokens.clear();
    this.nonces.clear();
    this.calls = {};
    this.requests = [];
  }

  /**
   * Status computed from the clock: `init`, then `provisioning` after a tenth of the provisioning
   * time, then `active`. An unpaid subscription (PREPAY without AutoPay) waits for a payment that
   * never comes: `init` and `FinancialLocked` forever, as Alibaba leaves an unpaid order.
   */
  vpnStatus(gw: SimVpnGateway, clock: Clock): { Status: string; BusinessStatus: string } {
    if (gw.InstanceChargeType === 'PREPAY' && !gw.AutoPay)
      return { Status: 'init', BusinessStatus: 'FinancialLocked' };
    const elapsed = clock.now() - gw.CreateTime;
    const status =
      elapsed >= gw.provisionTimeMs
        ? 'active'
        : elapsed >= gw.provisionTimeMs * INIT_FRACTION
          ? 'provisioning'
          : 'init';
    return { Status: status, BusinessStatus: 'Normal' };
  }

  snapshot(clock: Clock) {
    return {
      now: clock.now(),
      vpnGateways: [...this.vpnGateways.values()].map((gw) => ({ ...gw, ...this.vpnStatus(gw, clock) })),
      customerGateways: [...this.customerGateways.values()],
      clientTokens: [...this.tokens.values()].map(({ action, token, response }) => ({
        action,
        token,
        response,
      })),
      calls: { ...this.calls },
      requests: this.requests.map((r) => ({ ...r, params: { ...r.params } })),
    };
  }
}

export type SimulatorSnapshot = ReturnType<SimulatorState['snapshot']>;
