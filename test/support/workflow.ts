/**
 * The workflow on real Redis and the simulator, without Slack: a recording notifier stands in
 * for the Slack surface. Each harness uses its own key prefix and cleans up only its own keys.
 */
import type { Worker } from 'bullmq';
import { createVpcClient, type VpcClient } from '../../src/cloud/index.js';
import type { ConfirmedWritesOptions, RedisClient } from '../../src/redis/index.js';
import { createMaintenance, maintenanceQueue } from '../../src/workflow/maintenance.js';
import {
  type DeliveryContext,
  type Notification,
  NotificationOutbox,
  type Notifier,
  notificationQueue,
  startNotificationWorker,
} from '../../src/workflow/notifications.js';
import { createPreflight } from '../../src/workflow/preflight.js';
import { type PollingOptions, provisionQueue, startProvisioner } from '../../src/workflow/provisioner.js';
import { Workflow } from '../../src/workflow/service.js';
import { RequestStore } from '../../src/workflow/store.js';
import type { GatewayRequest } from '../../src/workflow/types.js';
import { VpcGatewayCloud } from '../../src/workflow/vpc-gateway-cloud.js';
import type { TestSimulator } from './simulator.js';

export const SIM_KEY = { accessKeyId: 'wf-key', accessKeySecret: 'wf-secret-value' };

export class RecordingNotifier implements Notifier {
  readonly delivered: { notification: Notification; state: GatewayRequest['state']; attempt: number }[] = [];
  private ts = 1_700_000_000;
  async deliver(notification: Notification, request: GatewayRequest, context: DeliveryContext) {
    this.delivered.push({ notification, state: request.state, attempt: context.attempt });
    if (notification.event === 'submitted' && !request.messageTs) return { messageTs: `${this.ts++}.000100` };
    return undefined;
  }
  events(requestId: string): string[] {
    return this.delivered
      .filter((d) => d.notification.requestId === requestId)
      .map((d) => d.notification.event);
  }
}

export interface HarnessOptions {
  redis: RedisClient;
  prefix: string;
  sim: TestSimulator;
  polling?: Partial<PollingOptions>;
  approvers?: string[];
  requiredApprovals?: number;
  approvalTtlMs?: number;
  workers?: boolean;
  lockDurationMs?: number;
  vpc?: VpcClient;
  /** Replicas that must confirm each store commit (Sentinel and Cluster tests). */
  replicaAcks?: ConfirmedWritesOptions;
}

export function startWorkflowHarness(o: HarnessOptions) {
  const vpc = o.vpc ?? createVpcClient({ ...SIM_KEY, endpoint: o.sim.url, timeoutMs: 2_000 });
  const store = new RequestStore({
    redis: o.redis,
    prefix: o.prefix,
    ...(o.replicaAcks ? { replicaAcks: o.replicaAcks } : {}),
  });
  const provisions = provisionQueue(o.redis, o.prefix);
  const notifications = notificationQueue(o.redis, o.prefix);
  const maintenance = maintenanceQueue(o.redis, o.prefix);
  const outbox = new NotificationOutbox(notifications);
  const notifier = new RecordingNotifier();
  const polling: PollingOptions = {
    intervalMs: 50,
    maxIntervalMs: 200,
    provisionTimeoutMs: 10_000,
    ...o.polling,
  };
  const policy = {
    approvers: o.approvers ?? ['U0LEAD1', 'U0LEAD2', 'U0LEAD3'],
    allowSelfApproval: false,
    requiredApprovals: o.requiredApprovals ?? 1,
  };
  const workflow = new Workflow({
    store,
    outbox,
    provisionQueue: provisions,
    maintenanceQueue: maintenance,
    policy,
    approvalTtlMs: o.approvalTtlMs ?? 3_600_000,
  });
  const housekeeping = createMaintenance({
    connection: o.redis,
    prefix: o.prefix,
    store,
    outbox,
    provisionQueue: provisions,
    maintenanceQueue: maintenance,
    preflight: createPreflight(vpc),
    renotifyAfterMs: 1_000,
  });
  const workers: Worker[] = [];
  const errors: unknown[] = [];
  if (o.workers ?? true) {
    workers.push(
      startProvisioner({
        connection: o.redis,
        prefix: o.prefix,
        store,
        cloud: new VpcGatewayCloud(vpc),
        outbox,
        polling,
        ...(o.lockDurationMs ? { lockDurationMs: o.lockDurationMs } : {}),
        onError: (err) => errors.push(err),
      }),
      startNotificationWorker({ connection: o.redis, prefix: o.prefix, store, notifier, onError: () => {} }),
      housekeeping.start(),
    );
  }

  /** Waits until `done` holds for the stored request, checking on every write. */
  async function waitFor(
    id: string,
    done: (r: GatewayRequest) => boolean,
    timeoutMs = 20_000,
  ): Promise<GatewayRequest> {
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
    notifier,
    provisions,
    housekeeping,
    errors,
    waitFor,
    async submitCustomer(ip: string, requester = 'U0ASKER') {
      const r = await workflow.submit({
        kind: 'customer',
        values: { RegionId: 'cn-hangzhou', IpAddress: ip, Name: 'office' },
        requester: { userId: requester },
        channelId: 'C0NET',
        locale: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.request;
    },
    async submitVpn(vpcId: string, extra: Record<string, unknown> = {}) {
      const r = await workflow.submit({
        kind: 'vpn',
        values: { RegionId: 'cn-hangzhou', VpcId: vpcId, Bandwidth: '10', ...extra },
        requester: { userId: 'U0ASKER' },
        channelId: 'C0NET',
        locale: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.request;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([provisions.close(), notifications.close(), maintenance.close()]);
    },
  };
}

export async function seededVpc(vpc: VpcClient, region = 'cn-hangzhou'): Promise<string> {
  const r = await vpc.describeVpcs({ RegionId: region, PageSize: 50 });
  const id = r.Vpcs.Vpc[0]?.VpcId;
  if (!id) throw new Error('no VPC in the simulator seed');
  return id;
}
