/**
 * The workflow on real Redis and the simulator, without Slack: a recording notifier stands in
 * for the Slack surface. Each harness uses its own key prefix and cleans up only its own keys.
 * Every error a worker reports (a failed job, a lost connection) is kept; one the test did not
 * declare expected fails it, at `expectNoUnexpectedErrors` (call it after each test) and at
 * `close`, so a worker failing quietly behind a passing assertion cannot go unseen.
 */
import type { Job } from 'bullmq';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  createVpcClient,
  type DescribeVpcsResponse,
  type DescribeVpnGatewayAvailableZonesResponse,
  type DescribeVSwitchesResponse,
  type VpcClient,
} from '../../src/cloud/index.js';
import type { GroupMembers, Policy } from '../../src/policy/index.js';
import type { ConfirmedWritesOptions, RedisClient } from '../../src/redis/index.js';
import type { DeliveryContext, Notification, Notifier } from '../../src/workflow/notifications.js';
import type { ResourceCloud } from '../../src/workflow/resource-cloud.js';
import type { SecretBox } from '../../src/workflow/secrets.js';
import { createWorkflowSystem } from '../../src/workflow/system.js';
import type { ResourceRequest } from '../../src/workflow/types.js';
import type { PollingOptions } from '../../src/workflow/watcher.js';
import { type TestRedis, testRedis } from './redis.js';
import { startTestSimulator, type TestSimulator, type TestSimulatorOptions } from './simulator.js';

export const SIM_KEY = { accessKeyId: 'wf-key', accessKeySecret: 'wf-secret-value' };

export class RecordingNotifier implements Notifier {
  readonly delivered: {
    notification: Notification;
    state: ResourceRequest['state'];
    attempt: number;
    /** When it was delivered (ms). */
    at: number;
  }[] = [];
  private ts = 1_700_000_000;
  private failures: Error[] = [];
  /** The next delivery throws this, as a Slack outage would; the queue retries it. */
  failNext(err: Error): void {
    this.failures.push(err);
  }
  async deliver(notification: Notification, request: ResourceRequest, context: DeliveryContext) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.delivered.push({ notification, state: request.state, attempt: context.attempt, at: Date.now() });
    if (notification.event === 'submitted' && !request.messageTs) return { messageTs: `${this.ts++}.000100` };
    return undefined;
  }
  events(requestId: string): string[] {
    return this.delivered
      .filter((d) => d.notification.requestId === requestId)
      .map((d) => d.notification.event);
  }
}

export interface WorkerError {
  /** Which worker reported it; `jobs` when a job worker reported it without a job (its connection). */
  worker: 'provisioner' | 'watcher' | 'maintenance' | 'notifications' | 'jobs';
  message: string;
  jobId?: string;
}

export interface HarnessOptions {
  redis: RedisClient;
  prefix: string;
  sim: TestSimulator;
  polling?: Partial<PollingOptions>;
  approvers?: string[];
  requiredApprovals?: number;
  approvalTtlMs?: number;
  /** APPROVAL_REMINDER in ms. */
  reminderEveryMs?: number;
  /** The approval policy in force, asked at each submission and click. */
  policyInForce?: () => Policy | undefined;
  groupMembers?: GroupMembers;
  workers?: boolean;
  lockDurationMs?: number;
  vpc?: VpcClient;
  cloud?: ResourceCloud;
  secrets?: SecretBox;
  /** Errors the test provokes on purpose (e.g. connection errors while Redis restarts). */
  expectedErrors?: (error: WorkerError) => boolean;
  /** Replicas that must confirm each store commit (Sentinel and Cluster tests). */
  replicaAcks?: ConfirmedWritesOptions;
}

/**
 * A simulator (its requests held to Alibaba's metadata) and a workflow harness on it, for one test
 * file: started before its tests, closed after them with the file's Redis keys. Read in tests only.
 */
