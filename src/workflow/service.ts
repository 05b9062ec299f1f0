/**
 * The workflow's front door: what a client (the Slack surface, the playground, a test) can ask
 * of it. Every decision is re-checked here against the stored record, never against what the
 * client believes, and every refusal comes back with a reason in both languages.
 */
import type { Queue } from 'bullmq';
import { type GatewayValidationOptions, paramsHash, validateGatewayRequest } from '../gateways/index.js';
import type { Locale, Text } from '../i18n/index.js';
import {
  type ApprovalPolicy,
  decideApproval,
  decideCancel,
  decideRejection,
  type GroupMembers,
  isApprover,
} from './approval-policy.js';
import { newRequestId } from './ids.js';
import { enqueueExpiry, enqueuePreflight, type MaintenanceJob } from './maintenance.js';
import type { NotificationOutbox } from './notifications.js';
import { enqueueProvisioning, type ProvisionJob } from './provisioner.js';
import type { Refusal, RequestStore, UpdateResult } from './store.js';
import type { GatewayKind, GatewayRequest, Person } from './types.js';

export interface WorkflowOptions {
  store: RequestStore;
  outbox: NotificationOutbox;
  provisionQueue: Queue<ProvisionJob>;
  maintenanceQueue: Queue<MaintenanceJob>;
  policy: ApprovalPolicy;
  approvalTtlMs: number;
  gatewayOptions?: GatewayValidationOptions;
  groupMembers?: GroupMembers;
  now?: () => number;
}

export interface SubmitInput {
  kind: GatewayKind;
  /** Form values keyed by API parameter name, as the user entered them. */
  values: Record<string, unknown>;
  requester: Person;
  channelId: string;
  locale: Locale;
  /** Lets a retried submission (same Slack view id) land on the same request. */
  requestIdSeed?: string;
}

export type SubmitResult =
  | { ok: true; request: GatewayRequest; duplicate: boolean }
  | { ok: false; errors: Record<string, Text> };

export type ActionResult =
  | { ok: true; request: GatewayRequest }
  | { ok: false; refusal: Refusal; request?: GatewayRequest };

export class Workflow {
  private readonly now: () => number;

  constructor(private readonly options: WorkflowOptions) {
    this.now = options.now ?? Date.now;
  }

  get store(): RequestStore {
    return this.options.store;
  }

  /** Validates and records a request; preflight and the request message follow in the background. */
  async submit(input: SubmitInput): Promise<SubmitResult> {
    const validation = validateGatewayRequest(input.kind, input.values, this.options.gatewayOptions);
    if (!validation.ok) return { ok: false, errors: validation.errors };
    const now = this.now();
    const request: GatewayRequest = {
      id: newRequestId(new Date(now), input.requestIdSeed),
      kind: input.kind,
      params: validation.params,
      paramsHash: paramsHash(input.kind, validation.params),
      requester: input.requester,
      channelId: input.channelId,
      locale: input.locale,
      state: 'pending_approval',
      version: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.options.approvalTtlMs,
      approvals: [],
      cloud: { requestIds: [] },
    };
    const created = await this.options.store.create(request, input.requester.userId);
    const stored = await this.options.store.mustGet(request.id);
    // Enqueued even for a duplicate: if the first attempt died here, this finishes its work.
    await enqueuePreflight(this.options.maintenanceQueue, stored.id);
    await enqueueExpiry(this.options.maintenanceQueue, stored, now);
    return { ok: true, request: stored, duplicate: !created };
  }

  async approve(requestId: string, who: Person): Promise<ActionResult> {
    const request = await this.options.store.get(requestId);
    if (!request) return notFound(requestId);
    const may = await isApprover(who.userId, this.options.policy, this.options.groupMembers);
    const result = await this.options.store.update(requestId, who.userId, 'approve', (current) =>
      decideApproval(current, who, may, this.options.policy, this.now()),
    );
    if (!result.ok) return refused(result);
    const state = result.request.state;
    if (state === 'approved') {
      await enqueueProvisioning(this.options.provisionQueue, requestId);
      await this.options.outbox.emit({ requestId, event: 'approved', actor: who.userId });
    } else if (state === 'expired') {
      await this.options.outbox.emit({ requestId, event: 'expired', actor: who.userId });
      return { ok: false, refusal: expiredRefusal(result.request), request: result.request };
    } else {
      await this.options.outbox.emit({
        requestId,
        event: 'approval_added',
        seq: result.request.approvals.length,
        actor: who.userId,
      });
    }
    return { ok: true, request: result.request };
  }

