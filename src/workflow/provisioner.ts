/**
 * The provisioning worker: a step machine per request (`create` → `poll` → done) on BullMQ.
 * The request record's state is the step, written before each move, so a worker killed at any
 * moment resumes where it stopped. The job id is the request id, and the request id is the
 * ClientToken: re-running `create` after a crash finds the gateway the first call made instead
 * of creating another.
 *
 * Retries and polling use delayed jobs (`moveToDelayed`), not sleeps, so a worker holds no job
 * while it waits and a restart loses nothing. A provisioning VPN gateway is watched by one sweep
 * job per region (`sweep-<region>`): a DescribeVpnGateways page answers for every gateway there,
 * so cloud calls grow with regions, not gateways, and stay far inside Alibaba's rate limits.
 */
import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import { PacingDeferredError } from '../cloud/rate-limiter.js';
import { formatDuration } from '../config/duration.js';
import { paramsHash } from '../gateways/index.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayCloud, VpnGatewayState } from './gateway-cloud.js';
import type { NotificationOutbox } from './notifications.js';
import { toRequestError, workflowError } from './request-errors.js';
import type { RequestStore } from './store.js';
import type { GatewayRequest, RequestError } from './types.js';

export const PROVISION_QUEUE = 'provision';

export interface ProvisionJob {
  /** Empty for a region sweep, which serves every provisioning gateway of its region. */
  requestId: string;
  /** The step about to run, persisted before the job moves (informative: the record decides). */
  step: 'create' | 'poll' | 'sweep';
  polls: number;
  retries: number;
  regionId?: string;
}

export interface PollingOptions {
  intervalMs: number;
  maxIntervalMs: number;
  provisionTimeoutMs: number;
  /** How often a "still provisioning" message is posted. */
  progressEveryMs?: number;
}

export interface ProvisionerOptions {
  connection: ConnectionOptions;
  prefix: string;
  store: RequestStore;
  cloud: GatewayCloud;
  outbox: NotificationOutbox;
  polling: PollingOptions;
  concurrency?: number;
  /** BullMQ lock duration: how soon a crashed worker's job is picked up again. */
  lockDurationMs?: number;
  /** How often BullMQ looks for jobs whose worker died (defaults to BullMQ's 30 s). */
  stalledIntervalMs?: number;
  now?: () => number;
  random?: () => number;
  onError?: (err: unknown, job?: Job<ProvisionJob>) => void;
  /** One line per meaningful step, each with the request id. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

const ACTOR = 'system:worker';
/** 20 pages of 50: far beyond Alibaba's default quota of 30 VPN gateways per region. */
const MAX_SWEEP_PAGES = 20;
const DEFAULT_PROGRESS_EVERY_MS = 120_000;

export function provisionQueue(connection: ConnectionOptions, prefix: string): Queue<ProvisionJob> {
  return new Queue<ProvisionJob>(PROVISION_QUEUE, { connection, prefix });
}

/** Enqueues the provisioning of an approved request; a second call for the same id is a no-op. */
export async function enqueueProvisioning(queue: Queue<ProvisionJob>, requestId: string): Promise<void> {
  await queue.add(
    'provision',
    { requestId, step: 'create', polls: 0, retries: 0 },
    {
      jobId: requestId,
      // Unexpected errors (not cloud errors, which the step machine handles) get a few tries.
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 30 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  );
}

/** Exponential backoff with ±20 % jitter, capped. */
export function backoffDelay(baseMs: number, capMs: number, attempt: number, random: () => number): number {
  const raw = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(Math.min(capMs, raw * (0.8 + 0.4 * random())));
}

export function startProvisioner(options: ProvisionerOptions): Worker<ProvisionJob> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { store, cloud, outbox, polling } = options;
  const progressEvery = polling.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS;
  const sweeps = new Queue<ProvisionJob>(PROVISION_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
  });
  sweeps.on('error', (err) => options.onError?.(err));