export function useWorkflowOnSimulator(
  name: string,
  o: { simulator?: TestSimulatorOptions; polling?: Partial<PollingOptions> } = {},
): { readonly t: TestRedis; readonly sim: TestSimulator; readonly h: WorkflowHarness } {
  const t = testRedis(name);
  let sim: TestSimulator | undefined;
  let h: WorkflowHarness | undefined;
  beforeAll(async () => {
    sim = await startTestSimulator({ ...SIM_KEY, ...o.simulator });
    h = startWorkflowHarness({
      redis: t.redis,
      prefix: t.prefix,
      sim,
      ...(o.polling ? { polling: o.polling } : {}),
    });
  });
  afterAll(async () => {
    try {
      sim?.expectConformance();
    } finally {
      await h?.close();
      await sim?.close();
      await t.cleanup();
    }
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the workflow harness ${name} is read outside its tests`);
    return value;
  };
  return {
    t,
    get sim() {
      return started(sim);
    },
    get h() {
      return started(h);
    },
  };
}

export type WorkflowHarness = ReturnType<typeof startWorkflowHarness>;

export function startWorkflowHarness(o: HarnessOptions) {
  const vpc = o.vpc ?? createVpcClient({ ...SIM_KEY, endpoint: o.sim.url, timeoutMs: 2_000 });
  const notifier = new RecordingNotifier();
  const polling: PollingOptions = {
    intervalMs: 50,
    maxIntervalMs: 200,
    provisionTimeoutMs: 10_000,
    ...o.polling,
  };
  const system = createWorkflowSystem({
    redis: o.redis,
    prefix: o.prefix,
    vpc,
    ...(o.cloud ? { cloud: o.cloud } : {}),
    policy: {
      approvers: o.approvers ?? ['U0LEAD1', 'U0LEAD2', 'U0LEAD3'],
      allowSelfApproval: false,
      requiredApprovals: o.requiredApprovals ?? 1,
    },
    approvalTtlMs: o.approvalTtlMs ?? 3_600_000,
    ...(o.reminderEveryMs ? { reminderEveryMs: o.reminderEveryMs } : {}),
    ...(o.policyInForce ? { policyInForce: o.policyInForce } : {}),
    ...(o.groupMembers ? { groupMembers: o.groupMembers } : {}),
    polling,
    renotifyAfterMs: 1_000,
    ...(o.secrets ? { secrets: o.secrets } : {}),
    ...(o.replicaAcks ? { replicaAcks: o.replicaAcks } : {}),
  });
  const { store, workflow } = system;
  const errors: WorkerError[] = [];
  const WORKERS: Record<string, WorkerError['worker']> = {
    provision: 'provisioner',
    watch: 'watcher',
    maintenance: 'maintenance',
  };
  const record =
    (kind: 'jobs' | 'notifications') =>
    (err: unknown, job?: Job): void => {
      const worker = kind === 'notifications' ? 'notifications' : (WORKERS[job?.queueName ?? ''] ?? 'jobs');
      errors.push({
        worker,
        message: err instanceof Error ? err.message : String(err),
        ...(job?.id ? { jobId: job.id } : {}),
      });
    };
  function expectNoUnexpectedErrors(): void {
    const unexpected = errors.filter((e) => !o.expectedErrors?.(e));
    errors.length = 0;
    expect(unexpected, 'errors reported by the workers').toEqual([]);
  }
  const started =
    (o.workers ?? true)
      ? system.startWorkers({
          notifier,
          ...(o.lockDurationMs ? { lockDurationMs: o.lockDurationMs } : {}),
          onJobError: record('jobs'),
          onNotificationError: record('notifications'),
        })
      : Promise.resolve([]);

  /** Waits until `done` holds for the stored request, checking on every write. */
  async function waitFor(
    id: string,
    done: (r: ResourceRequest) => boolean,
    timeoutMs = 20_000,
  ): Promise<ResourceRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await store.get(id);
      if (r && done(r)) return r;
      if (Date.now() > deadline) throw new Error(`request ${id} is still ${r?.state ?? 'missing'}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  }

  return {
    vpc,
    store,
    workflow,
    system,
    notifier,
    provisions: system.queues.provision,
    housekeeping: system.maintenance,
    errors,
    started,
    expectNoUnexpectedErrors,
    waitFor,
    /**
     * Takes a resource made outside the bot into a channel (`/gateway adopt`, approved by a lead),
     * so that the bot's operations on existing resources reach it; returns the finished adoption.
     */
    async adopt(resourceId: string, channelId = 'C0NET') {
      const r = await workflow.submitAdopt({
        resourceId,
        requester: { userId: 'U0ASKER' },
        channelId,
        locale: 'en',
      });
      if (!r.ok) throw new Error(r.message.en);
      await workflow.approve(r.request.id, { userId: 'U0LEAD1' });
      return waitFor(r.request.id, (x) => x.state === 'succeeded' || x.state === 'failed');
    },
    async submitCustomer(ip: string, requester = 'U0ASKER') {
      const r = await workflow.submit({
        resource: 'customer_gateway',
        values: { RegionId: 'cn-hangzhou', IpAddress: ip, Name: 'office' },
        requester: { userId: requester },
        channelId: 'C0NET',
        locale: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.request;
    },
    /** A VPN gateway in a single-tunnel region unless `extra` says otherwise (see `dualTunnelValues`). */
    async submitVpn(vpcId: string, extra: Record<string, unknown> = {}) {
      const r = await workflow.submit({
        resource: 'vpn_gateway',
        values: { RegionId: SINGLE_TUNNEL_REGION, VpcId: vpcId, Bandwidth: '10', ...extra },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0NET',
        locale: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.request;
    },
    /** Stops the workers, then fails if any reported an error the test did not expect. */
    async close() {
      await started;
      await system.close();
      expectNoUnexpectedErrors();
    },
  };
}

/** A seeded region whose VPN gateways are single-tunnel (one vSwitch, or none). */
export const SINGLE_TUNNEL_REGION = 'me-east-1';

export async function seededVpc(vpc: VpcClient, region = SINGLE_TUNNEL_REGION): Promise<string> {
  const r = await vpc.call<DescribeVpcsResponse>('DescribeVpcs', { RegionId: region, PageSize: 50 });
  const id = r.Vpcs.Vpc[0]?.VpcId;
  if (!id) throw new Error('no VPC in the simulator seed');
  return id;
}

/** VPN gateway values for a dual-tunnel region: a VPC and two of its vSwitches in two zones that can host it. */
/** A VPN gateway made straight in the simulated account (as in its console, outside the bot), once active. */
export async function activeGateway(vpc: VpcClient, region = SINGLE_TUNNEL_REGION): Promise<string> {
  const { VpnGatewayId } = await vpc.call<{ VpnGatewayId: string }>('CreateVpnGateway', {
    RegionId: region,
    VpcId: await seededVpc(vpc, region),
    Bandwidth: 10,
  });
  await expect
    .poll(async () => (await vpc.call('DescribeVpnGateway', { RegionId: region, VpnGatewayId })).Status, {
      timeout: 10_000,
    })
    .toBe('active');
  return VpnGatewayId;
}

/** An active VPN gateway and a customer gateway at `ip`, both made straight in the simulated account. */
export async function gatewayPair(
  vpc: VpcClient,
  region: string,
  ip: string,
): Promise<{ gateway: string; cgw: string }> {
  const { CustomerGatewayId } = await vpc.call<{ CustomerGatewayId: string }>('CreateCustomerGateway', {
    RegionId: region,
    IpAddress: ip,
  });
  return { gateway: await activeGateway(vpc, region), cgw: CustomerGatewayId };
}

export async function dualTunnelValues(
  vpc: VpcClient,
  region = 'cn-hangzhou',
): Promise<Record<string, string>> {
  const vpcId = await seededVpc(vpc, region);
  const [switches, zones] = await Promise.all([
    vpc.call<DescribeVSwitchesResponse>('DescribeVSwitches', {
      RegionId: region,
      VpcId: vpcId,
      PageSize: 50,
    }),
    vpc.call<DescribeVpnGatewayAvailableZonesResponse>('DescribeVpnGatewayAvailableZones', {
      RegionId: region,
      Spec: '10M',
    }),
  ]);
  const usable = new Set(
    (Array.isArray(zones.AvailableZoneIdList) ? zones.AvailableZoneIdList : []).map((z) => z.ZoneId),
  );
  const picked: { VSwitchId: string; ZoneId: string }[] = [];
  for (const s of switches.VSwitches.VSwitch) {
    if (usable.has(s.ZoneId) && !picked.some((p) => p.ZoneId === s.ZoneId)) picked.push(s);
  }
  const [first, second] = picked;
  if (!first || !second) throw new Error(`no two usable zones in ${region}`);
  return {
    RegionId: region,
    VpcId: vpcId,
    VSwitchId: first.VSwitchId,
    DisasterRecoveryVSwitchId: second.VSwitchId,
  };
}