  async reject(requestId: string, who: Person, reason: string): Promise<ActionResult> {
    const request = await this.options.store.get(requestId);
    if (!request) return notFound(requestId);
    const may = await isApprover(who.userId, this.options.policy, this.options.groupMembers);
    const result = await this.options.store.update(requestId, who.userId, 'reject', (current) =>
      decideRejection(current, who, may, reason.trim(), this.now()),
    );
    if (!result.ok) return refused(result);
    if (result.request.state === 'expired') {
      await this.options.outbox.emit({ requestId, event: 'expired', actor: who.userId });
      return { ok: false, refusal: expiredRefusal(result.request), request: result.request };
    }
    await this.options.outbox.emit({ requestId, event: 'rejected', actor: who.userId });
    return { ok: true, request: result.request };
  }

  async cancel(requestId: string, who: Person): Promise<ActionResult> {
    const request = await this.options.store.get(requestId);
    if (!request) return notFound(requestId);
    const result = await this.options.store.update(requestId, who.userId, 'cancel', (current) =>
      decideCancel(current, who, this.now()),
    );
    if (!result.ok) return refused(result);
    await this.options.outbox.emit({ requestId, event: 'cancelled', actor: who.userId });
    return { ok: true, request: result.request };
  }

  /**
   * Whether this person could reject the request now, without changing anything: lets the
   * Slack surface refuse at once instead of asking an outsider for a reason first.
   */
  async checkCanReject(requestId: string, userId: string): Promise<ActionResult> {
    const request = await this.options.store.get(requestId);
    if (!request) return notFound(requestId);
    const may = await isApprover(userId, this.options.policy, this.options.groupMembers);
    const decision = decideRejection(request, { userId }, may, '', this.now());
    if (decision.kind === 'refuse') {
      await this.options.store.appendAudit({
        requestId,
        at: this.now(),
        actor: userId,
        action: 'reject',
        from: request.state,
        refused: decision.refusal.code,
      });
      return { ok: false, refusal: decision.refusal, request };
    }
    return { ok: true, request };
  }

  /** A request by its id, or by the id of the gateway it created. */
  async find(idOrGatewayId: string): Promise<GatewayRequest | undefined> {
    const key = idOrGatewayId.trim();
    return (await this.options.store.get(key)) ?? (await this.options.store.getByGatewayId(key));
  }

  async recent(channelId: string, limit = 10): Promise<GatewayRequest[]> {
    return this.options.store.recentInChannel(channelId, limit);
  }
}

function refused(result: Exclude<UpdateResult, { ok: true }>): ActionResult {
  if ('refusal' in result) return { ok: false, refusal: result.refusal, request: result.request };
  return {
    ok: false,
    refusal: {
      code: 'nothing_to_do',
      message: {
        en: 'Nothing to do: the request has already moved on.',
        'zh-CN': '无需操作：请求状态已变化。',
      },
    },
    request: result.request,
  };
}

function notFound(requestId: string): ActionResult {
  return {
    ok: false,
    refusal: {
      code: 'not_found',
      message: {
        en: `There is no request ${requestId}. It may have been made with another bot installation.`,
        'zh-CN': `找不到请求 ${requestId}，它可能是由另一个机器人实例创建的。`,
      },
    },
  };
}

function expiredRefusal(request: GatewayRequest): Refusal {
  return {
    code: 'expired',
    message: {
      en: `Request ${request.id} waited too long for approval and has expired. Ask for it again if it is still needed.`,
      'zh-CN': `请求 ${request.id} 等待审批超时，已过期。如仍需要，请重新提交。`,
    },
  };
}