  const log = options.logger;

  async function fail(request: GatewayRequest, error: RequestError): Promise<void> {
    log?.warn(
      {
        requestId: request.id,
        code: error.code,
        cloudRequestId: error.requestId,
        httpStatus: error.httpStatus,
      },
      'request failed',
    );
    const result = await store.update(request.id, ACTOR, 'failed', (current) =>
      current.state === request.state
        ? {
            kind: 'apply',
            next: { ...current, state: 'failed', error, finishedAt: now() },
            details: {
              code: error.code,
              ...(error.requestId ? { cloudRequestId: error.requestId } : {}),
              ...(error.httpStatus ? { httpStatus: error.httpStatus } : {}),
            },
          }
        : { kind: 'skip' },
    );
    if (result.ok) await outbox.emit({ requestId: request.id, event: 'failed', actor: ACTOR });
  }

  async function later(
    job: Job<ProvisionJob>,
    token: string | undefined,
    delayMs: number,
    data: ProvisionJob,
  ) {
    await job.updateData(data);
    await job.moveToDelayed(now() + delayMs, token);
    throw new DelayedError();
  }

  async function create(job: Job<ProvisionJob>, token: string | undefined, request: GatewayRequest) {
    const deadline = (request.approvedAt ?? request.updatedAt) + polling.provisionTimeoutMs;
    if (now() > deadline) {
      return fail(request, workflowError('CreateDeadlinePassed', { requestId: request.id }));
    }
    let created: Awaited<ReturnType<GatewayCloud['createGateway']>>;
    try {
      created = await cloud.createGateway(request.kind, request.params, request.id);
    } catch (err) {
      const error = toRequestError(err);
      if (!error.retryable) return fail(request, error);
      log?.warn(
        { requestId: request.id, code: error.code, attempt: job.data.retries + 1 },
        'create failed; retrying with the same ClientToken',
      );
      await store.appendAudit({
        requestId: request.id,
        at: now(),
        actor: ACTOR,
        action: 'create_retry',
        details: {
          code: error.code,
          attempt: job.data.retries + 1,
          ...(error.requestId ? { cloudRequestId: error.requestId } : {}),
        },
      });
      // Held back by pacing: come back when its slot is due, not after a blind backoff.
      const delay =
        err instanceof PacingDeferredError
          ? err.retryAfterMs
          : backoffDelay(1_000, polling.maxIntervalMs, job.data.retries, random);
      return later(job, token, delay, { ...job.data, step: 'create', retries: job.data.retries + 1 });
    }
    // Persist the id before anything else: from here on, a crash resumes by polling it.
    const isVpn = request.kind === 'vpn';
    const saved = await store.update(request.id, ACTOR, 'created', (current) =>
      current.state !== 'creating'
        ? { kind: 'skip' }
        : {
            kind: 'apply',
            details: {
              gatewayId: created.gatewayId,
              ...(created.requestId ? { cloudRequestId: created.requestId } : {}),
            },
            next: {
              ...current,
              state: isVpn ? 'provisioning' : 'succeeded',
              cloud: {
                ...current.cloud,
                gatewayId: created.gatewayId,
                ...(created.orderId ? { orderId: created.orderId } : {}),
                requestIds: created.requestId
                  ? [...current.cloud.requestIds, created.requestId]
                  : current.cloud.requestIds,
              },
              ...(isVpn ? { provisioningStartedAt: now() } : { finishedAt: now() }),
            },
          },
    );
    if (!saved.ok) return;
    log?.info(
      { requestId: request.id, gatewayId: created.gatewayId, cloudRequestId: created.requestId },
      'gateway created',
    );
    await outbox.emit({ requestId: request.id, event: isVpn ? 'provisioning' : 'succeeded', actor: ACTOR });
    if (isVpn) {
      await job.updateData({ ...job.data, step: 'poll' });
      return poll(saved.request);
    }
  }

