/**
 * Shared by the simulator's connection and delete tests: makes active VPN gateways (dual-tunnel in
 * cn-hangzhou, single-tunnel in me-east-1, as the seed's regions are) and customer gateways through
 * pop-core, moving a manual clock past the provisioning time.
 */

import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ManualClock } from '../../../src/sandbox/simulator/index.js';
import {
  type PopParams,
  popClient,
  startTestSimulator,
  type TestSimulator,
} from '../../support/simulator.js';

export const DUAL_REGION = 'cn-hangzhou';
export const SINGLE_REGION = 'me-east-1';

/** DescribeVpnGateway's answer, and the region it was asked in (which the answer does not carry). */
export interface Gateway {
  VpnGatewayId: string;
  RegionId: string;
  InternetIp: string;
  DisasterRecoveryInternetIp: string;
  VSwitchId: string;
  DisasterRecoveryVSwitchId: string;
  Status: string;
  [field: string]: unknown;
}

interface Vpc {
  VpcId: string;
  IsDefault: boolean;
  VSwitchIds: { VSwitchId: string[] };
}

export function account(
  sim: TestSimulator,
  key: { accessKeyId: string; accessKeySecret: string },
  clock: ManualClock,
) {
  const call = <T = Record<string, unknown>>(action: string, params: PopParams = {}) =>
    popClient(sim, key).call<T>(action, params);

  /** A VPN gateway of the region, created and (unless `settle` is false) moved to `active`. */
  async function vpnGateway(regionId: string, params: PopParams = {}, settle = true): Promise<Gateway> {
    const vpcs = await call<{ Vpcs: { Vpc: Vpc[] } }>('DescribeVpcs', { RegionId: regionId });
    const vpc = vpcs.Vpcs.Vpc.find((v) => !v.IsDefault);
    const [first, second] = vpc?.VSwitchIds.VSwitchId ?? [];
    if (!vpc || !first || !second) throw new Error(`the seed has no VPC with two vSwitches in ${regionId}`);
    const dual = regionId !== SINGLE_REGION;
    const made = await call<{ VpnGatewayId: string }>('CreateVpnGateway', {
      RegionId: regionId,
      VpcId: vpc.VpcId,
      Bandwidth: 10,
      ...(dual ? { VSwitchId: first, DisasterRecoveryVSwitchId: second } : {}),
      ...params,
    });
    if (settle)
      clock.advance(
        sim.state().vpnGateways.find((g) => g.VpnGatewayId === made.VpnGatewayId)?.provisionTimeMs ?? 0,
      );
    return describeGateway(made.VpnGatewayId, regionId);
  }

  const describeGateway = async (id: string, regionId: string): Promise<Gateway> => ({
    ...(await call<Gateway>('DescribeVpnGateway', {
      RegionId: regionId,
      VpnGatewayId: id,
    })),
    RegionId: regionId,
  });

  /** A customer gateway at `ip` in the region; returns its id. */
  async function customerGateway(ip: string, regionId: string): Promise<string> {
    const made = await call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
      RegionId: regionId,
      IpAddress: ip,
    });
    return made.CustomerGatewayId;
  }

  return { call, vpnGateway, describeGateway, customerGateway };
}

/** A dual-tunnel request's tunnels as pop-core takes them: nested fields flat, values as strings. */
export function tunnels(
  master: string,
  slave: string,
  extra: [Record<string, string>, Record<string, string>] = [{}, {}],
): Record<string, string>[] {
  return [
    { CustomerGatewayId: master, Role: 'master', ...extra[0] },
    { CustomerGatewayId: slave, Role: 'slave', ...extra[1] },
  ];
}

/**
 * A simulator for one test file, with one account's key and a manual clock: started before the
 * file's tests, each test's requests held to Alibaba's metadata and the state reset after it,
 * closed after the file. The simulator and its account helpers are read once it has started.
 */
export function useSimulatedAccount(
  key: { accessKeyId: string; accessKeySecret: string },
  clock: ManualClock,
  options: Omit<
    Parameters<typeof startTestSimulator>[0] & object,
    'accessKeyId' | 'accessKeySecret' | 'clock'
  >,
): { readonly sim: TestSimulator; readonly acct: ReturnType<typeof account> } {
  let sim: TestSimulator | undefined;
  let acct: ReturnType<typeof account> | undefined;
  beforeAll(async () => {
    sim = await startTestSimulator({ ...key, clock, ...options });
    acct = account(sim, key, clock);
  });
  afterEach(() => {
    const violations = sim?.conformanceViolations(true) ?? [];
    sim?.reset();
    expect(violations).toEqual([]);
  });
  afterAll(() => sim?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the simulator is read before it has started (beforeAll)');
    return value;
  };
  return {
    get sim() {
      return started(sim);
    },
    get acct() {
      return started(acct);
    },
  };
}
