/**
 * Failures as a request records and shows them: the cloud's own errors (classified by the cloud
 * error model) and the few the workflow itself decides (a time limit, parameters that changed
 * after approval, a preflight that failed right before the create call, a secret that cannot be
 * opened). Each says what happened and what to do, in both languages.
 */
import { CloudError, toCloudError } from '../cloud/errors.js';
import { type Text, text } from '../i18n/index.js';
import type { RequestError } from './types.js';

type WorkflowErrorCode =
  | 'ProvisionTimeout'
  | 'DeleteTimeout'
  | 'CreateDeadlinePassed'
  | 'ParamsChanged'
  | 'PreflightFailed'
  | 'SecretUnavailable';

const WORKFLOW_ERRORS: Record<
  WorkflowErrorCode,
  (v: Record<string, string>) => Pick<RequestError, 'what' | 'todo'>
> = {
  ProvisionTimeout: (v) => ({
    what: text(
      `${v.title} ${v.resourceId} was created but did not become ready within ${v.waited}.`,
      `${v.titleZh} ${v.resourceId} 已创建，但在 ${v.waited} 内没有就绪。`,
    ),
    todo: text(v.hint ?? '', v.hintZh ?? ''),
  }),
  DeleteTimeout: (v) => ({
    what: text(
      `Alibaba Cloud accepted the deletion of ${v.title} ${v.resourceId}, but still listed it (${v.status}) after ${v.waited}.`,
      `阿里云已受理删除 ${v.titleZh} ${v.resourceId}，但 ${v.waited} 后仍列出该资源（${v.status}）。`,
    ),
    todo: text(
      `It may still go. Check it with \`/gateway status ${v.resourceId}\` or in the console (region ${v.regionId}); ask again only if it is back to a normal status, and quote request ${v.requestId} in any ticket.`,
      `它仍可能被删除。请使用 \`/gateway status ${v.resourceId}\` 或在控制台（地域 ${v.regionId}）中查看；仅当其恢复正常状态时再重新申请，提交工单时请注明请求 ${v.requestId}。`,
    ),
  }),
  CreateDeadlinePassed: (v) => ({
    what: text(
      `The cloud could not be reached before the time limit ran out (request ${v.requestId}).`,
      `在时限内无法连接云端完成操作（请求 ${v.requestId}）。`,
    ),
    todo: text(
      `If the call went through despite the errors, it carried the ClientToken ${v.requestId}; check the VPC console before asking again.`,
      `如果调用在出错的情况下仍已生效，其 ClientToken 为 ${v.requestId}；重新申请前请先在 VPC 控制台确认。`,
    ),
  }),
  ParamsChanged: (v) => ({
    what: text(
      `The parameters of request ${v.requestId} no longer match what was approved, so nothing was created.`,
      `请求 ${v.requestId} 的参数与批准时不一致，因此没有创建任何资源。`,
    ),
    todo: text('Submit the request again and have it approved.', '请重新提交请求并重新审批。'),
  }),
  PreflightFailed: (v) => ({
    what: text(
      `The checks made right before the cloud call failed, so nothing was done (request ${v.requestId}): the cloud changed since the request was approved.`,
      `调用云端前的检查未通过，因此未做任何操作（请求 ${v.requestId}）：批准后云端状态已发生变化。`,
    ),
    todo: text(
      'Read what failed below, fix it (or choose other values) and ask again.',
      '请查看下方未通过的检查，修正后（或选择其他取值）重新申请。',
    ),
  }),
  SecretUnavailable: (v) => ({
    what: text(
      `A secret parameter of request ${v.requestId} cannot be read: REQUEST_SECRETS_KEY is missing or differs from the one it was sealed with. Nothing was created.`,
      `无法读取请求 ${v.requestId} 的保密参数：REQUEST_SECRETS_KEY 缺失或与加密时不同。未创建任何资源。`,
    ),
    todo: text(
      'Ask the operator to set the same REQUEST_SECRETS_KEY on every bot and worker, then submit the request again.',
      '请运维人员在所有机器人与工作进程上配置相同的 REQUEST_SECRETS_KEY，然后重新提交请求。',
    ),
  }),
};

export function workflowError(code: WorkflowErrorCode, vars: Record<string, string>): RequestError {
  return { code, retryable: false, ...WORKFLOW_ERRORS[code](vars) };
}

/** The time limit passed while a resource was watched; `hint` (the declaration's) says what may still happen. */
export function timeoutError(v: {
  title: Text;
  resourceId: string;
  waited: string;
  hint: Text;
}): RequestError {
  return workflowError('ProvisionTimeout', {
    title: v.title.en,
    titleZh: v.title['zh-CN'],
    resourceId: v.resourceId,
    waited: v.waited,
    hint: v.hint.en,
    hintZh: v.hint['zh-CN'],
  });
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