  /**
   * Applies one observation of a provisioning VPN gateway (undefined: not visible yet) and says
   * whether the request is finished: active, failed, or past the time limit.
   */
  async function observe(request: GatewayRequest, state: VpnGatewayState | undefined): Promise<boolean> {
    const gatewayId = request.cloud.gatewayId as string;
    const elapsed = now() - (request.provisioningStartedAt ?? request.updatedAt);
    if (state?.status === 'active') {
      const done = await store.update(request.id, ACTOR, 'active', (current) =>
        current.state !== 'provisioning'
          ? { kind: 'skip' }
          : {
              kind: 'apply',
              details: {
                gatewayId,
                status: state.status,
                ...(state.requestId ? { cloudRequestId: state.requestId } : {}),
              },
              next: {
                ...current,
                state: 'succeeded',
                finishedAt: now(),
                cloud: {
                  ...current.cloud,
                  status: state.status,
                  ...(state.businessStatus ? { businessStatus: state.businessStatus } : {}),
                  ...(state.internetIp ? { internetIp: state.internetIp } : {}),
                  ...(state.spec ? { spec: state.spec } : {}),
                },
              },
            },
      );
      if (done.ok) {
        log?.info({ requestId: request.id, gatewayId, internetIp: state.internetIp }, 'gateway active');
        await outbox.emit({ requestId: request.id, event: 'succeeded', actor: ACTOR });
      }
      return true;
    }
    if (
      state &&
      (state.status !== request.cloud.status || state.businessStatus !== request.cloud.businessStatus)
    ) {
      await store.update(request.id, ACTOR, 'status_seen', (current) =>
        current.state !== 'provisioning'
          ? { kind: 'skip' }
          : {
              kind: 'apply',
              details: { status: state.status, businessStatus: state.businessStatus ?? '' },
              next: {
                ...current,
                cloud: {
                  ...current.cloud,
                  status: state.status,
                  ...(state.businessStatus ? { businessStatus: state.businessStatus } : {}),
                },
              },
            },
      );
      if (state.businessStatus === 'FinancialLocked') {
        await outbox.emit({ requestId: request.id, event: 'attention', actor: ACTOR });
      }
    }
    if (elapsed > polling.provisionTimeoutMs) {
      await timeout(request, elapsed);
      return true;
    }
    const milestone = Math.floor(elapsed / progressEvery);
    if (milestone >= 1)
      await outbox.emit({ requestId: request.id, event: 'progress', seq: milestone, actor: ACTOR });
    return false;
  }

