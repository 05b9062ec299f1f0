/**
 * What the simulated account holds: gateways, the ClientTokens already seen, nonces, quotas and a
 * log of calls. Plain data, so `/_simulator/state` can hand it to a test as JSON.
 */
import type { Clock } from './clock.js';
import { defaultSeed, type SimulatorSeed } from './seed.js';

export interface SimVpnGateway {
  VpnGatewayId: string;
  RegionId: string;
  VpcId: string;
  VSwitchId: string;
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
  /** Time from creation to `active` for this gateway, fixed when it was created. */
  provisionTimeMs: number;
  InternetIp: string;
  ClientToken?: string;
}

export interface SimCustomerGateway {
  CustomerGatewayId: string;
  RegionId: string;
  IpAddress: string;
  Name: string;
  Description: string;
  CreateTime: number;
  ClientToken?: string;
}

export interface TokenRecord {
  action: string;
  paramsKey: string;
  response: Record<string, unknown>;
}

export interface RequestRecord {
  at: number;
  method: string;
  action: string;
  /** Everything received but the Signature. */
  params: Record<string, string>;
}

export class SimulatorState {
  seed: SimulatorSeed;
  vpnGateways = new Map<string, SimVpnGateway>();
  customerGateways = new Map<string, SimCustomerGateway>();
  tokens = new Map<string, TokenRecord>();
  nonces = new Map<string, number>();
  calls: Record<string, number> = {};
  requests: RequestRecord[] = [];
  counter = 0;

  constructor(seed: SimulatorSeed = defaultSeed()) {
    this.seed = seed;
  }

  reset(): void {
    this.vpnGateways.clear();
    this.customerGateways.clear();
    this.tokens.clear();
    this.nonces.clear();
    this.calls = {};
    this.requests = [];
  }

  vpnStatus(gw: SimVpnGateway, clock: Clock): { Status: string; BusinessStatus: string } {
    // An unpaid subscription order never provisions: Alibaba waits for the payment.
    if (gw.InstanceChargeType === 'PREPAY' && !gw.AutoPay)
      return { Status: 'init', BusinessStatus: 'FinancialLocked' };
    const elapsed = clock.now() - gw.CreateTime;
    const status =
      elapsed >= gw.provisionTimeMs
        ? 'active'
        : elapsed >= gw.provisionTimeMs * 0.1
          ? 'provisioning'
          : 'init';
    return { Status: status, BusinessStatus: 'Normal' };
  }

  snapshot(clock: Clock) {
    return {
      now: clock.now(),
      vpnGateways: [...this.vpnGateways.values()].map((gw) => ({ ...gw, ...this.vpnStatus(gw, clock) })),
      customerGateways: [...this.customerGateways.values()],
      clientTokens: [...this.tokens.keys()],
      calls: { ...this.calls },
      requests: this.requests.length,
    };
  }
}

export type SimulatorSnapshot = ReturnType<SimulatorState['snapshot']>;
