/**
 * Failures as a request records and shows them: the cloud's own errors (classified by the cloud
 * error model) and the few the workflow itself decides (a timeout, parameters that changed after
 * approval). Each says what happened and what to do, in both languages.
 */
import { CloudError, toCloudError } from '../cloud/errors.js';
import { text } from '../i18n/index.js';
import type { RequestError } from './types.js';

type WorkflowErrorCode = 'ProvisionTimeout' | 'CreateDeadlinePassed' | 'ParamsChanged';

const WORKFLOW_ERRORS: Record<
  WorkflowErrorCode,
  (v: Record<string, string>) => Pick<RequestError, 'what' | 'todo'>
> = {
  ProvisionTimeout: (v) => ({
    what: text(
      `VPN gateway ${v.gatewayId} was created but did not become active within ${v.waited}. It may still come up: Alibaba Cloud reports no failure state for a gateway, only a status that has not reached "active" yet.`,
      `VPN 网关 ${v.gatewayId} 已创建，但在 ${v.waited} 内没有变为可用（active）。它仍可能完成开通：阿里云不会为网关报告失败状态，只是状态尚未变为 active。`,
    ),
    todo: text(
      `Check it with \`/gateway status ${v.gatewayId}\` or in the VPC console (region ${v.regionId}). If it stays in "provisioning" or its order is unpaid, pay the order or open a ticket with Alibaba Cloud quoting the gateway id; do not request a new gateway while this one may still come up.`,
      `请使用 \`/gateway status ${v.gatewayId}\` 或在 VPC 控制台（地域 ${v.regionId}）中查看。如果它一直处于“provisioning”或订单未支付，请支付订单或提交工单并提供网关 ID；在它仍可能开通时请不要重复申请。`,
    ),
  }),
  CreateDeadlinePassed: (v) => ({
    what: text(
      `The cloud could not be reached to create the gateway before the provisioning time limit ran out (request ${v.requestId}).`,
      `在开通时限内无法连接云端创建网关（请求 ${v.requestId}）。`,
    ),
    todo: text(
      `If a gateway was created despite the errors, it carries the ClientToken ${v.requestId}; check the VPC console before asking again.`,
      `如果网关在出错的情况下仍被创建，它的 ClientToken 为 ${v.requestId}；重新申请前请先在 VPC 控制台确认。`,
    ),
  }),
  ParamsChanged: (v) => ({
    what: text(
      `The parameters of request ${v.requestId} no longer match what was approved, so nothing was created.`,
      `请求 ${v.requestId} 的参数与批准时不一致，因此没有创建任何资源。`,
    ),
    todo: text('Submit the request again and have it approved.', '请重新提交请求并重新审批。'),
  }),
};

export function workflowError(code: WorkflowErrorCode, vars: Record<string, string>): RequestError {
  return { code, retryable: false, ...WORKFLOW_ERRORS[code](vars) };
}

/** Any failure of a cloud call, as the request records it. */
export function toRequestError(err: unknown, action = 'unknown'): RequestError {
  const cloud = err instanceof CloudError ? err : toCloudError(err, action);
  const en = cloud.explain('en');
  const zh = cloud.explain('zh-CN');
  return {
    code: cloud.code,
    retryable: cloud.retryable,
    ...(cloud.httpStatus !== undefined ? { httpStatus: cloud.httpStatus } : {}),
    ...(cloud.requestId !== undefined ? { requestId: cloud.requestId } : {}),
    what: text(en.what, zh.what),
    todo: text(en.todo, zh.todo),
  };
}