  /**
   * Step `poll` of a request: put its gateway on the region's watch list and make sure a sweep of
   * that region is scheduled. Watching costs one DescribeVpnGateways page per region and sweep,
   * however many gateways are provisioning there.
   */
  async function poll(request: GatewayRequest) {
    if (!request.cloud.gatewayId)
      throw new Error(`request ${request.id} is provisioning without a gateway id`);
    const regionId = String(request.params.RegionId);
    await store.watch(regionId, request.id);
    await sweeps.add(
      'sweep',
      { requestId: '', step: 'sweep', regionId, polls: 0, retries: 0 },
      {
        jobId: `sweep-${regionId}`,
        delay: backoffDelay(polling.intervalMs, polling.maxIntervalMs, 0, random),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        // Gone once done, so the next gateway in the region can schedule a new sweep.
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  /** Every gateway in the region's list, as far as needed to see the watched ones. */
  async function regionStatuses(
    regionId: string,
    wanted: Set<string>,
  ): Promise<Map<string, VpnGatewayState>> {
    const seen = new Map<string, VpnGatewayState>();
    for (let page = 1; page <= MAX_SWEEP_PAGES; page++) {
      const { gateways, totalCount } = await cloud.listVpnGateways(regionId, page);
      for (const g of gateways) seen.set(g.gatewayId, g);
      if ([...wanted].every((id) => seen.has(id)) || page * 50 >= totalCount || gateways.length === 0) break;
    }
    return seen;
  }

  /** One sweep of a region: observe every watched gateway, then come back with backoff while any remain. */
  async function sweep(job: Job<ProvisionJob>, token: string | undefined, regionId: string) {
    // A newly watched gateway restarts the backoff, so it is seen early.
    const polls = (await store.takeWatchFresh(regionId)) ? 0 : job.data.polls;
    const watched: GatewayRequest[] = [];
    for (const id of await store.watched(regionId)) {
      const request = await store.get(id);
      if (request?.state === 'provisioning' && request.cloud.gatewayId) watched.push(request);
      else await store.unwatch(regionId, id);
    }
    if (watched.length === 0) return;
    let statuses: Map<string, VpnGatewayState> | undefined;
    try {
      statuses = await regionStatuses(regionId, new Set(watched.map((r) => r.cloud.gatewayId as string)));
    } catch (err) {
      // A failed sweep is tried again; each request still fails at its own time limit.
      const error = toRequestError(err);
      log?.warn({ regionId, code: error.code, watched: watched.length }, 'region sweep failed; will retry');
    }
    for (const request of watched) {
      const finished = statuses
        ? await observe(request, statuses.get(request.cloud.gatewayId as string))
        : await pastTimeLimit(request);
      if (finished) await store.unwatch(regionId, request.id);
    }
    if ((await store.watched(regionId)).length === 0) return;
    const delay = backoffDelay(polling.intervalMs, polling.maxIntervalMs, polls + 1, random);
    return later(job, token, delay, { ...job.data, polls: polls + 1 });
  }

  async function pastTimeLimit(request: GatewayRequest): Promise<boolean> {
    const elapsed = now() - (request.provisioningStartedAt ?? request.updatedAt);
    if (elapsed <= polling.provisionTimeoutMs) return false;
    await timeout(request, elapsed);
    return true;
  }

  function timeout(request: GatewayRequest, elapsed: number) {
    return fail(
      request,
      workflowError('ProvisionTimeout', {
        requestId: request.id,
        gatewayId: request.cloud.gatewayId ?? '',
        regionId: String(request.params.RegionId),
        waited: formatDuration(elapsed),
      }),
    );
  }

  const worker = new Worker<ProvisionJob>(
    PROVISION_QUEUE,
    async (job, token) => {
      if (job.data.step === 'sweep' && job.data.regionId) return sweep(job, token, job.data.regionId);
      const request = await store.get(job.data.requestId);
      if (!request) return;
      if (request.state === 'approved') {
        // Approval covered exactly these parameters; refuse to act on anything else.
        if (paramsHash(request.kind, request.params) !== request.paramsHash) {
          return fail(request, workflowError('ParamsChanged', { requestId: request.id }));
        }
        const moved = await store.update(request.id, ACTOR, 'creating', (current) =>
          current.state === 'approved'
            ? { kind: 'apply', next: { ...current, state: 'creating' } }
            : { kind: 'skip' },
        );
        if (moved.ok) await outbox.emit({ requestId: request.id, event: 'creating', actor: ACTOR });
        if (moved.request.state !== 'creating') return;
        return create(job, token, moved.request);
      }
      if (request.state === 'creating') return create(job, token, request);
      if (request.state === 'provisioning') return poll(request);
      // A final state: re-announce it in case a crash came between the write and the emit.
      if (request.state === 'succeeded' || request.state === 'failed') {
        await outbox.emit({ requestId: request.id, event: request.state, actor: ACTOR });
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 10,
      lockDuration: options.lockDurationMs ?? 30_000,
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      // Every step is safe to repeat, so a job whose worker died is simply run again.
      maxStalledCount: 1_000,
    },
  );
  worker.on('failed', (job, err) => options.onError?.(err, job));
  worker.on('error', (err) => options.onError?.(err));
  worker.on('closed', () => void sweeps.close());
  return worker;
}
